"""Cycles made on a background task's thread are collected on the GUI thread only."""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import QObject

from desktop_app.ui.common import gui_collector
from desktop_app.ui.common.tasks import run_task

pytestmark = pytest.mark.gui

CYCLES = 5000  # far past the young generation's threshold (700)


def test_cycles_made_on_a_task_thread_are_collected_on_the_gui_thread(qtbot):
    where: list[bool] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            where.append(threading.current_thread() is threading.main_thread())

    def make_cycles(_context: object) -> int:
        for _ in range(CYCLES):
            Cycle()  # unreachable at once, freed only by the cycle collector
        return CYCLES

    owner = QObject()
    done: list[int] = []
    run_task(owner, make_cycles, on_result=done.append, on_error=pytest.fail, name="cycles")
    qtbot.waitUntil(lambda: done == [CYCLES], timeout=10_000)
    qtbot.waitUntil(lambda: len(where) == CYCLES, timeout=2_000)  # the collector's timer
    assert all(where), f"{where.count(False)} cycles were collected on the task's thread"
    assert not gc.isenabled()


def test_the_collector_collects_only_what_is_due(qapp):
    collector = gui_collector.install(qapp)
    gc.collect()
    assert collector.collect_due() == 0  # nothing young enough to be due

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    for _ in range(collector.thresholds[0] + 10):
        Cycle()
    assert collector.collect_due() >= collector.thresholds[0]
