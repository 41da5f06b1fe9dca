"""Fixtures for the sending widgets: a practice server, a key store, a controller."""

from __future__ import annotations

import pytest
from send_support import memory_key_store

from desktop_app.practice.server import PracticeServer
from desktop_app.services.history import History
from desktop_app.services.settings import Settings
from desktop_app.ui.send.controller import SendController


@pytest.fixture
def server():
    with PracticeServer() as practice:
        yield practice


@pytest.fixture
def key_store():
    """A key store on an in-process keyring: no test touches the machine's own."""
    return memory_key_store()


@pytest.fixture
def controller(qtbot, app_home, key_store):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    sending = SendController(parent, Settings(), key_store, History())
    yield sending
    sending.shutdown()
    assert not sending.runner.busy and sending.practice.server is None
