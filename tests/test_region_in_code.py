"""The regency is data: no text the app prints may name the shipped regency.

Every string literal in ``app/`` that is not a docstring is checked; the only ones
allowed to mention it are the names of the shipped resource files that hold its data
(``region_lumajang.json``, ``opd_lumajang.json``). Docstrings and comments may, since
they explain the seed documents to maintainers and are never printed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
RESOURCE_NAME = re.compile(r"^\w+_lumajang\.json$")


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def printed_mentions(source: str) -> list[str]:
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and "lumajang" in node.value.lower()
        and not RESOURCE_NAME.match(node.value)
    ]


def test_the_checker_sees_literals_and_f_string_parts() -> None:
    src = '"""Lumajang."""\nX = "Kab. Lumajang"\nY = f"{a} Lumajang"\nZ = "opd_lumajang.json"\n'
    assert printed_mentions(src) == ["Kab. Lumajang", " Lumajang"]


def test_no_module_prints_the_shipped_regency() -> None:
    found = {
        str(p.relative_to(APP.parent)): hits
        for p in sorted(APP.rglob("*.py"))
        if (hits := printed_mentions(p.read_text(encoding="utf-8")))
    }
    assert found == {}
