"""The window's background-task helper, on real threads, with the real event loop."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread

from desktop_app.ui.common.tasks import run_task, running_tasks

pytestmark = pytest.mark.gui

GUI = "gui"
ELSEWHERE = "elsewhere"


def where() -> str:
    app = QCoreApplication.instance()
    assert app is not None
    return GUI if QThread.currentThread() is app.thread() else ELSEWHERE


class Record:
    """What reached the callbacks, and on which thread."""

    def __init__(self) -> None:
        self.results: list[tuple[object, str]] = []
        self.errors: list[tuple[BaseException, str]] = []
        self.progress: list[tuple[object, str]] = []
        self.order: list[str] = []

    def on_result(self, value: object) -> None:
        self.results.append((value, where()))
        self.order.append("result")

    def on_error(self, error: BaseException) -> None:
        self.errors.append((error, where()))
        self.order.append("error")

    def on_progress(self, value: object) -> None:
        self.progress.append((value, where()))
        self.order.append("progress")

    @property
    def answered(self) -> bool:
        return bool(self.results or self.errors)


def start(owner, call, record, **options):
    return run_task(
        owner,
        call,
        on_result=record.on_result,
        on_error=record.on_error,
        on_progress=record.on_progress,
        name="test-task",
        **options,
    )


def test_result_and_progress_arrive_on_the_gui_thread_in_order(qtbot):
    owner = QObject()
    record = Record()
    ran_on: list[str] = []

    def call(task):
        ran_on.append(where())
        for step in range(3):
            task.report(step)
        return "done"

    task = start(owner, call, record)
    qtbot.waitUntil(lambda: record.answered)
    assert ran_on == [ELSEWHERE]
    assert record.progress == [(0, GUI), (1, GUI), (2, GUI)]
    assert record.results == [("done", GUI)]
    assert record.order == ["progress"] * 3 + ["result"]
    assert record.errors == []
    assert not task.running and task not in running_tasks()


def test_an_error_is_delivered_on_the_gui_thread_and_written_to_the_crash_log(qtbot, app_home):
    owner = QObject()
    record = Record()

    def call(task):
        raise KeyError("no such mailbox")

    start(owner, call, record)
    qtbot.waitUntil(lambda: record.answered)
    [(error, thread)] = record.errors
    assert isinstance(error, KeyError) and thread == GUI
    assert record.results == []
    log = (app_home / "crash.log").read_text(encoding="utf-8")
    assert "'test-task'" in log and "KeyError: 'no such mailbox'" in log
    assert "Traceback" in log and "in call" in log


def test_an_expected_error_is_delivered_but_not_logged(qtbot, app_home):
    owner = QObject()
    record = Record()

    def call(task):
        raise ValueError("The key has a space in it.")

    start(owner, call, record, expected=(ValueError,))
    qtbot.waitUntil(lambda: record.answered)
    [(error, _thread)] = record.errors
    assert str(error) == "The key has a space in it."
    assert not (app_home / "crash.log").exists()


def test_an_error_after_progress_still_arrives_last(qtbot):
    owner = QObject()
    record = Record()

    def call(task):
        task.report("half")
        raise RuntimeError("gave out")

    start(owner, call, record)
    qtbot.waitUntil(lambda: record.answered)
    assert record.order == ["progress", "error"]


def test_cancel_is_seen_by_the_call_and_its_answer_still_comes(qtbot):
    owner = QObject()
    record = Record()
    started = threading.Event()

    def call(task):
        started.set()
        return task.token.wait(60)  # True when cancelled

    task = start(owner, call, record)
    assert started.wait(10)
    assert task.running
    task.cancel()
    qtbot.waitUntil(lambda: record.answered)
    assert record.results == [(True, GUI)]


def test_wait_delivers_the_answer_at_once(qtbot):
    owner = QObject()
    record = Record()
    release = threading.Event()

    def call(task):
        release.wait(10)
        return 42

    task = start(owner, call, record)
    assert not record.answered
    release.set()
    task.wait()
    assert record.results == [(42, GUI)]  # before the event loop ran again
    QCoreApplication.processEvents()
    assert record.results == [(42, GUI)]  # and never a second time


def test_stop_cancels_waits_and_delivers_nothing(qtbot):
    owner = QObject()
    record = Record()
    started = threading.Event()
    seen: list[bool] = []

    def call(task):
        started.set()
        task.report("before")
        seen.append(task.token.wait(60))
        task.report("after")
        return "late"

    task = start(owner, call, record)
    assert started.wait(10)
    task.stop()
    assert seen == [True]  # the call saw the cancel, and had returned when stop() did
    QCoreApplication.processEvents()
    assert record.order == []
    assert not task.running and task not in running_tasks()


def test_the_owner_destroyed_mid_task_cancels_and_waits_for_it(qtbot):
    owner = QObject()
    record = Record()
    started = threading.Event()
    seen: list[bool] = []
    names: list[str] = []

    def call(task):
        names.append(threading.current_thread().name)
        started.set()
        seen.append(task.token.wait(60))
        task.report("too late")
        return "too late"

    task = start(owner, call, record)
    assert started.wait(10)
    assert names == ["test-task"]
    shiboken6.delete(owner)  # what the window closing does to its children
    assert seen == [True]
    assert not any(t.name == "test-task" for t in threading.enumerate())
    QCoreApplication.processEvents()
    assert record.order == []
    assert not task.running


def test_a_deleted_owner_after_the_answer_changes_nothing(qtbot):
    owner = QObject()
    record = Record()
    start(owner, lambda task: "fine", record)
    qtbot.waitUntil(lambda: record.answered)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    assert record.results == [("fine", GUI)]


def test_a_detached_task_is_never_waited_for_and_its_late_answer_is_dropped(qtbot):
    owner = QObject()
    record = Record()
    release = threading.Event()
    returned = threading.Event()

    def call(task):
        release.wait(30)  # a call that does not listen to cancel (a keyring call)
        returned.set()
        return "late"

    task = start(owner, call, record, detached=True)
    shiboken6.delete(owner)  # returns at once although the call has not
    assert not returned.is_set() and not task.running
    release.set()
    assert returned.wait(10)
    thread = next((t for t in threading.enumerate() if t.name == "test-task"), None)
    if thread is not None:
        thread.join(10)
    QCoreApplication.processEvents()
    assert record.order == []


def test_a_detached_task_answers_like_any_other(qtbot):
    owner = QObject()
    record = Record()
    start(owner, lambda task: "answer", record, detached=True)
    qtbot.waitUntil(lambda: record.answered)
    assert record.results == [("answer", GUI)]


QUIT_MID_TASK = textwrap.dedent(
    """
    import sys, threading
    from PySide6.QtCore import QCoreApplication, QObject, QTimer
    from desktop_app.ui.common.tasks import run_task

    app = QCoreApplication([])
    owner = QObject()
    started = threading.Event()
    seen = []

    def call(task):
        started.set()
        seen.append(task.token.wait(60))
        return "late"

    answers = []
    run_task(owner, call, on_result=answers.append, on_error=answers.append, name="quitting")

    def quit_when_started():
        started.wait(10)
        app.quit()

    QTimer.singleShot(0, quit_when_started)
    app.exec()
    print("cancelled" if seen == [True] else f"not cancelled: {seen}")
    print("answers", answers)
    print("threads", sorted(t.name for t in threading.enumerate()))
    """
)


def test_quitting_the_app_mid_task_cancels_and_joins_it(app_home):
    done = subprocess.run(
        [sys.executable, "-c", QUIT_MID_TASK],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["cancelled", "answers []", "threads ['MainThread']"]
    assert "QThread" not in done.stderr and "Traceback" not in done.stderr
