"""The shape of the package, as a maintainer sees it: small modules, no cycles, private stays private.

Read from the source with ``ast``, so that an import inside a function counts
as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "songphasa"
#: The most lines one module may have: past it, a file holds several jobs.
MAX_LINES = 800
#: The flow of a build reads top to bottom in one short module.
MAX_PIPELINE_LINES = 200
#: Underscore attributes that are public by convention (namedtuple's API, module dunders aside).
#: lxml documents its element classes under these names (its own type annotations use them).
PUBLIC_UNDERSCORE = {"_replace", "_asdict", "_fields", "_make", "_field_defaults", "_Element", "_ElementTree"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name an ``from … import`` reads from."""
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def typing_only(tree: ast.Module) -> set[int]:
    """The ids of the nodes under ``if TYPE_CHECKING:``: read by type checkers, never run."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            skipped.update(id(child) for statement in node.body for child in ast.walk(statement))
    return skipped


def imports(module: str) -> list[tuple[str, str | None, int]]:
    """Every import of a module that runs, wherever it stands: (module read from, name taken or None, line)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    skipped = typing_only(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend((alias.name, None, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = resolve(module, node)
            found.extend((source, alias.name, node.lineno) for alias in node.names)
    return found


def own_edges(module: str) -> set[str]:
    """The package's modules this one imports (a submodule named in ``from pkg import sub`` counts as itself)."""
    edges = set()
    for source, name, _ in imports(module):
        if name is not None and f"{source}.{name}" in MODULES:
            edges.add(f"{source}.{name}")
        elif source in MODULES:
            edges.add(source)
        # importing a.b.c also runs a and a.b
        parts = source.split(".")
        edges.update(".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in MODULES)
    edges.discard(module)
    return {edge for edge in edges if edge != "songphasa"}


def cycles() -> list[list[str]]:
    """The import cycles among the package's modules (Tarjan's strongly connected components)."""
    graph = {module: own_edges(module) for module in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for edge in sorted(graph[node]):
            if edge not in index:
                visit(edge)
                low[node] = min(low[node], low[edge])
            elif edge in stack:
                low[node] = min(low[node], index[edge])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_even_through_imports_inside_functions():
    assert cycles() == []


def test_no_private_name_is_imported_across_modules_or_from_a_library():
    taken = [f"{MODULES[module].relative_to(PACKAGE.parent)}:{line}: from {source} import {name}"
             for module in MODULES for source, name, line in imports(module)
             if name and name.startswith("_") and not name.startswith("__")]
    assert taken == []


def test_no_private_attribute_of_another_object_is_used():
    """``x._name`` only on self or cls: another module's or a library's internals are not ours to touch."""
    found = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and node.attr not in PUBLIC_UNDERSCORE \
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: .{node.attr}")
    assert found == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_holds_one_job(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"


def test_the_flow_reads_in_one_short_module():
    lines = len((PACKAGE / "pipeline.py").read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_PIPELINE_LINES
