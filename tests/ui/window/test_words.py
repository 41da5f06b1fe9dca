"""The window speaks the operator's words: no API names, domains as typed, one number format."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTableWidget, QTextBrowser

from desktop_app.order.model import Mailbox
from desktop_app.services.paths import sample_draft
from desktop_app.ui.tables.columns import DomainColumn, MailboxColumn
from desktop_app.ui.window.help_menu import GUIDE_SECTIONS
from desktop_app.ui.window.practice_banner import CONFIRM_TEXT

pytestmark = pytest.mark.gui
API_NAMES = re.compile(
    r"clientId|appName|OauthRoute|userId|serviceProvider|autoRenew|billingCycle|"
    r"\bGOOGLE\b|\bMICROSOFT\b|\bMONTHLY\b|CONFIRM IS ON|firstName|lastName|forwardTo"
)


def operator_texts(window):
    texts = [w.text() for w in window.findChildren(QLabel)]
    texts += [w.text() for w in window.findChildren(QAbstractButton)]
    texts += [w.title() for w in window.findChildren(QGroupBox)]
    texts += [a.text() for a in window.findChildren(QAction)]
    for model in (window.document.domains, window.document.mailboxes):
        texts += [
            model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
        ]
    return [t for t in texts if t]


def QtHorizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_no_api_field_names_in_the_windows_words(window):
    window.document.set_field("confirm", True)
    window.document.set_field("google.client_id", "abc")  # a problem about the client ID
    window.problems_pane.refresh()
    texts = operator_texts(window)
    model = window.problems_pane.model
    texts += [model.index(r, column).data() for r in range(model.rowCount()) for column in (1, 2)]
    assert any("client ID" in t for t in texts)  # the problem about it is among them
    assert [t for t in texts if API_NAMES.search(t)] == []
    assert window.settings_pane.options.confirm.text() == "Process at once"


def test_the_confirm_banner_says_what_processing_at_once_costs(qtbot, window):
    banner = window.confirm_banner
    assert not banner.isVisible()
    window.settings_pane.options.confirm.click()
    assert banner.isVisible() and banner.text.text() == CONFIRM_TEXT
    assert CONFIRM_TEXT == "Process at once is on: the wallet is charged when the order is created."
    banner.off_button.click()
    assert window.document.order.confirm is False and not banner.isVisible()
    window.document.undo_stack.undo()
    assert banner.isVisible()


def test_a_pasted_punycode_domain_shows_in_unicode_with_the_punycode_in_its_tooltip(window):
    pane = window.domains_pane
    pane.view.setCurrentIndex(pane.proxy.index(0, DomainColumn.DOMAIN))
    pane.paste("xn--bcher-kva.de\t1\n")
    assert window.document.order.domains[0].domain == "bücher.de"
    tip = pane.proxy.index(0, DomainColumn.DOMAIN).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Sent as xn--bcher-kva.de"
    mailboxes = window.mailboxes_pane
    mailboxes.view.setCurrentIndex(mailboxes.proxy.index(0, MailboxColumn.USERNAME))
    mailboxes.paste("ann@XN--BCHER-KVA.DE\tAnn\tArcher\n")
    assert window.document.order.mailboxes[0].domain == "bücher.de"


def QtToolTip():
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.ToolTipRole


def test_the_bundled_sample_opens_named_sample_order(window):
    window.files.open_path(sample_draft(), confirmed=True)
    assert window.windowTitle().startswith("Sample order[*] — Order Desk")
    window.settings_pane.options.name.textEdited.emit("June launch")
    assert window.windowTitle().startswith("June launch[*]")


def test_numbers_have_thousands_separators(window):
    order = window.document.order
    order.mailboxes = [Mailbox("alpha.com", f"u{i}", "U", "V") for i in range(2500)]
    window.document.replace(order, None)
    window.mailboxes_pane._on_count_timer_timeout()
    assert "2,500 mailboxes" in window.counts_label.text()
    assert "0 of 2,500 pictures" in window.counts_label.text()
    assert window.mailboxes_pane.count_label.text() == "2,500 mailboxes"


def test_action_tooltips_show_their_shortcut(qtbot, window):
    actions = window.window_actions
    assert actions.save.toolTip() == "Save (Ctrl+S)"
    assert actions.send.toolTip() == "Review and send the order (Ctrl+Return)"
    assert actions.add_domain.toolTip() == "Add Domain (Ctrl+Shift+D)"
    with_keys = [a for a in window.findChildren(QAction) if a.shortcut().toString()]
    assert with_keys and all(
        a.toolTip().endswith(f"({a.shortcut().toString()})") for a in with_keys
    ), [a.toolTip() for a in with_keys]
    window.domains_pane.add_row()
    assert actions.undo.toolTip() == "Undo Add domain (Ctrl+Z)"


def test_help_lists_the_keyboard_shortcuts(qtbot, window):
    window.help_menu.shortcuts.trigger()
    table = window.help_menu.dialog.findChild(QTableWidget)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Save"] == "Ctrl+S"
    assert rows["Send Order…"] == "Ctrl+Return"
    assert rows["Undo"] == "Ctrl+Z"
    assert rows["Add Domain"] == "Ctrl+Shift+D"
    assert rows["Keyboard Shortcuts"] == "Ctrl+/"


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_data_folder_opens_the_apps_home(window, app_home):
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        window.help_menu.data_folder.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in catcher.urls] == [str(app_home)]


@pytest.mark.parametrize("heading", list(GUIDE_SECTIONS.values()))
def test_the_guide_opens_each_readme_section(window, heading):
    window.help_menu.show_guide(heading)
    browser = window.help_menu.dialog.findChild(QTextBrowser)
    text = browser.toPlainText()
    assert text.startswith(heading) and len(text) > 200
    assert window.help_menu.dialog.windowTitle() == f"Order Desk Guide — {heading}"


def test_a_picture_slot_shows_the_address_as_typed_with_the_punycode_in_its_tooltip(window):
    window.document.order.mailboxes[0].domain = "bücher.de"
    model = window.document.mailboxes
    tip = model.index(0, int(MailboxColumn.AVATAR)).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[:2] == ["ann@bücher.de", "Sent as xn--bcher-kva.de"]
