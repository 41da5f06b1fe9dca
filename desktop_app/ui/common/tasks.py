"""The window's one way to run work off the GUI thread, answered on the GUI thread.

:func:`run_task` runs ``call(context)`` on a thread of its own.  What the call
reports (``context.report(value)``), what it returns and what it raises reach
the owner's callbacks on the GUI thread, in that order, and the call sees a
:class:`~desktop_app.api.cancel.CancelToken` it can check or wait on.  An
exception is always delivered, never swallowed: one that is not among the
call's ``expected`` ones (a fault of ours) is also written to the crash log,
with its traceback, for the caller's sentence to point to.

Each task ends with its owner: when the owner is destroyed, or the
application is about to quit, the task is cancelled, its thread is waited
for, and nothing more is delivered.  A *detached* task is for a call that
cannot be interrupted but ends by a deadline of its own (a keyring call): it
is cancelled and dropped the same way, but nobody waits for it, so the window
never freezes on it.

Answers travel through one long-lived relay object in the GUI thread, never
through a signal of an object that may be deleted while a thread emits it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from desktop_app.api.cancel import CancelToken
from desktop_app.services import crash_log
from desktop_app.ui.common import gui_collector

ProgressT = TypeVar("ProgressT")
ResultT = TypeVar("ResultT")


class TaskContext(Generic[ProgressT]):
    """What a background call is handed: its cancel token and a way to report progress."""

    def __init__(self, token: CancelToken, report: Callable[[ProgressT], None]) -> None:
        self.token = token
        self._report = report

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled

    def report(self, progress: ProgressT) -> None:
        """Hand ``progress`` to the owner's ``on_progress`` on the GUI thread (any thread)."""
        self._report(progress)


