"""Text from outside (servers, drafts, History, files) is shown as its characters, never as HTML."""

from __future__ import annotations

import http.server
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox
from send_support import SECRET_KEY, serve_on_loopback, small_order

from desktop_app.api.payload import build_request
from desktop_app.api.sender import OrderSender, Outcome
from desktop_app.services.history import History, SendPart
from desktop_app.services.send_flow import Destination, PartOutcome, plan
from desktop_app.ui.common.plain_text import message_box, plain_label, plain_tooltip
from desktop_app.ui.history.history_pane import HistoryColumn, HistoryPane
from desktop_app.ui.send.result_dialog import SendResultDialog
from desktop_app.ui.send.review_dialog import SendReviewDialog

pytestmark = pytest.mark.gui

FAKE = "<h1>Order created</h1> <b>ID</b>"
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)


def answering(status: int, answer: dict) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def send_to(status: int, answer: dict, history: History | None = None):
    """A real send to a real loopback server answering ``status`` with ``answer``."""
    with serve_on_loopback(answering(status, answer)) as url:
        request = build_request(small_order(1), url)
        where = SendPart(draft_path="/drafts/<b>spring</b>.cmrorder")
        attempt = history.claim(request, where).attempt_id if history else None
        with OrderSender(SECRET_KEY) as sender:
            result = sender.send(request)
    if history is not None and attempt is not None:
        history.finish(attempt, result)
    return result


def shown_as_written(label: QLabel, text: str) -> bool:
    return label.textFormat() == Qt.TextFormat.PlainText and text in label.text()


def test_a_422_answer_in_html_cannot_draw_order_created(qtbot):
    result = send_to(422, {"status": 422, "message": FAKE})
    assert result.outcome is Outcome.NOT_CREATED and FAKE in result.message
    dialog = SendResultDialog([PartOutcome("Spring", 1, 1, result)])
    qtbot.addWidget(dialog)
    reason = dialog.findChild(QLabel, "reason")
    assert shown_as_written(reason, FAKE)
    # No label anywhere in the dialog is left to guess that the answer is HTML.
    for label in dialog.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    assert dialog.findChild(QLabel, "headline").text() == "Not created"


def test_a_201_answer_with_html_domains_is_plain_text_too(qtbot):
    answer = {"data": {"orderId": "ORD-1", "unavailableDomains": [FAKE]}, "message": FAKE}
    result = send_to(201, answer)
    assert result.outcome is Outcome.CREATED
    dialog = SendResultDialog([PartOutcome("Spring", 1, 1, result)])
    qtbot.addWidget(dialog)
    assert shown_as_written(dialog.findChild(QLabel, "unavailableDomains"), FAKE)


def test_history_shows_a_servers_html_as_written(qtbot):
    history = History()
    send_to(422, {"status": 422, "message": FAKE}, history)
    pane = HistoryPane(history)
    qtbot.addWidget(pane)
    pane.refresh()
    message = pane.model.index(0, HistoryColumn.MESSAGE)
    assert FAKE in message.data()
    tooltip = message.data(TOOLTIP)
    assert FAKE in reads_as_rendered(tooltip)
    draft = pane.model.index(0, HistoryColumn.DRAFT).data(TOOLTIP)
    assert reads_as_rendered(draft) == "/drafts/<b>spring</b>.cmrorder"
    assert pane.empty.textFormat() == Qt.TextFormat.PlainText


def test_the_reviews_labels_show_the_drafts_and_historys_text_as_written(qtbot, app_home):
    history = History()
    order = small_order(1, user_id="<b>42</b>")
    with serve_on_loopback(answering(201, {"data": {"orderId": "<i>ORD-7</i>"}})) as url:
        request = build_request(order, url)
        attempt = history.claim(request).attempt_id
        with OrderSender(SECRET_KEY) as sender:
            history.finish(attempt, sender.send(request))
        plans = [plan("Spring", order, "", Destination(url), history)]
    dialog = SendReviewDialog(plans, f"{url}/<b>here</b>", practice=False)
    qtbot.addWidget(dialog)
    labels = dialog.findChildren(QLabel)
    assert any(shown_as_written(label, "<b>42</b>") for label in labels)
    assert shown_as_written(dialog.findChild(QLabel, "destination"), "<b>here</b>")
    repeats = dialog.findChild(QLabel, "repeats")
    assert repeats is not None and shown_as_written(repeats, "<i>ORD-7</i>")


def test_message_boxes_show_their_text_and_informative_text_plainly(qtbot):
    box = message_box(QMessageBox.Icon.Warning, "Title", FAKE, informative=FAKE)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == FAKE
    informative = box.findChild(QLabel, "qt_msgbox_informativelabel")
    assert shown_as_written(informative, FAKE)


def test_the_helpers(qtbot):
    label = plain_label(FAKE, word_wrap=True, object_name="x")
    qtbot.addWidget(label)
    assert shown_as_written(label, FAKE) and label.wordWrap() and label.objectName() == "x"
    assert plain_tooltip("no markup here") == "no markup here"
    assert reads_as_rendered(plain_tooltip(FAKE)) == FAKE
    assert reads_as_rendered(plain_tooltip("a\n<b>b</b>")) == "a\n<b>b</b>"


def reads_as_rendered(tooltip: str) -> str:
    """What a tooltip shows the operator: Qt renders text that looks like HTML, so do that."""
    from PySide6.QtGui import Qt as QtGui

    if not QtGui.mightBeRichText(tooltip):
        return tooltip
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()
