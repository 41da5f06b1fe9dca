"""The settings column's "API key" group: the key, where orders go, and practice mode."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.sender import url_problem
from desktop_app.order.model import PRODUCTION_BASE_URL
from desktop_app.order.request_limits import MAX_MAILBOXES_PER_REQUEST
from desktop_app.services.environments import Environment
from desktop_app.services.keystore import KeyStore
from desktop_app.services.settings import (
    BASE_URL,
    MAILBOXES_PER_REQUEST,
    SANDBOX_BASE_URL,
    Option,
    Settings,
)
from desktop_app.ui.common.keyboard import show_start_when_idle
from desktop_app.ui.common.plain_text import plain_label
from desktop_app.ui.send.api_key_widget import ApiKeyWidget

PRACTICE_HINT = "Orders go to a practice server on this computer: nothing is bought."


class SendingSettingsWidget(QWidget):
    """The API key controls, the API address, and the Practice mode switch.

    The address is remembered in the app's settings file (it is not a
    secret; the key never goes there), and so is "mailboxes per request".
    Signals: ``practice_toggled(on)`` when the operator flips the switch;
    ``base_url_changed()`` when another API address is saved;
    ``sandbox_url_changed()`` when another CMR sandbox address is saved.
    """

    practice_toggled = Signal(bool)
    base_url_changed = Signal()
    sandbox_url_changed = Signal()

    def __init__(self, store: KeyStore, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendingSettings")
        self._settings = settings
        self.key_widget = ApiKeyWidget(store)
        self.base_url = QLineEdit(settings.get(BASE_URL))
        self.base_url.setObjectName("baseUrl")
        self.base_url.setPlaceholderText(PRODUCTION_BASE_URL)
        self.base_url.setAccessibleName("API address")
        self.base_url.setToolTip("Leave empty for CMR's production address")
        self.base_url.editingFinished.connect(self._on_base_url_editing_finished)
        self.sandbox_url = QLineEdit(settings.get(SANDBOX_BASE_URL))
        self.sandbox_url.setObjectName("sandboxUrl")
        self.sandbox_url.setPlaceholderText("https://…")
        self.sandbox_url.setAccessibleName("CMR sandbox address")
        self.sandbox_url.setToolTip(
            "The address of CMR's sandbox, from CMR; used in the CMR sandbox only"
        )
        self.sandbox_url.editingFinished.connect(self._on_sandbox_url_editing_finished)
        for field in (self.base_url, self.sandbox_url):
            show_start_when_idle(field)
            field.setCursorPosition(0)
        self.url_problem = plain_label()  # it quotes the address as typed
        self.url_problem.setObjectName("baseUrlProblem")
        self.url_problem.setWordWrap(True)
        self.url_problem.hide()
        self.practice = QCheckBox("Practice mode")
        self.practice.setObjectName("practiceMode")
        self.practice.setToolTip(PRACTICE_HINT)
        # What the mode means is said by the window's practice banner.
        self.practice.toggled.connect(self.practice_toggled)

        self.per_request = QSpinBox()
        self.per_request.setObjectName("mailboxesPerRequest")
        self.per_request.setRange(1, MAX_MAILBOXES_PER_REQUEST)
        self.per_request.setGroupSeparatorShown(True)
        self.per_request.setValue(settings.get(MAILBOXES_PER_REQUEST))
        self.per_request.setAccessibleName("Mailboxes per request")
        self.per_request.lineEdit().setAccessibleName("Mailboxes per request")
        self.per_request.setToolTip(
            "A bigger order goes out as several orders, a domain and its mailboxes always "
            f"together. At most {MAX_MAILBOXES_PER_REQUEST:,}: servers refuse more than "
            "1,000 parts in one request."
        )
        self.per_request.valueChanged.connect(self._on_per_request_value_changed)

        form = self.form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("API address:", self.base_url)
        form.addRow("CMR sandbox address:", self.sandbox_url)
        form.addRow("Mailboxes per request:", self.per_request)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key_widget)
        layout.addLayout(form)
        layout.addWidget(self.url_problem)
        layout.addWidget(self.practice)
        self._show_address_of(Environment.PRODUCTION)

    def production_base_url(self) -> str:
        """The address real orders go to: the setting, or CMR's production one."""
        return self.base_url.text().strip() or PRODUCTION_BASE_URL

    def sandbox_base_url(self) -> str:
        """The CMR sandbox's address as saved ("" until the operator enters one)."""
        return self._settings.get(SANDBOX_BASE_URL).strip()

    def mailboxes_per_request(self) -> int:
        return int(self.per_request.value())

    def _on_per_request_value_changed(self, value: int) -> None:
        self._settings.set(MAILBOXES_PER_REQUEST, value)

    def show_environment(self, environment: Environment, store: KeyStore | None) -> None:
        """Reflect ``environment``: the practice switch, and the key box shows its key."""
        blocked = self.practice.blockSignals(True)
        self.practice.setChecked(environment is Environment.PRACTICE)
        self.practice.blockSignals(blocked)
        if store is not None:
            self.key_widget.set_store(store, environment)
        self.key_widget.set_practice(environment is Environment.PRACTICE)
        self._show_address_of(environment)

    def _show_address_of(self, environment: Environment) -> None:
        # Only the address orders go to is shown (practice's is the server's own):
        # the column must fit a 1280 × 800 screen at 150 % without scrolling.
        self.form.setRowVisible(self.base_url, environment is Environment.PRODUCTION)
        self.form.setRowVisible(self.sandbox_url, environment is Environment.SANDBOX)
        if environment is Environment.PRACTICE:
            self.url_problem.hide()

    def _on_base_url_editing_finished(self) -> None:
        if self._save_address(self.base_url, BASE_URL):
            self.base_url_changed.emit()

    def _on_sandbox_url_editing_finished(self) -> None:
        if self._save_address(self.sandbox_url, SANDBOX_BASE_URL):
            self.sandbox_url_changed.emit()

    def _save_address(self, field: QLineEdit, setting: Option[str]) -> bool:
        """Save the address in ``field`` when it is allowed; True when another one was saved."""
        text = field.text().strip()
        problem = url_problem(text) if text else None
        self.url_problem.setText(problem or "")
        self.url_problem.setVisible(problem is not None)
        if problem is None and text != self._settings.get(setting):
            self._settings.set(setting, text)
            return True
        return False
