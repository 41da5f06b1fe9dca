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


def test_the_guard_is_applied_exactly_where_emits_leak():
    from desktop_app.ui.common import pyside_fixes

    leaks_now = pyside_fixes.emit_drops_references()
    if pyside_fixes.protected:
        assert sys.getrefcount(True) > 1 << 30
    else:
        assert not leaks_now or sys.version_info >= (3, 12)


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
