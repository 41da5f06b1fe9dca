"""The window's environments: one choice in the toolbar and the menu, its address, key and marks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from send_support import memory_key_store

from desktop_app.api.sender import Outcome
from desktop_app.practice.server import PracticeServer
from desktop_app.services.destinations import DestinationRefused
from desktop_app.services.environments import Environment
from desktop_app.services.settings import ENVIRONMENT, SANDBOX_BASE_URL
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.history.history_pane import HistoryColumn
from desktop_app.ui.send import integration
from desktop_app.ui.window.main_window import MainWindow
from desktop_app.ui.window.practice_banner import PRACTICE_TEXT, PRODUCTION_TEXT, SANDBOX_TEXT

pytestmark = pytest.mark.gui


@pytest.fixture
def installed(window):
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    window.environment_switch.confirm_production = lambda _leaving: True
    yield window, controller
    controller.shutdown()


def choose_in_combo(window, environment):
    combo = window.environment_switch.combo
    index = combo.findText(environment.label)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a click on the item emits


def set_sandbox_address(controller, address):
    field = controller.settings_widget.sandbox_url
    field.setText(address)
    field.editingFinished.emit()


def test_the_combo_box_and_the_menu_show_one_choice(qtbot, installed):
    window, controller = installed
    switch = window.environment_switch
    assert switch.combo.currentText() == "Production"
    assert switch.actions[Environment.PRODUCTION].isChecked()
    assert window.toolbar.widgetForAction(window.window_actions.send) is not None
    assert switch.combo.parentWidget() is window.toolbar
    choose_in_combo(window, Environment.SANDBOX)
    assert controller.environment is Environment.SANDBOX
    assert switch.actions[Environment.SANDBOX].isChecked()
    assert not switch.actions[Environment.PRODUCTION].isChecked()
    switch.actions[Environment.PRACTICE].trigger()  # Order ▸ Environment ▸ Practice
    assert controller.practice.on and switch.combo.currentText() == "Practice"
    assert window.practice_action.isChecked()
    switch.actions[Environment.PRODUCTION].trigger()
    assert not controller.practice.on and controller.practice.server is None
    assert switch.combo.currentText() == "Production" and not window.practice_action.isChecked()
    menu_texts = [a.text() for a in window.window_actions.order_menu.actions()]
    assert "&Environment" in menu_texts


def test_the_practice_action_selects_practice_and_leaving_it_is_production(qtbot, installed):
    window, controller = installed
    switch = window.environment_switch
    window.practice_action.setChecked(True)
    assert switch.combo.currentText() == "Practice"
    assert switch.actions[Environment.PRACTICE].isChecked()
    assert controller.destination().base_url == controller.practice.base_url
    choose_in_combo(window, Environment.SANDBOX)  # from practice straight to the sandbox
    assert controller.environment is Environment.SANDBOX and not controller.practice.on
    assert not window.practice_action.isChecked()
    assert switch.combo.currentText() == "CMR sandbox"  # unchecking the action did not undo it


def test_the_title_and_banner_name_the_sandbox_and_production_says_it_is_real(qtbot, installed):
    window, controller = installed
    banner = window.practice_banner
    choose_in_combo(window, Environment.SANDBOX)
    assert window.windowTitle().endswith("Order Desk — CMR sandbox")
    assert banner.isVisible() and banner.text.text() == SANDBOX_TEXT
    assert banner.leave_button.text() == "Leave the sandbox"
    choose_in_combo(window, Environment.PRACTICE)
    assert window.windowTitle().endswith("Order Desk — Practice")
    assert banner.isVisible() and banner.text.text() == PRACTICE_TEXT
    assert banner.leave_button.text() == "Leave practice mode"
    choose_in_combo(window, Environment.PRODUCTION)
    assert window.windowTitle().endswith("— Order Desk")
    assert banner.isVisible() and banner.text.text() == PRODUCTION_TEXT
    assert not banner.leave_button.isVisible()
    choose_in_combo(window, Environment.SANDBOX)
    qtbot.mouseClick(banner.leave_button, Qt.MouseButton.LeftButton)
    assert controller.environment is Environment.PRODUCTION
    assert banner.text.text() == PRODUCTION_TEXT


def test_the_destination_follows_the_environment(qtbot, installed):
    window, controller = installed
    settings = controller.settings_widget
    production = controller.destination()
    assert production.environment is Environment.PRODUCTION
    assert production.base_url == settings.production_base_url()
    choose_in_combo(window, Environment.SANDBOX)
    with pytest.raises(DestinationRefused, match="sandbox's address is not set"):
        controller.destination()
    set_sandbox_address(controller, "http://127.0.0.1:9/")
    assert controller.destination().environment is Environment.SANDBOX
    assert controller.destination().key_header == "cmr-x-sandbox-api-key"
    assert controller.destination().base_url == "http://127.0.0.1:9"
    choose_in_combo(window, Environment.PRODUCTION)
    assert controller.destination() == production


def test_the_sandbox_without_an_address_refuses_in_one_sentence(qtbot, installed):
    window, controller = installed
    choose_in_combo(window, Environment.SANDBOX)
    assert controller.send_orders([("Spring", window.document.order, "")]) is None
    assert controller.warning_box.text() == (
        "The CMR sandbox's address is not set: enter it once in Settings (CMR sandbox "
        "address), or give --base-url. Nothing was sent."
    )
    assert controller.review_dialog is None and not controller.key_calls.busy


def test_the_sandbox_address_is_checked_and_saved(qtbot, installed, app_home):
    window, controller = installed
    choose_in_combo(window, Environment.SANDBOX)
    settings = controller.settings_widget
    assert settings.sandbox_url.isVisible() and not settings.base_url.isVisible()
    set_sandbox_address(controller, "http://sandbox.example.com")  # a key must not go in clear
    assert settings.url_problem.isVisible() and settings.url_problem.text()
    stored = QSettings(str(app_home / "settings.ini"), QSettings.Format.IniFormat)
    assert stored.value(SANDBOX_BASE_URL.key) is None
    set_sandbox_address(controller, "https://sandbox.example.com")
    assert not settings.url_problem.isVisible()
    stored.sync()
    assert stored.value(SANDBOX_BASE_URL.key) == "https://sandbox.example.com"
    assert settings.sandbox_base_url() == "https://sandbox.example.com"
    choose_in_combo(window, Environment.PRODUCTION)
    assert settings.base_url.isVisible() and not settings.sandbox_url.isVisible()


def test_the_key_box_follows_the_environment(qtbot, installed):
    window, controller = installed
    controller.sandbox_key_store.set("sandbox-key-123456")
    key_widget = controller.settings_widget.key_widget
    with qtbot.waitSignal(key_widget.checked):
        key_widget.refresh()
    assert key_widget.indicator.text() == "No key set."  # production's key
    with qtbot.waitSignal(key_widget.checked, timeout=5_000):
        choose_in_combo(window, Environment.SANDBOX)
    assert key_widget.store is controller.sandbox_key_store
    assert key_widget.indicator.text() == "Key is set (system keyring)."
    assert "sandbox" in key_widget.entry.placeholderText()
    with qtbot.waitSignal(key_widget.checked, timeout=5_000):
        choose_in_combo(window, Environment.PRODUCTION)
    assert key_widget.store is controller.key_store
    assert key_widget.indicator.text() == "No key set."


def test_a_window_keeps_its_choice_and_a_new_one_starts_from_the_last(qtbot, installed, app_home):
    first, first_controller = installed
    choose_in_combo(first, Environment.SANDBOX)
    stored = QSettings(str(app_home / "settings.ini"), QSettings.Format.IniFormat)
    assert stored.value(ENVIRONMENT.key) == "sandbox"
    second = MainWindow()
    second.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(second)
    controller = integration.install_sending(second, memory_key_store(), memory_key_store())
    second.environment_switch.confirm_production = lambda _leaving: True
    try:
        assert controller.environment is Environment.SANDBOX
        assert second.environment_switch.combo.currentText() == "CMR sandbox"
        assert second.windowTitle().endswith("— CMR sandbox")
        choose_in_combo(second, Environment.PRODUCTION)
        assert first_controller.environment is Environment.SANDBOX  # its own choice
        assert first.environment_switch.combo.currentText() == "CMR sandbox"
    finally:
        controller.shutdown()


def test_a_sandbox_send_says_no_money_moves_and_history_names_the_sandbox(qtbot, installed):
    window, controller = installed
    with PracticeServer(key="sandbox-key-123456") as sandbox:  # stands in for CMR's sandbox
        controller.sandbox_key_store.set("sandbox-key-123456")
        choose_in_combo(window, Environment.SANDBOX)
        set_sandbox_address(controller, sandbox.base_url)
        window.request_send()
        qtbot.waitUntil(lambda: controller.review_dialog is not None, timeout=10_000)
        review = controller.review_dialog
        shown = review.findChild(QLabel, "destination").text()
        assert shown == f"{Environment.SANDBOX.describe()} Orders go to {sandbox.base_url}"
        assert "no money moves" in shown
        with qtbot.waitSignal(controller.sent, timeout=15_000) as sent:
            qtbot.mouseClick(review.send_button, Qt.MouseButton.LeftButton)
        [outcome] = sent.args[0]
        assert outcome.result.outcome is Outcome.CREATED
        assert sandbox.last_request.key_accepted
        where = controller.result_dialog.findChild(QLabel, "where").text()
        assert where.startswith(Environment.SANDBOX.describe())
    model = controller.history_pane.model
    assert model.index(0, HistoryColumn.ENVIRONMENT).data() == "CMR sandbox"
    assert model.index(0, HistoryColumn.OUTCOME).data() == "created"  # "(practice)" only there


def test_the_production_review_says_money_moves(qtbot, installed):
    window, controller = installed
    controller.key_store.set("production-key-123456")
    window.request_send()
    qtbot.waitUntil(lambda: controller.review_dialog is not None, timeout=10_000)
    label = controller.review_dialog.findChild(QLabel, "destination")
    assert label.text().startswith(Environment.PRODUCTION.describe())
    assert label.textFormat() == Qt.TextFormat.PlainText
    controller.review_dialog.reject()


def test_a_window_opened_with_practice_shows_practice_in_the_switch(qtbot, app_home):
    window = MainWindow(practice=True)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    window.environment_switch.confirm_production = lambda _leaving: True
    try:
        assert controller.environment is Environment.PRACTICE and controller.practice.on
        assert window.environment_switch.combo.currentText() == "Practice"
        assert window.environment_switch.actions[Environment.PRACTICE].isChecked()
    finally:
        controller.shutdown()


def test_a_key_saved_just_before_switching_goes_to_the_environment_it_was_typed_for(
    qtbot, installed
):
    window, controller = installed
    choose_in_combo(window, Environment.SANDBOX)
    key_widget = controller.settings_widget.key_widget
    qtbot.waitUntil(lambda: not key_widget.calls.busy)  # the look at the sandbox's key
    key_widget.entry.setText("sandbox-key-654321")
    qtbot.mouseClick(key_widget.save_button, Qt.MouseButton.LeftButton)
    assert key_widget.calls.busy
    # The keyring answers on the GUI thread, so this switch comes before its answer.
    with qtbot.waitSignal(key_widget.checked, timeout=5_000):
        choose_in_combo(window, Environment.PRODUCTION)
    qtbot.waitUntil(lambda: not key_widget.calls.busy)
    assert controller.sandbox_key_store.get() == "sandbox-key-654321"
    assert controller.key_store.get() is None
    assert key_widget.indicator.text() == "No key set."  # production's, not the sandbox's
    assert key_widget.entry.text() == ""


def test_each_environment_in_the_menu_has_a_letter_of_its_own(installed):
    from desktop_app.ui.common.keyboard import mnemonic

    window, _controller = installed
    letters = [mnemonic(action.text()) for action in window.environment_switch.actions.values()]
    assert all(letters) and len(set(letters)) == len(letters), letters
