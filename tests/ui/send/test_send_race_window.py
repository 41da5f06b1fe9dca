"""A review left open in the window while the command line sends the same draft."""

from __future__ import annotations

import os
import subprocess

import pytest
from cli_support import ORDER_DESK
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QRadioButton
from send_support import small_order

from desktop_app.api.sender import Outcome
from desktop_app.draft import draft_file
from desktop_app.practice.server import PRACTICE_KEY
from desktop_app.services.keystore import ENV_VAR

pytestmark = pytest.mark.gui


def test_accepting_a_stale_review_sends_nothing_and_asks_again(
    qtbot, controller, tmp_path, app_home
):
    controller.set_practice(True)
    server = controller.practice.server
    draft = tmp_path / "spring.cmrorder"
    draft_file.save(small_order(2), draft)
    order = draft_file.load(draft)
    review = controller.send_orders([("spring.cmrorder", order, str(draft))])
    assert review is not None and review.send_button.isEnabled()  # nothing sent yet

    # Meanwhile, in a terminal, the same draft is sent to the same server.
    env = {**os.environ, ENV_VAR: PRACTICE_KEY, "ORDER_DESK_HOME": str(app_home)}
    command = [
        *ORDER_DESK,
        "send",
        str(draft),
        "--yes",
        "--env",
        "practice",
    ]
    terminal = subprocess.run(
        [*command, "--base-url", server.base_url], env=env, capture_output=True, text=True
    )
    assert terminal.returncode == 0, terminal.stderr
    assert server.created_count == 1

    with qtbot.waitSignal(controller.sent, timeout=15_000) as sent:
        qtbot.mouseClick(review.send_button, Qt.MouseButton.LeftButton)
    [outcome] = sent.args[0]
    assert outcome.result.outcome is Outcome.NOT_CREATED and not outcome.sent
    assert outcome.new_repeats and "since the review" in outcome.result.message
    assert server.created_count == 1  # the window bought nothing

    # Once the result is read, the review comes back with what History shows now.
    controller.result_dialog.accept()
    again = controller.review_dialog
    assert again is not review and again.isVisible()
    notice = again.findChild(QLabel, "notice")
    assert notice is not None and "ordered elsewhere" in notice.text()
    assert "example.com — order" in again.findChild(QLabel, "repeats").text()
    assert not again.send_button.isEnabled()
    assert again.findChild(QRadioButton, "sendAgain") is not None
    again.reject()
