"""The API key controls of the settings column: set, replace, delete, and where it lives.

The key goes straight from the entry field to the OS keyring (or, when no
keyring works and the operator agrees, to memory for this session) and the
field is cleared at once: no widget keeps it, nothing writes it to settings.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.keystore import (
    SESSION_OFFER,
    KeyringUnavailable,
    KeySource,
    KeyStatus,
    KeyStore,
)

# The first look at the keyring waits until start-up has settled and runs off the
# GUI thread: importing keyring and asking D-Bus takes a noticeable moment (much
# longer when a locked keyring asks to be unlocked), and typing must not wait.
FIRST_CHECK_DELAY_MS = 1000
SET_STYLE = "QLabel { color: #1b7f3b; font-weight: bold; }"
UNSET_STYLE = "QLabel { color: #8a5a00; font-weight: bold; }"
CHECKING = "Checking the system keyring…"
PRACTICE_NOTE = "No key needed in practice mode: the practice server's key is used."


class ApiKeyWidget(QWidget):
    """ "Key is set" indicator, a masked entry, Save/Replace, Delete, and a session-only offer.

    The keyring is first asked a moment after the widget is first shown, on a
    background thread (or at once on :meth:`refresh`), so start-up never
    waits for it.  Signals: ``key_changed()`` after the key was stored,
    replaced or deleted.
    """

    key_changed = Signal()
    _status_found = Signal(int, object)  # (check number, KeyStatus), from the checking thread

    def __init__(self, store: KeyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("apiKeyWidget")
        self.store = store
        self.indicator = QLabel(CHECKING)
        self.indicator.setObjectName("keyIndicator")
        self.indicator.setWordWrap(True)
        self.entry = QLineEdit()
        self.entry.setObjectName("keyEntry")
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setPlaceholderText("Paste your CMR API key")
        self.entry.setAccessibleName("New API key")
        self.entry.returnPressed.connect(self._on_save_button_clicked)
        self.save_button = QPushButton("Save key")
        self.save_button.setObjectName("saveKey")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.delete_button = QPushButton("Delete key")
        self.delete_button.setObjectName("deleteKey")
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.problem = QLabel("")
        self.problem.setObjectName("keyProblem")
        self.problem.setWordWrap(True)
        self.session_button = QPushButton("Use for this session only")
        self.session_button.setObjectName("sessionKey")
        self.session_button.setToolTip(SESSION_OFFER)
        self.session_button.clicked.connect(self._on_session_button_clicked)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.indicator)
        layout.addWidget(self.entry)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.session_button)
        self.problem.hide()
        self.session_button.hide()
        self._checked = False
        self._checks = 0  # answers from checks older than the last refresh() are dropped
        self._status: KeyStatus | None = None  # None until the keyring has answered
        self._practice = False
        self._status_found.connect(self._on_status_found)

    def showEvent(self, event: Any) -> None:
        if not self._checked:
            self._checked = True
            QTimer.singleShot(FIRST_CHECK_DELAY_MS, self._check_in_background)
        super().showEvent(event)

    def _check_in_background(self) -> None:
        number = self._checks
        threading.Thread(
            target=self._check, args=(number,), name="keyring-check", daemon=True
        ).start()

    def _check(self, number: int) -> None:
        status = self.store.status()
        with contextlib.suppress(RuntimeError):  # the widget was closed meanwhile
            self._status_found.emit(number, status)

    def _on_status_found(self, number: int, status: KeyStatus) -> None:
        if number == self._checks:  # else a newer refresh() has already shown the truth
            self._show_status(status)

    def refresh(self) -> None:
        """Ask the key store where the key is, and show it."""
        self._checked = True
        self._checks += 1
        self._show_status(self.store.status())

    def set_practice(self, on: bool) -> None:
        """In practice mode no key is needed: say so instead of warning that none is set."""
        self._practice = on
        self._show_status(self._status)

    def _show_status(self, status: KeyStatus | None) -> None:
        self._status = status
        if self._practice:
            self.indicator.setText(PRACTICE_NOTE)
            self.indicator.setStyleSheet("")
        elif status is None:
            self.indicator.setText(CHECKING)
            self.indicator.setStyleSheet("")
        else:
            self.indicator.setText(
                {
                    KeySource.KEYRING: "Key is set (system keyring).",
                    KeySource.ENVIRONMENT: "Key is set (CMR_API_KEY variable).",
                    KeySource.SESSION: "Key is set for this session only.",
                    KeySource.NONE: "No key set.",
                }[status.source]
            )
            self.indicator.setStyleSheet(SET_STYLE if status.is_set else UNSET_STYLE)
        if status is None:
            return
        self.save_button.setText("Replace key" if status.is_set else "Save key")
        self.delete_button.setEnabled(status.source in (KeySource.KEYRING, KeySource.SESSION))
        if status.keyring_problem and not self._practice:
            # Once a session key is in use, offering it again only confuses.
            offer = status.source is not KeySource.SESSION
            self._show_problem(status.keyring_problem, offer_session=offer)
        else:
            self.problem.hide()
            self.session_button.hide()

    @property
    def is_set(self) -> bool:
        return self.store.status().is_set

    def _show_problem(self, text: str, offer_session: bool) -> None:
        # The offer is the button below; its tooltip says the rest.
        self.problem.setText(text.replace(SESSION_OFFER, "").strip())
        self.problem.show()
        self.session_button.setVisible(offer_session)

    def _take_entry(self) -> str:
        key = self.entry.text()
        self.entry.clear()
        return key

    def _on_save_button_clicked(self) -> None:
        key = self.entry.text()
        if not key.strip():
            self._show_problem("Paste the key into the field first.", offer_session=False)
            return
        try:
            self.store.set(key)
        except ValueError as exc:
            self._take_entry()
            self._show_problem(str(exc), offer_session=False)
            return
        except KeyringUnavailable as exc:
            # Keep the typed key in the field so "this session only" can use it.
            self._show_problem(str(exc), offer_session=True)
            return
        self._take_entry()
        self.refresh()
        self.key_changed.emit()

    def _on_session_button_clicked(self) -> None:
        key = self.entry.text()
        if not key.strip():
            self._show_problem(
                "Paste the key into the field, then choose this session only.", offer_session=True
            )
            return
        try:
            self.store.set_for_session(key)
        except ValueError as exc:
            self._take_entry()
            self._show_problem(str(exc), offer_session=True)
            return
        self._take_entry()
        self.refresh()
        self.key_changed.emit()

    def _on_delete_button_clicked(self) -> None:
        try:
            self.store.delete()
        except KeyringUnavailable as exc:
            self._show_problem(str(exc), offer_session=False)
            return
        self.refresh()
        self.key_changed.emit()