class Task(Generic[ProgressT, ResultT]):
    """One call running off the GUI thread; made by :func:`run_task`.

    ``running`` is true until its answer has been delivered or dropped.
    """

    def __init__(
        self,
        owner: QObject,
        call: Callable[[TaskContext[ProgressT]], ResultT],
        on_result: Callable[[ResultT], object],
        on_error: Callable[[BaseException], object],
        on_progress: Callable[[ProgressT], object] | None,
        name: str,
        expected: tuple[type[BaseException], ...],
        detached: bool,
    ) -> None:
        self.name = name
        self.token = CancelToken()
        self.detached = detached
        # Let go of once the task is over: a finished task keeps no widget alive,
        # and no cycle through the owner is left for the garbage collector.
        self._on_result: Callable[[ResultT], object] | None = on_result
        self._on_error: Callable[[BaseException], object] | None = on_error
        self._on_progress = on_progress
        self._expected = expected
        self._relay = _relay()
        self._returned = False
        self._result: list[ResultT] = []  # the value returned, once it has
        self._error: BaseException | None = None
        self._over = False
        self._thread = threading.Thread(target=self._work, args=(call,), name=name, daemon=detached)
        # A child of the owner: it is destroyed with the owner, and tells us.
        self._anchor: QObject | None = QObject(owner)
        self._anchor.setObjectName(f"task:{name}")
        self._anchor.destroyed.connect(self._on_anchor_destroyed)

    @property
    def running(self) -> bool:
        return not self._over

    def cancel(self) -> None:
        """Ask the call to stop (it sees ``context.cancelled``); its answer still comes."""
        self.token.cancel()

    def wait(self) -> None:
        """Block until the call has returned, then deliver its answer now (if not yet)."""
        if self._over:
            return
        self._join()
        self._deliver()

    def stop(self) -> None:
        """Cancel, wait for the call to return (unless detached), and deliver nothing more."""
        if self._over:
            return
        self._over = True
        self.token.cancel()
        if not self.detached:
            self._join()
        self._release()

    # --- the thread ------------------------------------------------------------------------

    def _start(self) -> None:
        _live.add(self)
        self._thread.start()

    def _work(self, call: Callable[[TaskContext[ProgressT]], ResultT]) -> None:
        context: TaskContext[ProgressT] = TaskContext(self.token, self._post_progress)
        try:
            self._result.append(call(context))
        except BaseException as exc:  # delivered to on_error: never lost with the thread
            if not isinstance(exc, self._expected):
                crash_log.record(exc, f"in the background task {self.name!r}")
            self._error = exc
        self._returned = True
        self._post(self._deliver)

    def _post_progress(self, progress: ProgressT) -> None:
        self._post(lambda: self._deliver_progress(progress))

    def _post(self, deliver: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the application itself is gone
            self._relay.posted.emit(deliver)

    # --- the GUI thread --------------------------------------------------------------------

    def _deliver_progress(self, progress: ProgressT) -> None:
        on_progress = self._on_progress
        if not self._over and on_progress is not None:
            on_progress(progress)

    def _deliver(self) -> None:
        on_result, on_error = self._on_result, self._on_error
        if self._over or not self._returned or on_result is None or on_error is None:
            return
        self._over = True
        self._join()  # it is past its last line: this returns at once
        self._release()
        if self._error is not None:
            error, self._error = self._error, None  # the traceback holds the thread's frames
            on_error(error)
        else:
            on_result(self._result.pop())

    def _join(self) -> None:
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def _release(self) -> None:
        _live.discard(self)
        self._on_result = self._on_error = self._on_progress = None
        anchor, self._anchor = self._anchor, None
        if anchor is not None and shiboken6.isValid(anchor):
            # Its end need not call back here: nothing is left to stop.
            anchor.destroyed.disconnect(self._on_anchor_destroyed)
            anchor.deleteLater()

    def _on_anchor_destroyed(self, *_: object) -> None:
        self._anchor = None  # going now: it must not be deleted again
        self.stop()


def run_task(
    owner: QObject,
    call: Callable[[TaskContext[ProgressT]], ResultT],
    *,
    on_result: Callable[[ResultT], object],
    on_error: Callable[[BaseException], object],
    on_progress: Callable[[ProgressT], object] | None = None,
    name: str,
    expected: tuple[type[BaseException], ...] = (),
    detached: bool = False,
) -> Task[ProgressT, ResultT]:
    """Run ``call`` on a thread named ``name``; answers go to the callbacks on the GUI thread.

    Call from the GUI thread.  ``expected`` are the exceptions that are part
    of ``call``'s contract (each one a sentence): they are delivered without
    a crash-log entry.  ``detached``: see the module's description.
    """
    task: Task[ProgressT, ResultT] = Task(
        owner, call, on_result, on_error, on_progress, name, expected, detached
    )
    task._start()
    return task


def stop_all() -> None:
    """Cancel every task, then wait for those that are not detached (the app is quitting)."""
    tasks = list(_live)
    for task in tasks:
        task.cancel()  # all at once: they wind down side by side
    for task in tasks:
        task.stop()


def running_tasks() -> list[Task[Any, Any]]:
    """The tasks whose answer is still to come."""
    return list(_live)


_live: set[Task[Any, Any]] = set()


class _Relay(QObject):
    """Lives in the GUI thread as long as the application: runs what threads post to it."""

    posted = Signal(object)

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        # Queued even when posted from the GUI thread: answers never jump the queue.
        self.posted.connect(self._on_posted, Qt.ConnectionType.QueuedConnection)
        app.aboutToQuit.connect(stop_all)
        # With threads about, Python's cycle collector must not run on one of them.
        gui_collector.install(app)

    @Slot(object)
    def _on_posted(self, deliver: Callable[[], None]) -> None:
        deliver()


_relay_instance: _Relay | None = None


def _relay() -> _Relay:
    global _relay_instance
    relay = _relay_instance
    if relay is None or not shiboken6.isValid(relay):
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("background tasks need a running Qt application")
        relay = _relay_instance = _Relay(app)
    return relay
