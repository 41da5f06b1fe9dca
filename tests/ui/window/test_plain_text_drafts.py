"""What a draft or a CSV holds is shown as its characters: problems, tooltips, banners, boxes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.ui.common.message_banner import MessageBanner
from desktop_app.ui.tables.columns import MailboxColumn
from desktop_app.ui.window.problems_pane import ProblemColumn

pytestmark = pytest.mark.gui

EVIL = "<b>evil</b>.com"
EVIL_NAME = "<b>ann</b>"
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)


def reads_as_rendered(tooltip: str) -> str:
    """What a tooltip shows the operator: Qt renders text that looks like HTML, so do that."""
    if not QtGui.mightBeRichText(tooltip):
        return tooltip
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


def test_a_drafts_markup_in_problems_and_cell_tooltips_reads_as_written(qtbot, window):
    twice = [Mailbox("alpha.com", EVIL_NAME, "Ann", "Archer") for _ in range(2)]
    window.document.replace(Order(domains=[DomainEntry("alpha.com", 1)], mailboxes=twice), None)
    pane = window.problems_pane
    quoted = f"{EVIL_NAME}@alpha.com"
    qtbot.waitUntil(lambda: any(quoted in p.message for p in pane.model.problems))
    row = next(i for i, p in enumerate(pane.model.problems) if quoted in p.message)
    message = pane.model.problems[row].message
    tooltip = pane.model.index(row, ProblemColumn.MESSAGE).data(TOOLTIP)
    assert QtGui.mightBeRichText(message)  # left alone, Qt would render it
    assert reads_as_rendered(tooltip) == message
    cell = window.mailboxes_pane.model.index(0, MailboxColumn.USERNAME).data(TOOLTIP)
    assert quoted in reads_as_rendered(cell)
    avatar = window.mailboxes_pane.model.index(0, MailboxColumn.AVATAR).data(TOOLTIP)
    assert reads_as_rendered(avatar).startswith(quoted)


def test_a_banner_shows_its_message_as_written(qtbot):
    banner = MessageBanner()
    qtbot.addWidget(banner)
    banner.show_message(f"Cannot read {EVIL}.png", warning=True)
    assert banner.text.textFormat() == Qt.TextFormat.PlainText
    assert banner.text.text() == f"Cannot read {EVIL}.png"


def test_a_failure_box_quotes_a_file_name_as_written(qtbot, window):
    window.files.fail("Cannot Open Draft", f"{EVIL}.cmrorder is not a draft.")
    box = window.findChild(QMessageBox)
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"{EVIL}.cmrorder is not a draft."
    box.close()


def test_the_status_bar_labels_are_plain_text(window):
    for label in (window.counts_label, window.problems_label):
        assert isinstance(label, QLabel) and label.textFormat() == Qt.TextFormat.PlainText
