"""The Help menu: the guide wherever this copy of the app came from, every shortcut."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QTableWidget, QTextBrowser

from desktop_app.services import paths
from desktop_app.ui.window.help_menu import GUIDE_SECTIONS, readme_section

pytestmark = pytest.mark.gui


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The app as a wheel installs it: no checkout around the package."""
    monkeypatch.setattr(paths, "checkout_root", lambda: tmp_path)


def test_help_guide_shows_the_operators_guide_with_an_after_sending_section(window):
    window.help_menu.show_guide("After sending")
    browser = window.help_menu.dialog.findChild(QTextBrowser)
    text = browser.toPlainText()
    assert text.startswith("After sending") and "check your CMR dashboard" in text
    assert window.help_menu.dialog.windowTitle() == "Order Desk Guide — After sending"


def test_every_guide_entry_opens_a_section_written_for_operators(window):
    guide = paths.guide_text()
    for heading in GUIDE_SECTIONS.values():
        assert readme_section(guide, heading), heading
    # Developer material stays in the README.
    for words in ("desktop_app", "worker processes", "pytest", "import-linter", ".venv"):
        assert words not in guide, words


def test_a_copy_without_the_guide_says_so_in_the_status_bar(window, installed):
    window.help_menu.show_guide("Sending")
    assert window.help_menu.dialog is None
    message = window.statusBar().currentMessage()
    assert message == "The guide is not installed with this copy of Order Desk."


def test_the_shortcuts_list_reaches_into_submenus(window):
    # No submenu entry has a shortcut today; give one a key, as a later version may.
    [import_menu] = [m for m in window.findChildren(QMenu) if m.title() == "&Import"]
    import_domains = import_menu.actions()[0]
    assert import_domains.text() == "&Domains CSV…"
    import_domains.setShortcut(QKeySequence("Ctrl+Alt+I"))
    window.help_menu.show_shortcuts()
    table = window.help_menu.dialog.findChild(QTableWidget)
    rows = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    assert ("Domains CSV…", "Ctrl+Alt+I") in rows
    assert ("Keyboard Shortcuts", "Ctrl+/") in rows
    assert not [name for name, _ in rows if name in {"Import", "Guide", "Environment"}]
    # Asking twice works: the menus are still there (PySide < 6.11.2 lost them to menu()).
    window.help_menu.show_shortcuts()
    assert window.help_menu.dialog.findChild(QTableWidget).rowCount() == len(rows)


def test_the_shortcuts_list_says_how_tab_enter_and_menus_work_and_every_pane_has_keys(window):
    from send_support import memory_key_store

    from desktop_app.ui.send import integration

    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    try:
        window.help_menu.show_shortcuts()
        table = window.help_menu.dialog.findChild(QTableWidget)
        rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
        assert rows["Next control / previous control (tables and boxes too)"] == "Tab / Shift+Tab"
        assert rows["End an edit and go to the cell below / above"] == "Enter / Shift+Enter"
        assert rows["The current row's menu (History)"] == "Menu key or Shift+F10"
        panes = ["Domains", "Mailboxes", "Pictures", "Settings", "Problems", "History"]
        assert [rows[pane] for pane in panes] == [f"Alt+{n}" for n in range(1, 7)]
        [history] = [a for a in window.window_actions.pane_actions if "History" in a.text()]
        history.trigger()
        assert controller.history_pane.view.hasFocus()
    finally:
        controller.shutdown()


def test_the_guides_pictures_are_there_and_shipped():
    import re

    guide = paths.guide_text()
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", guide)
    assert len(pictures) >= 3
    folder = paths.guide_folder()
    for name in pictures:
        assert name.startswith("guide-") and name.endswith(".png")  # the wheel ships guide-*.png
        assert (folder / name).is_file(), name
