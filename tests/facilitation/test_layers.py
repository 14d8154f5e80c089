"""The house's layers, read from the code's own imports: each layer imports only those below it.

analysis/ is pure text analysis (no web framework, no database); facilitation/operations/ holds
the rules (the database, no web framework: refusals are translated at the edge).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported(path: Path) -> set[str]:
    """Every module a file imports, at any depth of its code (function bodies included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def offending(folder: str, forbidden: tuple[str, ...], root: Path = ROOT) -> dict[str, list[str]]:
    """Each file under folder that imports a forbidden module, with those modules."""
    found = {}
    for path in sorted((root / folder).rglob("*.py")):
        bad = sorted(
            name for name in imported(path) if name.split(".")[0] in forbidden or name in forbidden
        )
        if bad:
            found[str(path.relative_to(root))] = bad
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("facilitation/operations", ("flask", "flask_babel", "flask_socketio", "flask_wtf")),
        ("analysis", ("flask", "flask_babel", "flask_socketio", "sqlalchemy", "facilitation")),
    ],
)
def test_layer_imports_nothing_above_it(folder, forbidden):
    assert offending(folder, forbidden) == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    """The check itself finds a forbidden import however deep it hides."""
    (tmp_path / "layer").mkdir()
    (tmp_path / "layer" / "m.py").write_text("def f():\n    from flask import request\n")
    assert offending("layer", ("flask",), root=tmp_path) == {"layer/m.py": ["flask"]}


def test_no_route_or_event_handler_imports_the_analysis_directly():
    """Pages and Socket.IO handlers serve what operations and the worker made: the analysis is
    reached through operations or the worker's jobs, never imported by an edge module."""
    edges = [
        *ROOT.glob("facilitation/*/routes.py"),
        *ROOT.glob("facilitation/*/events.py"),
        ROOT / "facilitation" / "rooms.py",
    ]
    assert len(edges) >= 8
    found = {
        str(path.relative_to(ROOT)): sorted(
            n for n in imported(path) if n.split(".")[0] == "analysis"
        )
        for path in edges
    }
    assert {path: names for path, names in found.items() if names} == {}
