"""A dismissable line of feedback inside a pane, with an icon saying how it went."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from desktop_app.ui.common.plain_text import plain_label

# Semi-transparent tints read on light and dark palettes alike.
_WARNING_STYLE = "QFrame#messageBanner { background: rgba(251, 192, 45, 56); border-radius: 4px; }"
_INFO_STYLE = "QFrame#messageBanner { background: rgba(66, 133, 244, 40); border-radius: 4px; }"


class MessageBanner(QFrame):
    """One message at a time; the ✕ hides it (no signals)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.warning = False
        self.icon = QLabel()
        self.text = plain_label()  # the messages quote file names and file contents
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 2, 4)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)

    def show_message(self, text: str, warning: bool) -> None:
        kind = (
            QStyle.StandardPixmap.SP_MessageBoxWarning
            if warning
            else QStyle.StandardPixmap.SP_MessageBoxInformation
        )
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(self.style().standardIcon(kind).pixmap(size, size))
        self.setStyleSheet(_WARNING_STYLE if warning else _INFO_STYLE)
        self.warning = warning
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.show()
