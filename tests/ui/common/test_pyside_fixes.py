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
