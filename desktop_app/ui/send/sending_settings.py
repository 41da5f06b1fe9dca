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

from desktop_app.order.model import PRODUCTION_BASE_URL
from desktop_app.order.operator_warnings import MailboxesPerDomain
from desktop_app.order.request_limits import MAX_MAILBOXES_PER_REQUEST
from desktop_app.services.environments import Environment
from desktop_app.services.keystore import KeyStore
from desktop_app.services.settings import (
    BASE_URL,
    MAILBOXES_PER_REQUEST,
    SANDBOX_BASE_URL,
    Option,
    Settings,
    mailboxes_per_domain,
)
from desktop_app.ui.common.keyboard import show_start_when_idle
from desktop_app.ui.common.plain_text import plain_label
from desktop_app.ui.keys.api_key_widget import ApiKeyWidget

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
        # The switch first: it says whether a key is needed at all, and at 1280 × 800 it
        # must show without scrolling whatever the key box has to say.
        layout.addWidget(self.practice)
        layout.addWidget(self.key_widget)
        layout.addLayout(form)
        layout.addWidget(self.url_problem)
        self._show_address_of(Environment.PRODUCTION)

    def production_base_url(self) -> str:
        """The address real orders go to, as saved: the setting, or CMR's production one."""
        from desktop_app.services.destinations import production_address

        return production_address(self._settings)

    def sandbox_base_url(self) -> str:
        """The CMR sandbox's address as saved ("" until the operator enters one)."""
        from desktop_app.services.destinations import sandbox_address

        return sandbox_address(self._settings)

    def unsaved_address_problem(self, environment: Environment) -> str | None:
        """Why the address typed for ``environment`` was not saved, while it still shows.

        Orders go to the saved address; one typed over it and refused must not
        leave the operator thinking orders go to what they see.
        """
        field, setting, label = {
            Environment.PRODUCTION: (self.base_url, BASE_URL, "API address"),
            Environment.SANDBOX: (self.sandbox_url, SANDBOX_BASE_URL, "CMR sandbox address"),
        }.get(environment, (None, None, ""))
        if field is None or setting is None or not field.isModified():
            return None  # nothing typed since the address was shown or saved
        if field.text().strip() == self._settings.get(setting).strip():
            return None
        refused = self._refusal(field.text().strip(), setting)
        why = f" ({refused})" if refused else ""
        return (
            f"The {label} typed in Settings is not saved{why}: correct it, or press Enter "
            "in it to save it, then send again. Nothing was sent."
        )

    def mailboxes_per_request(self) -> int:
        return int(self.per_request.value())

    def mailboxes_per_domain(self) -> MailboxesPerDomain:
        """The mailboxes per domain the settings allow before a draft is warned about."""
        return mailboxes_per_domain(self._settings)

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
        problem = self._refusal(text, setting)
        if problem is None and text != self._settings.get(setting):
            try:
                self._settings.set(setting, text)
            except ValueError as exc:  # the store's own rules: one sentence
                problem = str(exc)
            else:
                field.setModified(False)
                self.url_problem.hide()
                return True
        elif problem is None:
            field.setModified(False)  # typed back to what is saved
        self.url_problem.setText(problem or "")
        self.url_problem.setVisible(problem is not None)
        return False

    def _refusal(self, text: str, setting: Option[str]) -> str | None:
        """Why ``text`` may not be saved as ``setting`` (the store's rules), or None."""
        from desktop_app.services.settings import refusal

        return refusal(self._settings, setting, text)
