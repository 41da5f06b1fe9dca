"""The API key controls of the settings column: set, replace, delete, and where it lives.

The key goes straight from the entry field to the OS keyring (or, when no
keyring works and the operator agrees, to memory for this session) and the
field is cleared at once: no widget keeps it, nothing writes it to settings.
Every keyring call runs off the GUI thread (:class:`KeyringCalls`) and ends
by the key store's deadline, so a hung keyring never freezes the window.
Everything shown here that comes from the key store is plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop_app.api.api_key import key_problem
from desktop_app.services.environments import Environment
from desktop_app.services.keystore import (
    SESSION_OFFER,
    KeyringUnavailable,
    KeySource,
    KeyStatus,
    KeyStore,
)
from desktop_app.ui.common.plain_text import plain_label
from desktop_app.ui.keys.keyring_calls import KeyringCalls

# The first look at the keyring waits until start-up has settled: importing
# keyring and asking D-Bus takes a noticeable moment, and typing must not wait.
FIRST_CHECK_DELAY_MS = 1000
SET_STYLE = "QLabel { color: #1b7f3b; font-weight: bold; }"
UNSET_STYLE = "QLabel { color: #8a5a00; font-weight: bold; }"
CHECKING = "Checking the system keyring…"
WORKING = "Waiting for the system keyring…"
PRACTICE_NOTE = "No key needed in practice mode: the practice server's key is used."
INDICATORS = {
    KeySource.KEYRING: "Key is set (system keyring).",
    KeySource.ENVIRONMENT: "Key is set ({variable} variable).",
    KeySource.SESSION: "Key is set for this session only.",
    KeySource.NONE: "No key set.",
    KeySource.UNKNOWN: "Cannot tell whether a key is set.",
}


class ApiKeyWidget(QWidget):
    """ "Key is set" indicator, a masked entry, Save/Replace, Delete, and a session-only offer.

    The keyring is first asked a moment after the widget is first shown (or
    at once on :meth:`refresh`), always on a background thread.  Signals:
    ``key_changed()`` after the key was stored, replaced or deleted (and the
    indicator shows it); ``checked()`` whenever an answer from the keyring
    has been shown.
    """

    key_changed = Signal()
    checked = Signal()

    def __init__(self, store: KeyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("apiKeyWidget")
        self.store = store
        self.calls = KeyringCalls(self)
        self.indicator = plain_label(CHECKING, word_wrap=True, object_name="keyIndicator")
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
        self.problem = plain_label(word_wrap=True, object_name="keyProblem")
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
        self.calls.busy_changed.connect(self._on_calls_busy_changed)

    def showEvent(self, event: Any) -> None:
        if not self._checked:
            self._checked = True
            QTimer.singleShot(FIRST_CHECK_DELAY_MS, self._check)
        super().showEvent(event)

    def refresh(self) -> None:
        """Ask the key store where the key is (in the background), and show it."""
        self._checked = True
        self._check()

    def _check(self) -> None:
        self._checks += 1
        number = self._checks
        self.calls.run(self.store.status, lambda status, error: self._answer(number, status))

    def _answer(self, number: int, status: KeyStatus | None) -> None:
        if number == self._checks and status is not None:  # else a newer check is on its way
            self._show_status(status)
        self.checked.emit()

    def set_store(self, store: KeyStore, environment: Environment) -> None:
        """Show (and set) the key of another environment; asks its store when shown before."""
        self.entry.setPlaceholderText(
            "Paste your CMR sandbox API key"
            if environment is Environment.SANDBOX
            else "Paste your CMR API key"
        )
        if store is self.store:
            return
        self.store = store
        self._status = None
        self._checks += 1  # an answer about the other key must not be shown for this one
        self._show_status(None)
        if self._checked:
            self._check()

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
            self.indicator.setText(INDICATORS[status.source].format(variable=self.store.env_var))
            self.indicator.setStyleSheet(SET_STYLE if status.is_set else UNSET_STYLE)
        if status is None:
            return
        self.save_button.setText("Replace key" if status.is_set else "Save key")
        self.delete_button.setEnabled(
            not self.calls.busy and status.source in (KeySource.KEYRING, KeySource.SESSION)
        )
        if status.keyring_problem and not self._practice:
            # Once a session key is in use, offering it again only confuses.
            offer = status.source is not KeySource.SESSION
            self._show_problem(status.keyring_problem, offer_session=offer)
        else:
            self.problem.hide()
            self.session_button.hide()

    @property
    def answered(self) -> bool:
        """Whether the key store has answered about the key shown (so ``is_set`` holds)."""
        return self._status is not None

    @property
    def is_set(self) -> bool:
        """Whether the last answer from the key store said a key is set (never asks it)."""
        return self._status is not None and self._status.is_set

    def _show_problem(self, text: str, offer_session: bool) -> None:
        # The offer is the button below; its tooltip says the rest.
        self.problem.setText(text.replace(SESSION_OFFER, "").strip())
        self.problem.show()
        self.session_button.setVisible(offer_session)

    def _on_calls_busy_changed(self, busy: bool) -> None:
        # One write at a time: a second click must not race the first.
        for widget in (self.entry, self.save_button, self.session_button):
            widget.setEnabled(not busy)
        status = self._status
        self.delete_button.setEnabled(
            not busy
            and status is not None
            and status.source in (KeySource.KEYRING, KeySource.SESSION)
        )

    def _take_entry(self) -> str:
        key = self.entry.text()
        self.entry.clear()
        return key

    def _on_save_button_clicked(self) -> None:
        if self.calls.busy:
            return
        key = self.entry.text().strip()
        if not key:
            self._show_problem("Paste the key into the field first.", offer_session=False)
            return
        problem = key_problem(key)  # the sender's rule, checked before the keyring is asked
        if problem:
            self._take_entry()
            self._show_problem(problem, offer_session=False)
            return
        self.indicator.setText(WORKING)
        self.indicator.setStyleSheet("")

        store = self.store  # the environment may change before the keyring answers

        def store_and_look() -> KeyStatus:
            store.set(key)
            return store.status()

        self.calls.run(store_and_look, self._for(store, self._on_key_stored))

    def _on_key_stored(self, status: KeyStatus | None, error: BaseException | None) -> None:
        if error is not None or status is None:
            # Keep the typed key in the field so "this session only" can use it.
            self._show_status(self._status)
            self._show_problem(_sentence(error), offer_session=True)
            self.checked.emit()
            return
        self._take_entry()
        self._written(status)

    def _on_session_button_clicked(self) -> None:
        key = self.entry.text()
        if not key.strip():
            self._show_problem(
                "Paste the key into the field, then choose this session only.", offer_session=True
            )
            return
        try:
            self.store.set_for_session(key)  # memory only: no keyring call
        except ValueError as exc:
            self._take_entry()
            self._show_problem(str(exc), offer_session=True)
            return
        self._take_entry()
        problem = self._status.keyring_problem if self._status else None
        self._written(KeyStatus(KeySource.SESSION, problem))

    def _on_delete_button_clicked(self) -> None:
        if self.calls.busy:
            return
        self.indicator.setText(WORKING)
        self.indicator.setStyleSheet("")

        store = self.store

        def forget_and_look() -> KeyStatus:
            store.delete()
            return store.status()

        self.calls.run(forget_and_look, self._for(store, self._on_key_deleted))

    def _on_key_deleted(self, status: KeyStatus | None, error: BaseException | None) -> None:
        if error is not None or status is None:
            self._show_status(self._status)
            self._show_problem(_sentence(error), offer_session=False)
            self.checked.emit()
            return
        self._written(status)

    def _for(
        self,
        store: KeyStore,
        done: Callable[[KeyStatus | None, BaseException | None], None],
    ) -> Callable[[KeyStatus | None, BaseException | None], None]:
        """``done``, unless the box shows another environment's key by the time it answers."""

        def answer(status: KeyStatus | None, error: BaseException | None) -> None:
            if store is self.store:
                done(status, error)
                return
            self._take_entry()  # the key went to the other environment (or failed to)
            self._check()  # show the key of the environment shown now

        return answer

    def _written(self, status: KeyStatus) -> None:
        self._checks += 1  # an older check still on its way must not undo this
        self._show_status(status)
        self.checked.emit()
        self.key_changed.emit()


def _sentence(error: BaseException | None) -> str:
    if isinstance(error, (KeyringUnavailable, ValueError)):
        return str(error)
    reason = f" ({type(error).__name__})" if error is not None else ""
    return f"The system keyring failed{reason}."
