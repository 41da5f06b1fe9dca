"""The API key controls: set, replace, delete, and the session-only offer without a keyring."""

from __future__ import annotations

import threading

import keyring.backends.fail
import keyring.backends.SecretService
import keyring.errors
import pytest
from keyring_support import (
    gnome_keyring,
    lock_default_collection,
    private_bus,
    silent_secret_service,
)
from PySide6.QtCore import Qt, QTimer
from send_support import SECRET_KEY, MemoryKeyring, files_containing, memory_key_store

from desktop_app.api.api_key import key_problem
from desktop_app.services.keystore import (
    ENV_VAR,
    LOCKED,
    NO_ANSWER,
    KeySource,
    KeyStore,
)
from desktop_app.ui.keys.api_key_widget import CHECKING, PRACTICE_NOTE, ApiKeyWidget

pytestmark = pytest.mark.gui


def shown(qtbot, store):
    widget = ApiKeyWidget(store)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.indicator.text() == CHECKING
    qtbot.waitUntil(lambda: widget.indicator.text() != CHECKING)
    return widget


def test_set_replace_and_delete_with_a_working_keyring(qtbot, app_home):
    backend = MemoryKeyring()
    widget = shown(qtbot, memory_key_store(backend))
    assert widget.indicator.text() == "No key set."
    assert not widget.delete_button.isEnabled()
    qtbot.keyClicks(widget.entry, SECRET_KEY)
    with qtbot.waitSignal(widget.key_changed):
        qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert list(backend.entries.values()) == [SECRET_KEY]
    assert widget.entry.text() == ""  # no widget keeps the key
    assert widget.indicator.text() == "Key is set (system keyring)."
    assert widget.save_button.text() == "Replace key"
    qtbot.keyClicks(widget.entry, "replacement-key")
    with qtbot.waitSignal(widget.key_changed):
        qtbot.keyClick(widget.entry, Qt.Key.Key_Return)
    assert list(backend.entries.values()) == ["replacement-key"]
    with qtbot.waitSignal(widget.key_changed):
        qtbot.mouseClick(widget.delete_button, Qt.MouseButton.LeftButton)
    assert backend.entries == {} and widget.indicator.text() == "No key set."
    assert files_containing(app_home, SECRET_KEY) == []


def test_no_keyring_says_so_and_offers_this_session_only(qtbot, app_home):
    store = KeyStore(keyring.backends.fail.Keyring(), environ={})
    widget = shown(qtbot, store)
    assert widget.problem.isVisible() and "No system keyring" in widget.problem.text()
    assert widget.session_button.isVisible()
    qtbot.keyClicks(widget.entry, SECRET_KEY)
    with qtbot.waitSignal(widget.checked):
        qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert store.get() is None and widget.entry.text() == SECRET_KEY  # kept for the offer
    with qtbot.waitSignal(widget.key_changed):
        qtbot.mouseClick(widget.session_button, Qt.MouseButton.LeftButton)
    assert store.get() == SECRET_KEY and store.status().source is KeySource.SESSION
    assert widget.entry.text() == ""
    assert widget.indicator.text() == "Key is set for this session only."
    assert widget.problem.isVisible() and not widget.session_button.isVisible()  # done already
    assert files_containing(app_home, SECRET_KEY) == []


def test_practice_mode_needs_no_key_and_no_keyring(qtbot):
    widget = ApiKeyWidget(KeyStore(keyring.backends.fail.Keyring(), environ={}))
    qtbot.addWidget(widget)
    widget.set_practice(True)
    widget.show()
    assert widget.indicator.text() == PRACTICE_NOTE  # no need to wait for the keyring
    with qtbot.waitSignal(widget.checked):
        widget.refresh()
    assert widget.indicator.text() == PRACTICE_NOTE
    assert not widget.problem.isVisible() and not widget.session_button.isVisible()
    widget.set_practice(False)
    assert widget.indicator.text() == "No key set."
    assert widget.problem.isVisible() and widget.session_button.isVisible()


def test_a_key_from_the_environment_is_shown_as_such(qtbot):
    widget = shown(qtbot, memory_key_store(environ={ENV_VAR: "from-env"}))
    assert widget.indicator.text() == "Key is set (CMR_API_KEY variable)."
    assert not widget.delete_button.isEnabled()


def test_a_bad_key_is_refused_with_a_sentence(qtbot):
    backend = MemoryKeyring()
    widget = shown(qtbot, memory_key_store(backend))
    qtbot.keyClicks(widget.entry, "has a space")
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert backend.entries == {}
    assert widget.problem.text() == "The API key cannot contain spaces or control characters."


