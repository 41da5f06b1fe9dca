"""The window's review shows an address with control characters escaped."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from send_support import small_order

from desktop_app.services.history import History
from desktop_app.services.send_flow import Destination, plan
from desktop_app.ui.send.review_dialog import SendReviewDialog

pytestmark = pytest.mark.gui


def test_the_reviews_destination_shows_control_characters_escaped(qtbot, app_home):
    url = "http://127.0.0.1:9/api\x1b[2J\r\u202eevil"
    plans = [plan("Spring", small_order(1), "", Destination(url), History())]
    dialog = SendReviewDialog(plans, url, practice=False)
    qtbot.addWidget(dialog)
    shown = dialog.findChild(QLabel, "destination").text()
    assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert "\\x1b[2J\\r\\u202eevil" in shown
