"""Whole values: a placeholder fits its field; a picture's caption keeps what tells it apart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame, QToolButton
from send_support import memory_key_store

from desktop_app.services.environments import Environment
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.send import integration
from desktop_app.ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui
# 1366×768 at 150 %: 910×512 points, less a top panel (~27) and a title bar (~37).
SMALL_SCREEN = QSize(910, 448)


def text_room(field: QLineEdit) -> int:
    """The width a line edit gives its text: its contents less margins and shown icons."""
    option = QStyleOptionFrame()
    field.initStyleOption(option)
    rect = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field)
    left, right = rect.left(), rect.right()
    for icon in field.findChildren(QToolButton):  # the clear button, error marks
        if icon.isVisible():
            if icon.geometry().center().x() > rect.center().x():
                right = min(right, icon.geometry().left())
            else:
                left = max(left, icon.geometry().right())
    margins = field.textMargins()
    return right - left - margins.left() - margins.right() - 2 * 2  # QLineEdit's own 2 px


def placeholder_fits(field: QLineEdit) -> bool:
    return field.fontMetrics().horizontalAdvance(field.placeholderText()) <= text_room(field)


@pytest.fixture
def sandbox_window(qtbot):
    window = MainWindow(remember=False)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    controller.set_environment(Environment.SANDBOX)
    yield window, controller
    controller.shutdown()


@pytest.mark.parametrize("size", [SMALL_SCREEN, QSize(1280, 800)])
def test_the_sandbox_address_placeholder_fits_its_field(qtbot, sandbox_window, size):
    window, controller = sandbox_window
    window.resize(size)
    window.show()
    qtbot.waitExposed(window)
    field = controller.settings_widget.sandbox_url
    field.clear()  # the placeholder shows in an empty field
    window.settings_pane.ensureWidgetVisible(field)
    qtbot.waitUntil(field.isVisible)
    assert field.placeholderText()
    assert text_room(field) > 40  # a field with room for text, so the check means something
    assert placeholder_fits(field), (field.placeholderText(), text_room(field))


def test_a_placeholder_that_is_cut_is_seen(qtbot, sandbox_window):
    """The check itself: the placeholder the sandbox field had once would be cut."""
    window, controller = sandbox_window
    window.resize(SMALL_SCREEN)
    window.show()
    qtbot.waitExposed(window)
    field = controller.settings_widget.sandbox_url
    qtbot.waitUntil(field.isVisible)
    field.setPlaceholderText("https://… (from CMR, for testing orders without paying)")
    assert not placeholder_fits(field)