# --- the keyring never freezes the window and never lies -----------------------------------


class HungKeyring(MemoryKeyring):
    """Takes every call and answers only once ``release`` is set, as a hung keyring daemon."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service, username):
        self.release.wait()

    def set_password(self, service, username, password):
        self.release.wait()


class Ticks:
    """Counts what the GUI thread's event loop gets done: a timer firing every 10 ms."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(10)

    def _tick(self) -> None:
        self.count += 1


def assert_the_window_kept_running(qtbot, widget, start):
    ticks = Ticks()
    try:
        start()
        # Still waiting for the keyring when the click returns: it was not asked here.
        assert widget.calls.busy
        with qtbot.waitSignal(widget.checked, timeout=10_000):
            qtbot.waitUntil(lambda: ticks.count >= 3, timeout=5_000)
        assert ticks.count >= 3
    finally:
        ticks.timer.stop()


def test_a_keyring_that_never_answers_never_freezes_the_window(qtbot, app_home):
    backend = HungKeyring()
    store = KeyStore(backend, environ={}, allowed_backends=[HUNG], deadline=1.0)
    widget = ApiKeyWidget(store)
    qtbot.addWidget(widget)
    try:
        assert_the_window_kept_running(qtbot, widget, widget.refresh)
        assert widget.indicator.text() == "Cannot tell whether a key is set."
        assert widget.problem.text() == NO_ANSWER and not widget.problem.isHidden()
        qtbot.keyClicks(widget.entry, SECRET_KEY)
        click = lambda: qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)  # noqa: E731
        assert_the_window_kept_running(qtbot, widget, click)
        assert widget.problem.text() == NO_ANSWER
        assert widget.entry.text() == SECRET_KEY and not widget.session_button.isHidden()
        assert backend.entries == {}
    finally:
        backend.release.set()
    assert files_containing(app_home, SECRET_KEY) == []


def test_a_real_secret_service_that_never_answers_in_the_window(qtbot, monkeypatch):
    with private_bus(monkeypatch) as address, silent_secret_service(address):
        store = KeyStore(keyring.backends.SecretService.Keyring(), environ={}, deadline=1.0)
        widget = ApiKeyWidget(store)
        qtbot.addWidget(widget)
        assert_the_window_kept_running(qtbot, widget, widget.refresh)
        assert widget.problem.text() == NO_ANSWER
        assert widget.indicator.text() != "No key set."


@pytest.mark.keyring
def test_a_locked_keyring_is_shown_as_locked(qtbot, monkeypatch, tmp_path):
    with private_bus(monkeypatch) as address, gnome_keyring(address, tmp_path / "keyring"):
        lock_default_collection()
        widget = ApiKeyWidget(KeyStore(keyring.backends.SecretService.Keyring(), environ={}))
        qtbot.addWidget(widget)
        with qtbot.waitSignal(widget.checked, timeout=10_000):
            widget.refresh()
        assert widget.indicator.text() == "Cannot tell whether a key is set."
        assert widget.problem.text() == LOCKED


class MarkupKeyring(MemoryKeyring):
    """A keyring whose error message is markup, as any text from outside may be."""

    def get_password(self, service, username):
        raise keyring.errors.KeyringError("<h1>Key is set</h1><b>ok</b>")


def test_text_from_the_key_store_is_plain_text(qtbot):
    store = KeyStore(MarkupKeyring(), environ={}, allowed_backends=[MARKUP])
    widget = ApiKeyWidget(store)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.checked):
        widget.refresh()
    for label in (widget.problem, widget.indicator):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert "<h1>Key is set</h1><b>ok</b>" in widget.problem.text()


def test_the_environment_variable_means_no_keyring_call(qtbot):
    backend = HungKeyring()  # any call would hang until the deadline
    store = KeyStore(backend, environ={ENV_VAR: "from-env"}, allowed_backends=[HUNG])
    try:
        widget = shown(qtbot, store)
        assert widget.indicator.text() == "Key is set (CMR_API_KEY variable)."
        assert not widget.problem.isVisible()
    finally:
        backend.release.set()


HUNG = f"{__name__}.HungKeyring"
MARKUP = f"{__name__}.MarkupKeyring"


@pytest.mark.parametrize("key", ["sk-\u201ccurly\u201d", "sk-live\u200b123", "ключ"])
def test_a_key_the_sender_would_refuse_is_refused_before_the_keyring(qtbot, key):
    backend = MemoryKeyring()
    widget = shown(qtbot, memory_key_store(backend))
    widget.entry.setText(key)
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert not widget.calls.busy and backend.entries == {}
    assert widget.problem.text() == key_problem(key)
    assert widget.entry.text() == ""
