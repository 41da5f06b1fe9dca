"""The strips across the top of the window: practice or the sandbox is on; processing at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QWidget

if TYPE_CHECKING:
    from desktop_app.ui.document import OrderDocument

PRACTICE_TEXT = (
    "<b>Practice mode:</b> orders go to a practice server on this computer. Nothing is bought."
)
SANDBOX_TEXT = (
    "<b>CMR sandbox:</b> orders go to CMR's test environment, with the sandbox key. No money moves."
)
PRODUCTION_TEXT = "<b>Production:</b> real orders, paid from your wallet."
# A translucent tint over the window colour reads on light and dark palettes alike,
# and the text keeps the palette's own colour.
PRACTICE_STYLE = (
    "QFrame#practiceBanner { background: rgba(66, 133, 244, 46); "
    "border: 1px solid rgba(66, 133, 244, 120); border-radius: 4px; }"
)
PRODUCTION_STYLE = (
    "QFrame#practiceBanner { background: rgba(229, 57, 53, 40); "
    "border: 1px solid rgba(229, 57, 53, 150); border-radius: 4px; }"
)
CONFIRM_TEXT = "Process at once is on: the wallet is charged when the order is created."
CONFIRM_STYLE = (
    "QFrame#confirmBanner { background: rgba(251, 192, 45, 48); "
    "border: 1px solid rgba(230, 150, 0, 160); border-radius: 4px; }"
)


class PracticeBanner(QFrame):
    """Says where orders go: the practice server or the CMR sandbox, with a way out,
    or (:meth:`show_production`) that they are real.

    Hidden until practice mode (or, with :meth:`show_sandbox`, the CMR sandbox)
    is on.  Signals: ``leave_requested()`` when the "Leave …" button is clicked.
    """

    leave_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceBanner")
        self.setStyleSheet(PRACTICE_STYLE)
        self.setAccessibleName("Practice mode")
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        standard = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        icon.setPixmap(standard.pixmap(size, size))
        self.text = QLabel(PRACTICE_TEXT)
        self.text.setObjectName("practiceText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.leave_button = QPushButton("Leave practice mode")
        self.leave_button.setObjectName("leavePractice")
        self.leave_button.setToolTip("Send real orders to CMR from now on: they cost money")
        self.leave_button.clicked.connect(self.leave_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.leave_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_sandbox(self, on: bool) -> None:
        """Word the banner for the CMR sandbox (``on``) or for practice mode."""
        self.text.setText(SANDBOX_TEXT if on else PRACTICE_TEXT)
        self.setAccessibleName("CMR sandbox" if on else "Practice mode")
        self.leave_button.setText("Leave the sandbox" if on else "Leave practice mode")
        self.leave_button.show()
        self.setStyleSheet(PRACTICE_STYLE)

    def show_production(self) -> None:
        """Say that orders are real and cost money (no way out here: the toolbar has it)."""
        self.text.setText(PRODUCTION_TEXT)
        self.setAccessibleName("Production")
        self.leave_button.hide()
        self.setStyleSheet(PRODUCTION_STYLE)
        self.show()


class ConfirmBanner(QFrame):
    """Says, while the order is set to be processed at once, that sending charges the wallet.

    Follows the document's setting; "Turn off" clears it as an undo step (no signals).
    """

    def __init__(self, document: OrderDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("confirmBanner")
        self.setStyleSheet(CONFIRM_STYLE)
        self.setAccessibleName("Process at once")
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        standard = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(standard.pixmap(size, size))
        self.text = QLabel(CONFIRM_TEXT)
        self.text.setObjectName("confirmText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        font = self.text.font()
        font.setBold(True)
        self.text.setFont(font)
        self.off_button = QPushButton("Turn off")
        self.off_button.setObjectName("confirmOff")
        self.off_button.setToolTip("Create the order unprocessed; process it later with its ID")
        self.off_button.clicked.connect(lambda: document.set_field("confirm", False))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.off_button, 0, Qt.AlignmentFlag.AlignVCenter)
        document.fields_changed.connect(self.refresh)
        self.hide()  # shown by refresh() once it is inside the window

    def refresh(self) -> None:
        if self.parentWidget() is not None:
            self.setVisible(self.document.order.confirm)
