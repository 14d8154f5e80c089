"""The pages' scripts are ES modules under static/js: each page loads one entry module and names
every module it imports, so the phone page's offline copy keeps them all; the service worker and
the page keep that copy under the same name; the tests reach the pages through one hook."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

from facilitation import scripts

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"
ENTRIES = ("phone.js", "board.js", "facilitate.js", "then_and_now.js", "previous_session.js")
# Every relative path in a `from "..."` or a bare `import "..."`, whatever the statement's shape.
MODULE_PATH = re.compile(r"""(?:\bfrom|^\s*import)\s*["'](\.{1,2}/[^"']+)["']""", re.MULTILINE)


def imported_by(entry: str) -> set[str]:
    """Every script under static/js that `entry` imports, directly or not (worked out here
    without the server's own reader, so that the two can disagree)."""
    found: set[str] = set()
    waiting = [entry]
    while waiting:
        path = waiting.pop()
        for target in MODULE_PATH.findall((SCRIPTS / path).read_text(encoding="utf-8")):
            module = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert (SCRIPTS / module).is_file(), f"{path} imports {target}, which does not exist"
            if module not in found:
                found.add(module)
                waiting.append(module)
    return found


class _Scripts(HTMLParser):
    """The scripts a page names: module preloads and script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.preloads: list[str] = []
        self.scripts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "modulepreload":
            self.preloads.append(attributes["href"])
        elif tag == "script" and "src" in attributes:
            self.scripts.append((attributes.get("type") or "classic", attributes["src"]))


def named_scripts(html: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(html)
    return parser


def test_the_phone_page_names_every_module_its_script_imports(app, workshop):
    """The offline copy keeps the files the page names (phone/offline.js): a module the page
    imports but does not name would be missing on a reload without a network."""
    html = app.test_client().get(f"/j/{workshop.code}").get_data(as_text=True)
    page = named_scripts(html)
    wanted = imported_by("phone.js")
    assert {"lib/connection.js", "phone/outbox.js", "phone/offline.js"} <= wanted
    assert {f"/static/js/{module}" for module in wanted} == set(page.preloads)
    assert page.scripts == [
        ("classic", "/static/vendor/socket.io.min.js"),
        ("module", "/static/js/phone.js"),
    ]
    offline = (SCRIPTS / "phone" / "offline.js").read_text(encoding="utf-8")
    assert "link[rel=modulepreload]" in offline


def test_every_page_loads_its_entry_module_and_names_its_imports(app, workshop):
    """Board, facilitator, then-and-now and import pages: the same, for their own modules."""
    client = app.test_client()
    key = f"key={workshop.key}"
    pages = {
        "board.js": f"/board/{workshop.code}?{key}",
        "facilitate.js": f"/facilitate/{workshop.code}?{key}",
        "then_and_now.js": f"/board/{workshop.code}/then-and-now?{key}",
        "previous_session.js": f"/facilitate/{workshop.code}/previous?{key}",
    }
    for entry, address in pages.items():
        response = client.get(address)
        assert response.status_code == 200, address
        page = named_scripts(response.get_data(as_text=True))
        assert ("module", f"/static/js/{entry}") in page.scripts, address
        assert {f"/static/js/{m}" for m in imported_by(entry)} == set(page.preloads), address


def test_the_server_reads_the_same_imports():
    """scripts.module_files, which the pages use, finds what the independent walk finds."""
    for entry in ENTRIES:
        assert set(scripts.module_files(SCRIPTS.parent, f"js/{entry}")) == {
            f"js/{module}" for module in imported_by(entry)
        }, entry
    source = (
        'import {\n  a,\n  b,\n} from "./x.js";\nimport "../y.js";\nexport { c } from "./z.js";'
    )
    assert scripts.imports(source) == ["./x.js", "../y.js", "./z.js"]


def test_every_script_is_used_by_a_page():
    """No module is left behind that no page loads (the service worker is served on its own)."""
    used = set(ENTRIES) | {"phone-sw.js"}
    for entry in ENTRIES:
        used |= imported_by(entry)
    files = {p.relative_to(SCRIPTS).as_posix() for p in SCRIPTS.rglob("*.js")}
    assert files == used


def test_the_worker_and_the_page_keep_the_copy_under_one_name():
    """phone-sw.js serves the copy that phone/offline.js fills: one cache name for both."""
    worker = re.search(r'const CACHE = "([^"]+)"', (SCRIPTS / "phone-sw.js").read_text())
    offline = (SCRIPTS / "phone" / "offline.js").read_text()
    page = re.search(r'const OFFLINE_CACHE = "([^"]+)"', offline)
    assert worker and page and worker[1] == page[1]


def test_modules_are_served_as_javascript(app):
    """Browsers run a module only with a JavaScript type (the pages send nosniff)."""
    client = app.test_client()
    for path in ("js/phone.js", "js/lib/connection.js", "js/board/state.js"):
        with client.get(f"/static/{path}") as response:
            assert response.status_code == 200
            assert response.mimetype == "text/javascript", path


def test_scripts_offer_one_debug_hook_and_no_other_global():
    """Tests and the console reach a page through window.workshopDebug only."""
    for path in SCRIPTS.rglob("*.js"):
        source = path.read_text(encoding="utf-8")
        assigned = set(re.findall(r"\bwindow\.(\w+)\s*=[^=]", source))
        assert assigned <= {"workshopDebug"}, (path, assigned)
    hook = (SCRIPTS / "lib" / "debug.js").read_text()
    assert "window.workshopDebug =" in hook
