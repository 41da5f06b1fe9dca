"""The wheel built from the checkout installs a whole app: resources in, tooling and tests out.

The wheel is built from a copy of what it is made of, so no ``build/`` left by an
earlier build slips stale files in (an old egg-info is put there on purpose). It is
installed with its dependencies into a fresh virtual environment (pip's cache makes
that quick after the first time), and the installed ``order-desk --self-test`` must
pass every check there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import tomllib

from desktop_app import __version__
from desktop_app.self_check.checks import BUNDLED_RESOURCES, CHECKS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "desktop_app"
# What the wheel is built from: the rest of the checkout is not part of it.
SOURCES = ["pyproject.toml", "README.md", "desktop_app", "resources", "docs"]
BIN = "Scripts" if os.name == "nt" else "bin"
STALE_SOURCES = ["__init__.py", "__main__.py", "bundle_rules.py"]

pytestmark = pytest.mark.wheel


def _run(command: list[str], cwd: Path, home: Path | None = None, timeout: float = 300):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    if home is not None:
        env["ORDER_DESK_HOME"] = str(home)
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


def _tree_packages() -> set[str]:
    return {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in PACKAGE.rglob("__init__.py")
        if "bootstrap" not in path.parts
    }


def test_the_listed_packages_are_the_folders_of_the_package():
    """pyproject.toml lists the packages by hand (see there): a new folder must be added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    # Data folders at the top of the checkout, installed as packages of their own.
    data = {"desktop_app.resources": "resources", "desktop_app.guide": "docs"}
    assert listed - set(data) == _tree_packages(), (
        "pyproject.toml's [tool.setuptools] packages must name every package of desktop_app/ "
        "but desktop_app.bootstrap"
    )
    assert set(data) <= listed
    assert setuptools["package-dir"] == data
    for folder in data.values():
        assert not (ROOT / folder / "__init__.py").exists()
        assert not list((ROOT / folder).glob("*.py")), f"{folder}/ holds data only"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    # The editable install of the set-up leaves an egg-info in the checkout; one written when
    # the set-up tool was still packaged lists it, and setuptools reads that list again.
    stale = source / "order_desk.egg-info"
    stale.mkdir()
    (stale / "SOURCES.txt").write_text(
        "".join(f"desktop_app/bootstrap/{name}\n" for name in STALE_SOURCES)
    )
    out = tmp_path_factory.mktemp("wheel")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out)]
    _run([*pip_wheel, str(source)], cwd=source)
    [built] = out.glob("*.whl")
    assert built.name == f"order_desk-{__version__}-py3-none-any.whl"
    return built


@pytest.fixture(scope="module")
def wheel_files(wheel) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_the_wheel_holds_the_resources_as_package_data(wheel_files):
    data = [n.rpartition("/")[2] for n in wheel_files if n.startswith("desktop_app/resources/")]
    assert sorted(data) == sorted(BUNDLED_RESOURCES)


def test_the_wheel_holds_every_module_of_the_app_and_no_tooling_or_tests(wheel_files):
    modules = {n for n in wheel_files if n.endswith(".py")}
    expected = {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "bootstrap" not in path.relative_to(PACKAGE).parts
    }
    assert modules == expected
    tops = {n.split("/")[0] for n in wheel_files}
    assert tops == {"desktop_app", f"order_desk-{__version__}.dist-info"}
    assert not [n for n in wheel_files if "bootstrap" in n or "make_resources" in n]
    assert not [n for n in wheel_files if n.startswith("tests/") or "/tests/" in n]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment (no system site-packages) with the wheel installed."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / BIN / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=env_dir)
    return env_dir


def test_the_installed_package_is_the_wheels_not_the_checkout(installed, tmp_path):
    code = (
        "import importlib.util, desktop_app\n"
        "print(desktop_app.__file__)\n"
        "print(importlib.util.find_spec('desktop_app.bootstrap'))\n"
    )
    result = _run([str(installed / BIN / "python"), "-c", code], cwd=tmp_path, home=tmp_path)
    where, bootstrap = result.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(installed.resolve())
    assert bootstrap == "None"


def test_the_installed_self_test_passes_every_check(installed, tmp_path, app_home):
    command = [str(installed / BIN / "order-desk"), "--self-test"]
    result = _run(command, cwd=tmp_path, home=app_home)
    lines = result.stdout.splitlines()
    for name, _ in CHECKS:
        [line] = [line for line in lines if line[5:].startswith(f"{name}:")]
        assert line.startswith("ok   "), result.stdout
    assert "ok   resources: 5 files found installed with the package" in lines
    assert lines[-1] == f"all {len(CHECKS)} checks passed"


GUIDE = """
import sys
from PySide6.QtWidgets import QTextBrowser
from desktop_app.ui.window.app import application, build_window

app = application()
window, _ = build_window(None, remember=False)
window.help_menu.show_guide(sys.argv[1])
dialog = window.help_menu.dialog
print(dialog.windowTitle() if dialog else window.statusBar().currentMessage())
print(dialog.findChild(QTextBrowser).toPlainText() if dialog else "")
"""


def test_the_installed_app_opens_the_operators_guide(installed, tmp_path, app_home):
    python = str(installed / BIN / "python")
    result = _run([python, "-c", GUIDE, "After sending"], cwd=tmp_path, home=app_home)
    title, text = result.stdout.split("\n", 1)
    assert title == "Order Desk Guide — After sending"
    assert text.startswith("After sending") and "check your CMR dashboard" in text
