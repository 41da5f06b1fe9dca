"""Emitting signals for a long session never exhausts Python's ``True``."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

LONG_SESSION = """
import sys
import desktop_app.ui
from PySide6.QtCore import QObject, Signal
class Busy(QObject):
    changed = Signal()
busy = Busy()
for _ in range(50_000):
    busy.changed.emit()
print("alive", desktop_app.ui.common.pyside_fixes.protected)
"""


def test_fifty_thousand_emits_do_not_crash_the_interpreter():
    # In a child process: without the guard, an affected PySide aborts the interpreter.
    result = subprocess.run(
        [sys.executable, "-c", LONG_SESSION], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("alive")


def test_the_installed_pyside_keeps_its_references_so_the_guard_is_not_applied():
    """The pins leave out 6.12.0, the release that leaks: the check must agree."""
    from desktop_app.ui.common import pyside_fixes

    assert not pyside_fixes.emit_drops_references()
    assert not pyside_fixes.protected


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12")
def test_where_emits_leak_the_guard_gives_true_references_it_can_never_run_out_of():
    from desktop_app.ui.common import pyside_fixes

    before = sys.getrefcount(True)
    assert pyside_fixes.protect_true(leaks=lambda: True)
    assert sys.getrefcount(True) - before >= 1 << 39


def test_where_emits_do_not_leak_the_guard_changes_nothing():
    from desktop_app.ui.common import pyside_fixes

    before = sys.getrefcount(True)
    assert not pyside_fixes.protect_true(leaks=lambda: False)
    assert abs(sys.getrefcount(True) - before) < 1 << 20


def test_pyside_asks_whether_a_module_uses_it_from_its_bytes_with_the_same_answers():
    import inspect

    import desktop_app.order.model
    import desktop_app.ui.window.app  # noqa: F401 - one module that uses PySide6
    from desktop_app.ui.common import pyside_fixes

    feature = sys.modules["shibokensupport.feature"]
    assert pyside_fixes.reading_raw and feature._mod_uses_pyside.reads_raw
    assert not pyside_fixes.read_sources_raw()  # applied once only
    modules = [m for m in list(sys.modules.values()) if getattr(m, "__file__", None)]
    modules += [sys, inspect]  # built in; a module without source

    def by_source(module: object) -> bool:  # PySide's own question
        try:
            return "PySide6" in inspect.getsource(module)  # type: ignore[arg-type]
        except (TypeError, OSError, SyntaxError):
            return False

    answers = {m.__name__: feature._mod_uses_pyside(m) for m in modules}
    assert answers == {m.__name__: by_source(m) for m in modules}
    assert answers["desktop_app.ui.window.app"] and not answers["desktop_app.order.model"]
