"""The main toolbar: the menus' own actions, with Send Order… as the primary button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from desktop_app.order.model import DomainEntry
from desktop_app.ui.tables.commands import InsertRowsCommand

pytestmark = pytest.mark.gui


def button(window, action) -> QToolButton:
    widget = window.toolbar.widgetForAction(action)
    assert isinstance(widget, QToolButton), f"{action.text()} is not on the toolbar"
    return widget


def test_the_toolbar_holds_the_menus_actions_in_order(window):
    actions = window.window_actions
    on_bar = [a for a in window.toolbar.actions() if not a.isSeparator() and a.text()]
    assert on_bar == [
        actions.new, actions.open, actions.save, actions.undo, actions.redo,
        actions.generate, actions.send,
    ]  # fmt: skip
    assert not window.toolbar.isMovable() and not window.toolbar.isFloatable()
    assert window.toolbar.isVisible()
    assert window.toolbar.toolButtonStyle() is Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    labels = [button(window, action).text() for action in on_bar]
    assert labels == ["New", "Open…", "Save", "Undo", "Redo", "Generate…", "Send Order…"]
    for action in (actions.new, actions.open, actions.save):
        assert not action.icon().isNull()


def test_send_order_is_the_primary_button_and_calls_the_send_handler(qtbot, window):
    send = button(window, window.window_actions.send)
    assert send.objectName() == "sendOrderButton"
    assert "palette(highlight)" in send.styleSheet()
    assert not send.isEnabled()  # nothing to send with until sending is plugged in
    calls = []
    window.set_send_handler(lambda: calls.append("sent"))
    assert send.isEnabled()
    with qtbot.waitSignal(window.send_requested):
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    assert calls == ["sent"]
    window.set_send_handler(None)
    assert not send.isEnabled()
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    assert calls == ["sent"]


def test_undo_and_redo_buttons_keep_short_labels_and_work(qtbot, window):
    document = window.document
    undo, redo = (
        button(window, window.window_actions.undo),
        button(window, window.window_actions.redo),
    )
    assert not undo.isEnabled()
    document.push(InsertRowsCommand(document.domains, [DomainEntry("gamma.net", 1)], "Add domain"))
    assert len(document.order.domains) == 3 and undo.isEnabled()
    assert undo.text() == "Undo" and "Add domain" in window.window_actions.undo.text()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert len(document.order.domains) == 2
    assert redo.text() == "Redo" and redo.isEnabled()
    qtbot.mouseClick(redo, Qt.MouseButton.LeftButton)
    assert [d.domain for d in document.order.domains][-1] == "gamma.net"


def test_new_and_generate_buttons(qtbot, window):
    qtbot.mouseClick(button(window, window.window_actions.generate), Qt.MouseButton.LeftButton)
    dialog = window.generator_dialog
    assert dialog.isVisible() and dialog.domains == ["alpha.com", "beta.org"]
    dialog.reject()
    qtbot.mouseClick(button(window, window.window_actions.new), Qt.MouseButton.LeftButton)
    assert window.document.order.domains == [] and window.document.path is None


def test_the_window_keeps_qwidgets_own_actions(window):
    # The window's actions live in ``window_actions``: ``actions()`` stays QWidget's.
    assert isinstance(window.actions(), list)
    assert window.window_actions.send.text().replace("&", "") == "Send Order…"
