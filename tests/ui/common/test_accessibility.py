"""What a screen reader is told: every control named, the environment combo by its job."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget
from send_support import memory_key_store

from desktop_app.services.environments import Environment
from desktop_app.ui.send import integration

pytestmark = pytest.mark.gui

NAME = QAccessible.Text.Name


@pytest.fixture
def installed(window):
    window.sending = integration.install_sending(window, memory_key_store(), memory_key_store())
    yield window
    window.sending.shutdown()


def accessible_name(widget):
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(NAME) if interface is not None else ""


def unnamed_controls(top):
    return [
        f"{type(w).__name__} {w.objectName()}"
        for w in top.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        if not accessible_name(w)
    ]


def test_every_showing_control_of_the_window_has_a_name(qtbot, installed):
    window = installed
    window.sending.set_practice(True)
    for tab in range(window.bottom_tabs.count()):
        window.bottom_tabs.setCurrentIndex(tab)
        assert unnamed_controls(window) == []


def test_the_environment_combo_is_named_environment_and_its_value_is_the_choice(installed):
    window = installed
    combo = window.environment_switch.combo
    interface = QAccessible.queryAccessibleInterface(combo)
    assert interface.text(NAME) == "Environment"
    assert interface.text(QAccessible.Text.Value) == "Production"
    assert interface.role() == QAccessible.Role.ComboBox
    window.sending.set_environment(Environment.SANDBOX)
    assert interface.text(QAccessible.Text.Value) == "CMR sandbox"


def test_error_marks_are_named_for_their_field(qtbot, installed):
    window = installed
    window.document.set_field("google.client_id", "not a client id!")
    field = window.settings_pane.provider.fields["google.client_id"]
    mark = window.settings_pane.provider.field_marks["google.client_id"]
    assert mark.is_shown()
    buttons = [w for w in field.findChildren(QWidget) if w.isVisible()]
    assert buttons and [accessible_name(b) for b in buttons] == ["Client ID problem"]


def test_every_control_of_the_dialogs_has_a_name(qtbot, installed):
    window = installed
    window.open_generator()
    dialog = window.generator_dialog
    qtbot.waitExposed(dialog)
    assert unnamed_controls(dialog) == []
    dialog.reject()
    window.help_menu.show_shortcuts()
    assert unnamed_controls(window.help_menu.dialog) == []
    window.help_menu.dialog.reject()
