"""Progress while orders are sent, with a Cancel that says what cancelling means.

Besides the bytes sent, the dialog says how long the send has taken and,
once the whole request is out, how much longer it will wait for the answer
(``set_answer_timeout`` tells it the wait its caller set).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop_app.ui.common.plain_text import plain_label

BAR_STEPS = 1000  # a QProgressBar holds an int; bodies can be larger than 2 GB
TICK_MS = 1000


def clock_text(seconds: float) -> str:
    """``0:12``, ``1:48``, ``1:02:03``: a duration as people read a clock."""
    whole = max(0, int(seconds + 0.5))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class SendProgressDialog(QDialog):
    """Upload bytes and which order is in flight; Cancel asks the worker to stop.

    Closing the dialog (Esc, the title bar) is the same as Cancel.  Signals:
    ``cancel_requested()``.
    """

    cancel_requested = Signal()

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendProgressDialog")
        self.setWindowTitle("Sending")
        self.setModal(True)
        self._body_sent = False
        self._clock = clock
        self._started: float | None = None
        self._waiting_since: float | None = None
        self._answer_timeout: float | None = None
        layout = QVBoxLayout(self)
        self.status = plain_label("Starting…")  # the draft's label and the sender's words
        self.status.setObjectName("sendStatus")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setValue(0)
        self.bar.setAccessibleName("Upload progress")
        self.time = QLabel("")
        self.time.setObjectName("sendTime")
        self.time.setAccessibleName("Time taken")
        self._ticker = QTimer(self, interval=TICK_MS)
        self._ticker.timeout.connect(self.update_time)
        self.note = plain_label()
        self.note.setObjectName("cancelNote")
        self.note.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.time)
        layout.addWidget(self.note)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(460, 160)

    def set_answer_timeout(self, seconds: float | None) -> None:
        """How long the sender waits for the answer once the request is out (None: unknown)."""
        self._answer_timeout = seconds
        self.update_time()

    def set_progress(self, sent: int, total: int, label: str) -> None:
        self.status.setText(label)
        if total > 0:
            self.bar.setValue(int(BAR_STEPS * min(sent, total) / total))
            self._body_sent = sent >= total
        else:
            self._body_sent = False
        if not self._body_sent:
            self._waiting_since = None
        elif self._waiting_since is None:
            self._waiting_since = self._clock()
        self.update_time()

    def start_clock(self) -> None:
        """Count the elapsed time from now (showing the dialog does it, once)."""
        if self._started is None:
            self._started = self._clock()
            self._ticker.start()
            self.update_time()

    def update_time(self) -> None:
        if self._started is None:
            return
        now = self._clock()
        text = f"Elapsed {clock_text(now - self._started)}"
        if self._waiting_since is not None and self._answer_timeout is not None:
            left = self._answer_timeout - (now - self._waiting_since)
            text += (
                f" · waiting up to {clock_text(left)} more for the answer"
                if left > 0
                else " · the answer is overdue; giving up any moment"
            )
        self.time.setText(text)

    def showEvent(self, event: QShowEvent) -> None:
        self.start_clock()
        super().showEvent(event)

    def _on_cancel_button_clicked(self) -> None:
        if not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        if self._body_sent:
            self.note.setText(
                "The order was already sent: cancelling now leaves its outcome unknown. "
                "Check the CMR dashboard before sending it again."
            )
        else:
            self.note.setText("Stopping the upload: nothing will be created.")
        self.cancel_requested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._on_cancel_button_clicked()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The dialog goes away only when the worker has finished.
        self._on_cancel_button_clicked()
        event.ignore()

    def finish(self) -> None:
        """Close for good: the send is over."""
        self._ticker.stop()
        self.done(QDialog.DialogCode.Accepted)
