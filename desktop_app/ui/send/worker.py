"""The background sender: the shared send flow, run off the GUI thread.

The worker only reports data (progress and outcomes); it never touches a
widget.  What it sends, and how each part is claimed in History and
recorded, is :mod:`desktop_app.services.send_flow`, the same flow as the command
line's.  It runs as a :func:`~desktop_app.ui.common.tasks.run_task` task;
cancel works from any thread: it sets the task's token, which the sender
checks between chunks and which cuts the connection waiting for an answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal

from desktop_app.api.exchange import Stage
from desktop_app.api.outcome import UNKNOWN_ADVICE, Outcome, SendResult
from desktop_app.services.send_flow import Job, PartOutcome
from desktop_app.ui.common.tasks import Task, TaskContext, run_task

if TYPE_CHECKING:
    from desktop_app.api.exchange import Progress, Timeouts
    from desktop_app.services.history import History

# Qt's 64-bit integer: a signal declared with ``int`` carries 32 bits, and a
# body over 2 GiB would wrap.  The stubs want a type; Qt takes the name.
QINT64 = cast(type, "qint64")

# What the worker reports as it goes: bytes of the body so far, in all, and
# what is happening; or a request's outcome.
SendReport = tuple[int, int, str] | PartOutcome


class SendWorker:
    """Sends a queue of :class:`Job` with one API key; :meth:`run` is the background call.

    ``run`` reports ``(sent, total, label)`` (bytes of the current request's
    body and what is happening) and each request's :class:`PartOutcome`, and
    returns every outcome.
    """

    def __init__(
        self,
        jobs: list[Job],
        api_key: str,
        history: History,
        timeouts: Timeouts | None = None,
    ) -> None:
        self._jobs = list(jobs)
        self._key = api_key
        self._history = history
        self._timeouts = timeouts
        self._last_percent = -1
        self._last_name = ""
        self.outcomes: list[PartOutcome] = []  # so far: read once the call has returned

    def run(self, task: TaskContext[SendReport]) -> list[PartOutcome]:
        from desktop_app.services import send_flow

        def on_part(outcome: PartOutcome) -> None:
            self.outcomes.append(outcome)
            task.report(outcome)

        def report(name: str, progress: Progress) -> None:
            text = self._progress_text(name, progress)
            if text is not None:
                task.report((progress.sent, progress.total, text))

        send_flow.send_with_key(
            self._jobs, self._key, self._history, task.token, self._timeouts, report, on_part
        )
        return self.outcomes

    def failed(self, error: BaseException) -> PartOutcome:
        """The outcome of the request in flight when :meth:`run` raised (a fault of ours)."""
        # The request in flight may be out: the honest answer is "unknown".
        reason = f"Sending stopped unexpectedly ({type(error).__name__}). {UNKNOWN_ADVICE}"
        label = self._last_name or (self._jobs[0].plan.label if self._jobs else "")
        return PartOutcome(label, 1, 1, SendResult(Outcome.UNKNOWN, reason))

    def _progress_text(self, name: str, progress: Progress) -> str | None:
        if name != self._last_name:
            self._last_name, self._last_percent = name, -1
        if progress.stage is Stage.UPLOADING and progress.total:
            # One report per percent: a 5 GB order must not flood the event loop.
            percent = 100 * progress.sent // progress.total
            if percent == self._last_percent:
                return None
            self._last_percent = percent
            return f"Uploading {name}"
        if progress.stage is Stage.WAITING:
            return f"Waiting for the answer about {name}"
        if progress.stage is Stage.RETRYING:
            return f"{name}: {progress.detail}"
        return f"Connecting to send {name}"


class SendRunner(QObject):
    """Runs one :class:`SendWorker` at a time off the GUI thread; the window's handle on a send.

    Signals, in the GUI thread: ``progress(sent, total, label)``;
    ``part_finished(outcome)`` after each request (a :class:`PartOutcome`);
    ``finished(outcomes)`` once, with every outcome.
    """

    progress = Signal(QINT64, QINT64, str)
    part_finished = Signal(object)
    finished = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: Task[SendReport, list[PartOutcome]] | None = None
        self._worker: SendWorker | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self, worker: SendWorker) -> None:
        if self._task is not None:
            raise RuntimeError("a send is already running")
        self._worker = worker
        self._task = run_task(
            self,
            worker.run,
            on_progress=self._on_task_progress,
            on_result=self._on_task_result,
            on_error=self._on_task_error,
            name="order-send",
        )

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def wait(self) -> None:
        """Cancel and wait for the send to end, reporting nothing more (closing the window)."""
        task = self._task
        if task is None:
            return
        task.stop()
        self._task = self._worker = None

    def _on_task_progress(self, report: SendReport) -> None:
        if isinstance(report, PartOutcome):
            self.part_finished.emit(report)
        else:
            self.progress.emit(*report)

    def _on_task_result(self, outcomes: list[PartOutcome]) -> None:
        self._task = self._worker = None
        self.finished.emit(outcomes)

    def _on_task_error(self, error: BaseException) -> None:
        worker = self._worker
        self._task = self._worker = None
        outcomes = list(worker.outcomes) if worker is not None else []
        if worker is not None:
            outcome = worker.failed(error)
            outcomes.append(outcome)
            self.part_finished.emit(outcome)
        self.finished.emit(outcomes)
