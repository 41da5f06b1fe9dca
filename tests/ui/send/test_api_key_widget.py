"""The API key controls: set, replace, delete, and the session-only offer without a keyring."""

from __future__ import annotations

import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from send_support import SECRET_KEY, MemoryKeyring, files_containing, memory_key_store

from desktop_app.core.keystore import ENV_VAR, KeySource, KeyStore
from desktop_app.ui.send.api_key_widget import CHECKING, PRACTICE_NOTE, ApiKeyWidget

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
