"""Progress while orders are sent, with a Cancel that says what cancelling means."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QDialog, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop_app.ui.plain_text import plain_label

BAR_STEPS = 1000  # a QProgressBar holds an int; bodies can be larger than 2 GB


class SendProgressDialog(QDialog):
    """Upload bytes and which order is in flight; Cancel asks the worker to stop.

    Closing the dialog (Esc, the title bar) is the same as Cancel.  Signals:
    ``cancel_requested()``.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendProgressDialog")
        self.setWindowTitle("Sending")
        self.setModal(True)
        self._body_sent = False
        layout = QVBoxLayout(self)
        self.status = plain_label("Starting…")  # the draft's label and the sender's words
        self.status.setObjectName("sendStatus")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setValue(0)
        self.bar.setAccessibleName("Upload progress")
        self.note = plain_label()
        self.note.setObjectName("cancelNote")
        self.note.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.note)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(460, 160)

    def set_progress(self, sent: int, total: int, label: str) -> None:
        self.status.setText(label)
        if total > 0:
            self.bar.setValue(int(BAR_STEPS * min(sent, total) / total))
            self._body_sent = sent >= total
        else:
            self._body_sent = False

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
        self.done(QDialog.DialogCode.Accepted)
