"""Practice mode is plain to see: a banner with a way out, the title, the API key group."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from send_support import memory_key_store

from desktop_app.services.environments import Environment
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.keys.api_key_widget import PRACTICE_NOTE, UNSET_STYLE
from desktop_app.ui.send import integration
from desktop_app.ui.window.main_window import MainWindow
from desktop_app.ui.window.practice_banner import PRACTICE_TEXT, PRODUCTION_TEXT

pytestmark = pytest.mark.gui


@pytest.fixture
def installed(window):
    controller = integration.install_sending(window, memory_key_store())
    window.environment_switch.confirm_production = lambda _leaving: True
    yield window, controller
    controller.shutdown()


def test_the_banner_and_title_follow_practice_mode(qtbot, installed):
    window, controller = installed
    banner = window.practice_banner
    assert banner.text.text() == PRODUCTION_TEXT and "Practice" not in window.windowTitle()
    window.practice_action.setChecked(True)
    assert controller.practice.on
    assert banner.isVisible() and banner.y() < window.splitters["columns"].y()  # the outermost
    assert "Nothing is bought." in banner.text.text()
    assert window.windowTitle().endswith("Order Desk — Practice")
    window.practice_action.setChecked(False)
    assert banner.text.text() == PRODUCTION_TEXT and not window.windowTitle().endswith("— Practice")


def test_leave_practice_mode_button_leaves_it(qtbot, installed):
    window, controller = installed
    controller.set_practice(True)
    assert controller.practice.server is not None
    qtbot.mouseClick(window.practice_banner.leave_button, Qt.MouseButton.LeftButton)
    assert not controller.practice.on and controller.practice.server is None
    assert not window.practice_action.isChecked()
    assert not controller.settings_widget.practice.isChecked()
    assert window.practice_banner.text.text() == PRODUCTION_TEXT
    assert "Practice" not in window.windowTitle()
    assert controller.destination().base_url == controller.settings_widget.production_base_url()


def test_the_title_keeps_the_practice_mark_across_documents(qtbot, installed):
    window, controller = installed
    controller.set_practice(True)
    window.files.new()
    assert window.windowTitle().startswith("Untitled[*]")
    assert window.windowTitle().endswith("— Practice")


def test_the_key_group_says_no_key_is_needed_in_practice_mode(qtbot, installed):
    _window, controller = installed
    key_widget = controller.settings_widget.key_widget
    with qtbot.waitSignal(key_widget.checked):
        key_widget.refresh()
    assert key_widget.indicator.text() == "No key set."
    assert key_widget.indicator.styleSheet() == UNSET_STYLE
    controller.set_practice(True)
    assert key_widget.indicator.text() == PRACTICE_NOTE
    assert key_widget.indicator.styleSheet() != UNSET_STYLE
    with qtbot.waitSignal(key_widget.checked):
        key_widget.refresh()  # a keyring answer arriving later does not bring the warning back
    assert key_widget.indicator.text() == PRACTICE_NOTE
    controller.set_practice(False)
    assert key_widget.indicator.text() == "No key set."


def test_a_window_opened_in_practice_mode_shows_the_banner_at_once(qtbot):
    window = MainWindow(practice=True)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    controller = integration.install_sending(window, memory_key_store())
    window.environment_switch.confirm_production = lambda _leaving: True
    try:
        window.show()
        qtbot.waitExposed(window)
        assert window.practice_banner.isVisible()
        assert window.windowTitle().endswith("— Practice")
    finally:
        controller.shutdown()


@pytest.mark.parametrize("way", ["banner", "combo", "menu", "practice action", "settings switch"])
def test_leaving_practice_for_production_asks_once_and_no_keeps_practice(qtbot, installed, way):
    window, controller = installed
    switch = window.environment_switch
    asked = []

    def refuse(leaving):
        asked.append(leaving)
        return False

    switch.confirm_production = refuse
    controller.set_practice(True)
    leave = {
        "banner": lambda: qtbot.mouseClick(
            window.practice_banner.leave_button, Qt.MouseButton.LeftButton
        ),
        "combo": lambda: switch.combo.activated.emit(2),
        "menu": switch.actions[Environment.PRODUCTION].trigger,
        "practice action": lambda: window.practice_action.setChecked(False),
        "settings switch": lambda: controller.settings_widget.practice.setChecked(False),
    }[way]
    leave()
    assert asked == [Environment.PRACTICE]
    assert controller.practice.on and controller.environment is Environment.PRACTICE
    assert switch.combo.currentText() == "Practice" and window.practice_action.isChecked()
    assert controller.settings_widget.practice.isChecked()
    assert window.practice_banner.text.text() == PRACTICE_TEXT
    switch.confirm_production = lambda leaving: asked.append(leaving) or True
    leave()
    assert asked == [Environment.PRACTICE, Environment.PRACTICE]
    assert not controller.practice.on and controller.environment is Environment.PRODUCTION


def test_the_question_names_what_changes_and_its_safe_answer_is_the_default(qtbot, installed):
    window, controller = installed
    controller.set_practice(True)
    seen = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = f"{box.text()} {box.informativeText()}"
        seen["default"] = box.defaultButton().text()
        seen["buttons"] = [b.text() for b in box.buttons()]
        box.defaultButton().click()

    QTimer.singleShot(0, answer)
    window.environment_switch.confirm_production = window.environment_switch._ask_production
    window.environment_switch.actions[Environment.PRODUCTION].trigger()
    assert "Orders will be real and paid from your wallet." in seen["text"]
    assert seen["default"] == "&Stay in Practice"
    assert sorted(seen["buttons"]) == ["&Stay in Practice", "Switch to &Production"]
    assert controller.practice.on


def test_the_domains_table_has_the_focus_first_not_the_banner(qtbot):
    window = MainWindow(practice=True)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    controller = integration.install_sending(window, memory_key_store())
    try:
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        assert QApplication.focusWidget() is window.domains_pane.view
        assert window.practice_banner.isVisible()
    finally:
        controller.shutdown()
