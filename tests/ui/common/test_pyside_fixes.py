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
