"""Everything below the window runs without Qt: scripts, the CLI and headless CI need it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "desktop_app"
# Everything below the window: the order, its files, the API, the services, the practice server.
QT_FREE = ["order", "draft", "api", "services", "practice"]


def test_no_module_under_core_imports_qt():
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
