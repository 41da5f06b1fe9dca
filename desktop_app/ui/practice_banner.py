"""The strip across the top of the window that says practice mode is on."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QWidget

PRACTICE_TEXT = (
    "<b>Practice mode:</b> orders go to a practice server on this computer. Nothing is bought."
)
# A translucent tint over the window colour reads on light and dark palettes alike,
# and the text keeps the palette's own colour.
PRACTICE_STYLE = (
    "QFrame#practiceBanner { background: rgba(66, 133, 244, 46); "
    "border: 1px solid rgba(66, 133, 244, 120); border-radius: 4px; }"
)


class PracticeBanner(QFrame):
    """Says that orders go to the practice server, with a way out.

    Hidden until practice mode is on.  Signals: ``leave_requested()`` when the
    "Leave practice mode" button is clicked.
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
