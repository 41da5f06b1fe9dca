"""The settings column: provider, order options, and the API key's place."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.settings import Settings
from desktop_app.ui.common.pyside_fixes import keep_viewport
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.order_options.domain_limit import MailboxesPerDomainGroup
from desktop_app.ui.order_options.options_pane import OptionsPane
from desktop_app.ui.order_options.provider_pane import ProviderPane


class SettingsPane(QScrollArea):
    """Provider, order options and an "API key" group, scrolling when the window is short.

    With ``settings``, a "Mailboxes per domain" group (app settings) follows, below the fold.

    The API key group starts with a note; whoever provides key storage puts its
    widget there with :meth:`set_api_key_widget`.
    """

    def __init__(
        self,
        document: OrderDocument,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._viewport = keep_viewport(self)
        self.setObjectName("settingsPane")
        self.setAccessibleName("Settings")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.provider = ProviderPane(document)
        self.options = OptionsPane(document)
        self.api_key_group = QGroupBox("API key")
        self.api_key_group.setObjectName("apiKeyGroup")
        self._api_key_layout = QVBoxLayout(self.api_key_group)
        self._api_key_placeholder: QLabel | None = QLabel(
            "No key set. Sending needs your CMR API key."
        )
        self._api_key_placeholder.setWordWrap(True)
        self._api_key_layout.addWidget(self._api_key_placeholder)

        # "Settings → API key" in messages names this column and its group.
        self.title = QLabel("Settings")
        self.title.setObjectName("settingsTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.provider)
        layout.addWidget(self.options)
        layout.addWidget(self.api_key_group)
        self.per_domain: MailboxesPerDomainGroup | None = None
        if settings is not None:
            self.per_domain = MailboxesPerDomainGroup(document, settings)
            layout.addWidget(self.per_domain)
        layout.addStretch(1)
        self.setWidget(content)
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self._fit_height)
            self.updateGeometry()  # the splitter re-reads minimumSizeHint()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        # Never narrower than the fields and buttons need: the horizontal scroll
        # bar is off, so a narrower column would cut them off on the right.
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width = content.minimumSizeHint().width() + bar + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        # Wrapped text makes the content's height depend on its width, which a
        # scroll area does not re-ask for when its scroll bar appears: without
        # this, the fields would be squeezed instead of scrolled.
        content = self.widget()
        if content is None:
            return
        width = self.viewport().width()
        height = content.heightForWidth(width) if content.hasHeightForWidth() else -1
        content.setMinimumHeight(max(height, content.minimumSizeHint().height()))

    def set_api_key_widget(self, widget: QWidget) -> None:
        """Replace the API key group's note with ``widget``."""
        if self._api_key_placeholder is not None:
            self._api_key_layout.removeWidget(self._api_key_placeholder)
            self._api_key_placeholder.hide()  # deleteLater waits for the event loop
            self._api_key_placeholder.deleteLater()
            self._api_key_placeholder = None
        self._api_key_layout.addWidget(widget)

    def focus_setting(self, api_field: str) -> bool:
        self.ensureWidgetVisible(self.provider)
        if self.provider.focus_field(api_field):
            return True
        self.ensureWidgetVisible(self.options)
        return self.options.focus_field(api_field)
