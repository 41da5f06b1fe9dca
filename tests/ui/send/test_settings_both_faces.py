"""The window and the command line read and write one settings store, each seeing the other."""

from __future__ import annotations

import os

import pytest
from cli_support import order_desk
from send_support import memory_key_store

from desktop_app.services.environments import Environment
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.send import integration
from desktop_app.ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui


def command_line(app_home, *args):
    """``python -m desktop_app ARGS`` in a process of its own, on the same app home."""
    env = {**os.environ, "ORDER_DESK_HOME": str(app_home)}
    return order_desk(*args, env=env, timeout=60)


def shown_settings(app_home):
    done = command_line(app_home, "settings")
    assert done.returncode == 0, done.stderr
    return dict(line.split("=", 1) for line in done.stdout.splitlines()), done.stderr


def open_window(qtbot):
    window = MainWindow()
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    return window, controller


def choose(window, environment):
    combo = window.environment_switch.combo
    index = combo.findText(environment.label)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_what_the_window_sets_the_command_line_reads(qtbot, app_home):
    window, controller = open_window(qtbot)
    try:
        settings = controller.settings_widget
        settings.per_request.setValue(250)
        settings.base_url.setText("https://gateway.example.com/cmr")
        settings.base_url.editingFinished.emit()
        choose(window, Environment.SANDBOX)
        settings.sandbox_url.setText("https://sandbox.example.com")
        settings.sandbox_url.editingFinished.emit()
    finally:
        controller.shutdown()
    shown, said = shown_settings(app_home)
    assert shown["sending/max_mailboxes"] == "250"
    assert shown["sending/base_url"] == "https://gateway.example.com/cmr"
    assert shown["sending/sandbox_base_url"] == "https://sandbox.example.com"
    assert shown["sending/environment"] == "sandbox"
    assert said == ""


def test_what_the_command_line_sets_the_window_shows(qtbot, app_home):
    for name, value in (
        ("sending/max_mailboxes", "300"),
        ("sending/sandbox_base_url", "https://sandbox.example.com"),
        ("sending/environment", "sandbox"),
    ):
        done = command_line(app_home, "settings", "set", name, value)
        assert done.returncode == 0, done.stderr
    window, controller = open_window(qtbot)
    try:
        assert controller.settings_widget.per_request.value() == 300
        assert controller.settings_widget.sandbox_url.text() == "https://sandbox.example.com"
        assert controller.environment is Environment.SANDBOX
        assert window.environment_switch.combo.currentText() == "CMR sandbox"
        assert controller.destination().base_url == "https://sandbox.example.com"
    finally:
        controller.shutdown()


def test_a_bad_value_is_the_same_default_in_both_and_each_says_so(qtbot, app_home):
    # The window used to make 0 into 1 and the command line into 992.
    (app_home / "settings.ini").write_text("[General]\nversion=2\n\n[sending]\nmax_mailboxes=0\n")
    window, controller = open_window(qtbot)
    try:
        assert controller.settings_widget.per_request.value() == 992
        message = window.statusBar().currentMessage()
        assert "sending/max_mailboxes ('0') is not a whole number from 1 to 992" in message
    finally:
        controller.shutdown()
    shown, said = shown_settings(app_home)
    assert shown["sending/max_mailboxes"] == "992"
    assert "sending/max_mailboxes ('0') is not a whole number from 1 to 992" in said
    assert said.count("\n") == 1 and "Traceback" not in said
