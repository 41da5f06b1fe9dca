"""The CMR sandbox explains itself before sending: its missing address or key is a Problem."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from send_support import memory_key_store

from desktop_app.order.problems import Severity, Table
from desktop_app.services.environments import Environment
from desktop_app.ui.send import integration
from desktop_app.ui.send.environment_problems import NO_ADDRESS, NO_KEY

pytestmark = pytest.mark.gui


@pytest.fixture
def installed(window):
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    yield window, controller
    controller.shutdown()


def messages(window):
    """The errors Settings has (the draft's own warnings, such as no User ID, left out)."""
    return [
        p.message
        for p in window.problems_pane.all_problems
        if p.table is Table.SETTINGS and p.severity is Severity.ERROR
    ]


def answered(qtbot, controller):
    """Ask the key store about the key shown, and wait for its answer (Problems follows)."""
    key_widget = controller.settings_widget.key_widget
    key_widget.refresh()
    qtbot.waitUntil(lambda: key_widget.answered and not key_widget.calls.busy, timeout=10_000)


def test_the_sandbox_without_address_or_key_is_two_problems_until_both_are_there(qtbot, installed):
    window, controller = installed
    assert messages(window) == []
    controller.set_environment(Environment.SANDBOX)
    answered(qtbot, controller)
    assert messages(window) == [NO_ADDRESS, NO_KEY]
    field = controller.settings_widget.sandbox_url
    field.setText("https://sandbox.example.com")
    field.editingFinished.emit()
    assert messages(window) == [NO_KEY]
    controller.sandbox_key_store.set("sandbox-key-123456")
    answered(qtbot, controller)
    assert messages(window) == []
    controller.set_environment(Environment.PRODUCTION)
    assert messages(window) == []


def test_going_to_the_problem_puts_the_cursor_in_its_field(qtbot, installed):
    window, controller = installed
    controller.set_environment(Environment.SANDBOX)
    answered(qtbot, controller)
    pane = window.problems_pane
    for row, field in (
        (0, controller.settings_widget.sandbox_url),
        (1, controller.settings_widget.key_widget.entry),
    ):
        pane.view.activated.emit(pane.model.index(row, 0))  # Enter or a double click
        assert QApplication.focusWidget() is field


def test_a_long_address_shows_its_start_when_not_edited(qtbot, installed):
    _window, controller = installed
    field = controller.settings_widget.sandbox_url
    field.setText("https://" + "very-long-sandbox-name." * 6 + "example.com")
    assert field.cursorPosition() == 0  # what is shown starts at "https://"
    field.setFocus()
    field.end(False)
    field.editingFinished.emit()
    assert field.cursorPosition() == 0
