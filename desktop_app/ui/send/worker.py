"""The background sender: the shared send flow on its own QThread.

The worker only emits data (progress and outcomes); it never touches a
widget.  What it sends, and how each part is claimed in History and
recorded, is :mod:`desktop_app.services.send_flow`, the same flow as the command
line's.  Cancel works from any thread: it sets a flag the sender checks
between chunks and cuts the connection that is waiting for an answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_app.api.outcome import UNKNOWN_ADVICE, Outcome, SendResult
from desktop_app.api.ratelimit import CancelToken
from desktop_app.api.sender import Progress, Stage
from desktop_app.services.send_flow import Job, PartOutcome

if TYPE_CHECKING:
    from desktop_app.api.sender import Timeouts
    from desktop_app.services.history import History


class SendWorker(QObject):
    """Sends a queue of :class:`Job` with one API key.

    Signals: ``progress(sent, total, label)`` bytes of the current request's
    body and what is happening; ``part_finished(outcome)`` after each request
    (a :class:`PartOutcome`); ``finished(outcomes)`` once, with every outcome.
    """

    progress = Signal("qint64", "qint64", str)
    part_finished = Signal(object)
    finished = Signal(list)

    def __init__(
        self,
        jobs: list[Job],
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
        self._last_name = ""

    def cancel(self) -> None:
        """Stop the request in flight and those after it.  Safe from any thread."""
        self._cancel.cancel()

    @Slot()
    def run(self) -> None:
        from desktop_app.api.sender import OrderSender
        from desktop_app.services import send_flow

        outcomes: list[PartOutcome] = []

        def on_part(outcome: PartOutcome) -> None:
            outcomes.append(outcome)
            self.part_finished.emit(outcome)

        try:
            with OrderSender(self._key, timeouts=self._timeouts) as sender:
                send_flow.send(
                    self._jobs, sender, self._history, self._cancel, self._report, on_part
                )
        except Exception as exc:  # a fault of ours: the request in flight may be out
            reason = f"Sending stopped unexpectedly ({type(exc).__name__}). {UNKNOWN_ADVICE}"
            label = self._last_name or (self._jobs[0].plan.label if self._jobs else "")
            on_part(PartOutcome(label, 1, 1, SendResult(Outcome.UNKNOWN, reason)))
        self.finished.emit(outcomes)

    def _report(self, name: str, progress: Progress) -> None:
        if name != self._last_name:
            self._last_name, self._last_percent = name, -1
        if progress.stage is Stage.UPLOADING and progress.total:
            # One signal per percent: a 5 GB order must not flood the event loop.
            percent = 100 * progress.sent // progress.total
            if percent == self._last_percent:
                return
            self._last_percent = percent
            text = f"Uploading {name}"
        elif progress.stage is Stage.WAITING:
            text = f"Waiting for the answer about {name}"
        elif progress.stage is Stage.RETRYING:
            text = f"{name}: {progress.detail}"
        else:
            text = f"Connecting to send {name}"
        self.progress.emit(progress.sent, progress.total, text)


class SendRunner(QObject):
    """Owns the thread a :class:`SendWorker` runs on; the window's one handle on a send.

    Signals: the worker's ``progress``, ``part_finished`` and ``finished``,
    delivered in the GUI thread.
    """

    progress = Signal("qint64", "qint64", str)
    part_finished = Signal(object)
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
        worker.part_finished.connect(self.part_finished)
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
    def _on_worker_finished(self, results: list[PartOutcome]) -> None:
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
