"""The pages' scripts: ES modules under static/js, one entry module per page.

The modules a page loads are read from their import statements, so the page can name every one
of them (`<link rel="modulepreload">`): the browser fetches them all at once instead of one
import after another, and the phone page's offline copy keeps each of them (static/js/phone-sw.js).
"""

from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path

# `import ... from "./x.js"`, `export ... from "../x.js"` and `import "./x.js"`: the modules
# import each other by relative path only (the Socket.IO client is a classic script).
IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^;"']*?\bfrom\s*["'](\.{1,2}/[^"']+)["']"""
    r"""|^\s*import\s*["'](\.{1,2}/[^"']+)["']""",
    re.MULTILINE,
)


def imports(source: str) -> list[str]:
    """The relative paths a module's source imports, in order."""
    return [a or b for a, b in IMPORT.findall(source)]


@functools.cache
def _closure(static_folder: str, entry: str, stamp: float) -> tuple[str, ...]:
    """module_files, worked out once per folder, entry and version of the scripts."""
    root = Path(static_folder)
    seen: list[str] = []
    waiting = [entry]
    while waiting:
        path = waiting.pop()
        if path in seen:
            continue
        seen.append(path)
        folder = posixpath.dirname(path)
        for target in imports((root / path).read_text(encoding="utf-8")):
            waiting.append(posixpath.normpath(posixpath.join(folder, target)))
    return tuple(sorted(seen[1:]))


def module_files(static_folder: str | Path, entry: str, *, watch: bool = True) -> tuple[str, ...]:
    """Every module the entry module (a path under the static folder, "js/phone.js") imports,
    directly or through another, as paths under the static folder; the entry itself not.

    With watch, an edited script is seen at the next call (each call then reads the scripts'
    times); without it, as a server serves pages, the first answer stands.
    """
    stamp = 0.0
    if watch:
        stamp = max(p.stat().st_mtime for p in Path(static_folder, "js").rglob("*.js"))
    return _closure(str(static_folder), entry, stamp)
