"""The import graph of ``app/``, derived from the source, keeps to the declared layers.

The layers are declared here and in ``docs/architecture.md`` (keep the two in step):
a module may import its own package and any package of a lower tier, never one of a
higher tier or a sibling of its own tier, and no two modules may import each other,
however indirectly (an import inside a function counts as much as one at the top).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

# Highest first. Packages on the same tier may not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("app.__main__",),
    ("app.ui", "app.cli"),
    ("app.services",),
    ("app.reports",),
    ("app.models", "app.formats"),
    ("app", "app.paths", "app.resources"),  # version, where files live, gc_pause
    ("app.domain",),
)
EXEMPT = ("app.migrations",)  # Alembic scripts: they import the models by design
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {_module_name(p): p for p in APP.rglob("*.py")}
    return {m: p for m, p in found.items() if not m.startswith(EXEMPT)}


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every app import in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "app" or alias.name.startswith("app."):
                    yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target == "app" or target.startswith("app."):
                yield target, [a.name for a in node.names], node.lineno


def _edges() -> dict[str, set[str]]:
    """Module → the app modules it imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for name, path in MODULES.items():
        for target, names, _line in _imports(name, path):
            hits = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            if not hits and target in MODULES:
                hits = [target]
            graph[name].update(h for h in hits if h != name)
    return graph


def _tier(module: str) -> tuple[int, str]:
    """The tier and package a module belongs to (the longest declared prefix wins)."""
    best: tuple[int, str] | None = None
    for i, tier in enumerate(LAYERS):
        for pkg in tier:
            if (module == pkg or module.startswith(pkg + ".")) and (
                best is None or len(pkg) > len(best[1])
            ):
                best = (i, pkg)
    assert best is not None, f"{module} is in no declared layer"
    return best


def test_every_module_is_in_a_declared_layer() -> None:
    for module in MODULES:
        _tier(module)


def test_imports_run_down_the_layers() -> None:
    wrong = []
    for src, targets in _edges().items():
        src_tier, src_pkg = _tier(src)
        for dst in targets:
            dst_tier, dst_pkg = _tier(dst)
            if dst_pkg == src_pkg:
                continue
            if dst_tier <= src_tier:
                wrong.append(f"{src} → {dst}")
    assert not wrong, "imports that run up or sideways:\n" + "\n".join(sorted(wrong))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    assert _cycles(_edges()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    # The check above is only worth something if it can fail.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_private_name_is_imported_from_another_module() -> None:
    # Stricter than "not across a package": a helper another module needs is public API.
    wrong = []
    for name, path in MODULES.items():
        for target, names, line in _imports(name, path):
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    wrong.append(f"{name}:{line} imports {target}.{n}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_is_short(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES})"
