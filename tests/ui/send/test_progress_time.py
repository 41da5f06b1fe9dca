"""The sending dialog says how long it has taken and how long it will still wait."""

from __future__ import annotations

import pytest

from desktop_app.ui.send.progress_dialog import TICK_MS, SendProgressDialog, clock_text

pytestmark = pytest.mark.gui


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_clock_text():
    assert [clock_text(s) for s in (0, 12, 108, 3723)] == ["0:00", "0:12", "1:48", "1:02:03"]


def test_elapsed_then_the_wait_left_for_the_answer(qtbot):
    clock = FakeClock()
    dialog = SendProgressDialog(clock=clock)
    qtbot.addWidget(dialog)
    dialog.set_answer_timeout(120)
    dialog.show()
    assert dialog.time.text() == "Elapsed 0:00"
    clock.now += 5
    dialog.set_progress(50, 100, "Uploading June order")
    assert dialog.time.text() == "Elapsed 0:05"
    clock.now += 7
    dialog.set_progress(100, 100, "Waiting for the answer about June order")
    clock.now += 12
    dialog.update_time()
    assert dialog.time.text() == "Elapsed 0:24 · waiting up to 1:48 more for the answer"
    clock.now += 200
    dialog.update_time()
    assert "overdue" in dialog.time.text()
    dialog.set_progress(0, 80, "Uploading July order")  # the next order: no wait yet
    assert dialog.time.text() == "Elapsed 3:44"
    dialog.finish()


def test_the_time_moves_on_by_itself_while_the_dialog_is_open(qtbot):
    clock = FakeClock()
    dialog = SendProgressDialog(clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog._ticker.isActive() and dialog._ticker.interval() == TICK_MS
    clock.now += 61
    dialog._ticker.timeout.emit()
    assert dialog.time.text() == "Elapsed 1:01"
    dialog.finish()
    assert not dialog._ticker.isActive()
