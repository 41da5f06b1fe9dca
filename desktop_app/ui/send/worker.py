"""The background sender: a worker object on its own QThread, one order after another.

The worker only emits data (progress and results); it never touches a
widget.  Each order is written to history before it goes out and completed
when its outcome is known.  Cancel works from any thread: it sets a flag the
sender checks between chunks and cuts the connection that is waiting for an
answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_app.core.ratelimit import CancelToken
from desktop_app.core.sender import UNKNOWN_ADVICE, Outcome, Progress, SendResult, Stage

if TYPE_CHECKING:
    from desktop_app.core.history import History
    from desktop_app.core.payload import OrderRequest
    from desktop_app.core.sender import OrderSender, Timeouts


@dataclass(frozen=True)
class SendJob:
    """One order to send: its request, a name for people, and the draft it came from."""

    label: str
    request: OrderRequest
    draft_path: str = ""


NOT_SENT_CANCELLED = SendResult(
    Outcome.NOT_CREATED, "Not sent: cancelled before its turn; nothing was created.", cancelled=True
)
NOT_SENT_STOPPED = SendResult(
    Outcome.NOT_CREATED, "Not sent: sending stopped before its turn; nothing was created."
)


class SendWorker(QObject):
    """Sends a queue of :class:`SendJob` with one API key.

    Signals: ``progress(sent, total, label)`` bytes of the current order's body
    and what is happening; ``job_finished(index, result)`` after each order;
    ``finished(results)`` once, with one :class:`SendResult` per job.
    """

    progress = Signal("qint64", "qint64", str)
    job_finished = Signal(int, object)
    finished = Signal(list)

    def __init__(
        self,
        jobs: list[SendJob],
        api_key: str,
        history: History,
        timeouts: Timeouts | None = None,
    ) -> None:
        super().__init__()
        self._jobs = list(jobs)
        self._key = api_key
        self._history = history
        self._timeouts = timeouts
        self._cancel = CancelToken()
        self._last_percent = -1

    def cancel(self) -> None:
        """Stop the order in flight and those after it.  Safe from any thread."""
        self._cancel.cancel()

    @Slot()
    def run(self) -> None:
        from desktop_app.core.sender import OrderSender

        results: list[SendResult] = []
        try:
            with OrderSender(self._key, timeouts=self._timeouts) as sender:
                for index, job in enumerate(self._jobs):
                    if self._cancel.cancelled:
                        result = NOT_SENT_CANCELLED
                    else:
                        result = self._send_one(sender, index, job)
                    results.append(result)
                    self.job_finished.emit(index, result)
        except Exception as exc:  # a fault of ours: the order in flight may be out
            reason = f"Sending stopped unexpectedly ({type(exc).__name__}). {UNKNOWN_ADVICE}"
            remaining = [SendResult(Outcome.UNKNOWN, reason)]
            remaining += [NOT_SENT_STOPPED] * (len(self._jobs) - len(results) - 1)
            for result in remaining[: len(self._jobs) - len(results)]:
                results.append(result)
                self.job_finished.emit(len(results) - 1, result)
        self.finished.emit(results)

    def _send_one(self, sender: OrderSender, index: int, job: SendJob) -> SendResult:
        where = (
            f"{job.label} ({index + 1} of {len(self._jobs)})" if len(self._jobs) > 1 else job.label
        )
        self._last_percent = -1

        def on_progress(progress: Progress) -> None:
            self._report(where, progress)

        from desktop_app.core.history import HISTORY_GUARDS_SENDS, HistoryError

        try:
            attempt = self._history.begin(job.request, job.draft_path)
        except HistoryError as exc:
            return SendResult(Outcome.NOT_CREATED, f"{exc} {HISTORY_GUARDS_SENDS}")
        result = sender.send(job.request, self._cancel, on_progress)
        try:
            self._history.finish(attempt, result)
        except HistoryError as exc:  # the outcome still stands: show it, and say this
            note = f" ({exc} This outcome is not in the history: keep a note of it.)"
            result = replace(result, message=result.message + note)
        return result

    def _report(self, where: str, progress: Progress) -> None:
        if progress.stage is Stage.UPLOADING and progress.total:
            # One signal per percent: a 5 GB order must not flood the event loop.
            percent = 100 * progress.sent // progress.total
            if percent == self._last_percent:
                return
            self._last_percent = percent
            text = f"Uploading {where}"
        elif progress.stage is Stage.WAITING:
            text = f"Waiting for the answer about {where}"
        elif progress.stage is Stage.RETRYING:
            text = f"{where}: {progress.detail}"
        else:
            text = f"Connecting to send {where}"
        self.progress.emit(progress.sent, progress.total, text)


class SendRunner(QObject):
    """Owns the thread a :class:`SendWorker` runs on; the window's one handle on a send.

    Signals: the worker's ``progress``, ``job_finished`` and ``finished``,
    delivered in the GUI thread.
    """

    progress = Signal("qint64", "qint64", str)
    job_finished = Signal(int, object)
    finished = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: SendWorker | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, worker: SendWorker) -> None:
        if self._thread is not None:
            raise RuntimeError("a send is already running")
        thread = QThread(self)
        thread.setObjectName("order-send")
        worker.moveToThread(thread)
        worker.progress.connect(self.progress)
        worker.job_finished.connect(self.job_finished)
        worker.finished.connect(self._on_worker_finished)
        thread.started.connect(worker.run)
        self._thread, self._worker = thread, worker
        thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def wait(self) -> None:
        """Cancel and wait for the thread to end (closing the window does this)."""
        thread = self._thread
        if thread is None:
            return
        self.cancel()
        thread.quit()
        thread.wait()
        self._release()

    @Slot(list)
    def _on_worker_finished(self, results: list[SendResult]) -> None:
        thread = self._thread
        if thread is None:
            return  # wait() already ended this send (the window is closing)
        thread.quit()
        thread.wait()
        self._release()
        self.finished.emit(results)

    def _release(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = self._worker = None
