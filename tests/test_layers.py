"""The shape of the package: what may import what, no circles, one naming style.

Everything below the window runs without Qt (scripts, the CLI and headless CI
need it); ``lint-imports`` checks the layers written in ``pyproject.toml``, and
these tests check what it cannot: that every package is in a layer, and that
no modules import each other in a circle while loading.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tomllib

PACKAGE = Path(__file__).resolve().parents[1] / "desktop_app"
# Everything below the window: the order, its files, the API, the services, the practice server.
QT_FREE = ["order", "draft", "api", "services", "practice"]


def test_no_module_below_the_window_imports_qt():
    offenders = []
    paths = [path for layer in QT_FREE for path in (PACKAGE / layer).rglob("*.py")]
    assert len(paths) > 40
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in {"PySide6", "shiboken6"}
            ]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(
        f"{layer}.{p.stem}" for layer in QT_FREE for p in (PACKAGE / layer).glob("*.py")
    )
    assert "order.model" in modules and "api.sender" in modules
    code = (
        "import sys\n"
        + "".join(f"import desktop_app.{m}\n" for m in modules)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'shiboken6'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports_at_load(
    module: str, tree: ast.Module, known: set[str], everywhere: bool = False
) -> set[str]:
    """The app's modules ``module`` imports while it is itself being imported: statements
    run at import time (module and class bodies, top-level if/try), not those in functions
    or under ``if TYPE_CHECKING``.  ``everywhere`` counts those too: every import a reader
    of the module must hold."""
    found: set[str] = set()
    pending: list[ast.AST] = list(ast.walk(tree)) if everywhere else list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            package = module if module in PACKAGES else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = node.module or ""
            if node.level:
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
        elif everywhere:
            continue  # ast.walk already listed every node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
            isinstance(node, ast.stmt) and _is_type_checking(node)
        ):
            continue
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                pending.extend(getattr(node, field, []))
    return {name for name in found if name in known and name != module}


PACKAGES = {
    _module_name(path) for path in PACKAGE.rglob("__init__.py") if "bootstrap" not in path.parts
}


def _load_graph(everywhere: bool = False) -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    return {
        name: _imports_at_load(name, ast.parse(path.read_text(encoding="utf-8")), known, everywhere)
        for name, path in paths.items()
    }


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_the_circle_finder_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]
    tree = ast.parse("from desktop_app.order import model\nif TYPE_CHECKING:\n    import x\n")
    assert _imports_at_load("m", tree, {"desktop_app.order.model", "x"}) == {
        "desktop_app.order.model"
    }


def test_no_module_imports_itself_in_a_circle_at_load_time():
    graph = _load_graph()
    assert len(graph) > 100 and graph["desktop_app.api.sender"]
    assert _circles(graph) == []


def test_the_circle_finder_counts_imports_in_functions_and_for_type_hints_when_asked():
    source = "def f():\n    import x\nif TYPE_CHECKING:\n    from y import z\n"
    tree = ast.parse(source)
    assert _imports_at_load("m", tree, {"x", "y.z"}) == set()
    assert _imports_at_load("m", tree, {"x", "y.z"}, everywhere=True) == {"x", "y.z"}


def test_no_modules_import_each_other_in_a_circle_counting_every_import():
    """Not even through an import made on first use or only for a type hint."""
    graph = _load_graph(everywhere=True)
    assert graph["desktop_app.ui.send.controller"] >= {"desktop_app.services.destinations"}
    assert _circles(graph) == []


def test_signals_are_named_in_snake_case():
    """Qt's own signals are camelCase; the app's are snake_case, as the rest of its names."""
    names = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and ast.unparse(node.value.func) == "Signal"
            ):
                names += [(path.name, ast.unparse(target)) for target in node.targets]
    assert len(names) > 30
    assert [(file, name) for file, name in names if name != name.lower()] == []


def test_every_package_sits_in_a_layer_of_the_contract():
    """A new package outside the layer lists would escape the contract unnoticed."""
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {
        c["containers"][0]: c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["type"] == "layers"
    }

    def named(container: str) -> set[str]:
        return {
            part.strip() for layer in contracts[container]["layers"] for part in layer.split("|")
        }

    def children(folder: Path) -> set[str]:
        return {
            p.stem if p.is_file() else p.name
            for p in folder.iterdir()
            if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
        }

    assert children(PACKAGE) - {"bootstrap"} == named("desktop_app")
    assert children(PACKAGE / "ui") == named("desktop_app.ui")
