"""The Help menu: the operator's guide, the keyboard shortcuts, the data folder, About."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from desktop_app import APP_NAME, __version__
from desktop_app.services.paths import app_home, guide_folder, guide_text
from desktop_app.ui.common.keyboard import CONVENTION, give_mnemonics, tab_leaves
from desktop_app.ui.window.action_tips import with_shortcut

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QMenuBar


class HelpWindow(Protocol):
    """What the Help menu needs of its window (``MainWindow`` is one).

    ``widget()`` is the window as the parent of what Help opens.
    """

    def widget(self) -> QWidget: ...

    def menuBar(self) -> QMenuBar: ...

    def show_status(self, text: str) -> None: ...


# Menu entry -> the heading of docs/guide.md it opens (a "## " section).
GUIDE_SECTIONS = {
    "&Getting Started": "Getting started",
    "&Drafting": "Drafting",
    "&Checking Before You Send": "Checking before you send",
    "&Sending": "Sending",
    "&After Sending": "After sending",
    "Using the &Keyboard": "Using the keyboard",
    "C&olours and Small Screens": "Colours and small screens",
    "Where Your Data &Is": "Where your data is",
}


def readme_section(text: str, heading: str) -> str:
    """The ``## heading`` section of a Markdown text, down to the next ``## `` heading."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == f"## {heading}"), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[start:end]).strip()


def menus_by_action(root: QWidget) -> dict[QAction, QMenu]:
    """Every menu inside ``root``, by the action that opens it.

    Not ``QAction.menu()``: before PySide6 6.11.2 it hands back a wrapper whose menu is
    already deleted ("Internal C++ object already deleted"), so Help ▸ Keyboard Shortcuts
    failed on the older versions ``pyproject.toml`` allows.
    """
    return {menu.menuAction(): menu for menu in root.findChildren(QMenu)}


def shortcut_rows(
    menus: list[QMenu], short_names: dict[QAction, str], submenus: dict[QAction, QMenu]
) -> list[tuple[str, str]]:
    """``(what it does, keys)`` for every menu action with a shortcut, in menu order.

    ``short_names`` names actions whose text changes (Undo becomes "Undo Paste 3 rows");
    ``submenus`` is :func:`menus_by_action` of the window.
    """
    rows = []
    for menu in menus:
        for action in menu.actions():
            submenu = submenus.get(action)
            if submenu is not None:
                rows += shortcut_rows([submenu], short_names, submenus)
                continue
            # The first shortcut only: the others are spare keys (Alt+Backspace, a "Save" key).
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                name = short_names.get(action) or action.text().replace("&", "")
                rows.append((name, keys))
    return rows


class HelpMenu:
    """Fills the Help menu of ``window`` and opens what it offers.

    ``short_names`` names the actions whose text changes (Undo becomes "Undo Paste
    3 rows") in the shortcut list.
    """

    def __init__(
        self, window: HelpWindow, menu: QMenu, short_names: dict[QAction, str] | None = None
    ) -> None:
        self.window = window
        self.short_names = short_names or {}
        self.dialog: QDialog | None = None
        guide = menu.addMenu("&Guide")
        for label, heading in GUIDE_SECTIONS.items():
            action = guide.addAction(label)
            action.setStatusTip(f"Read “{heading}” in the guide")
            action.triggered.connect(lambda _checked=False, h=heading: self.show_guide(h))
        self.shortcuts = menu.addAction("&Keyboard Shortcuts")
        self.shortcuts.setShortcut(QKeySequence("Ctrl+/"))
        with_shortcut(self.shortcuts, "Every keyboard shortcut")
        self.shortcuts.triggered.connect(lambda _checked=False: self.show_shortcuts())
        self.data_folder = menu.addAction("Open &Data Folder")
        self.data_folder.setStatusTip("Settings, autosaves and send history (never the API key)")
        self.data_folder.triggered.connect(lambda _checked=False: self.open_data_folder())
        menu.addSeparator()
        about = menu.addAction(f"&About {APP_NAME}")
        about.triggered.connect(lambda _checked=False: self.show_about())

    def open_data_folder(self) -> None:
        folder = app_home()
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.window.show_status(f"No file manager opened; the data folder is {folder}")

    def show_guide(self, heading: str) -> None:
        section = readme_section(guide_text(), heading)
        if not section:
            self.window.show_status("The guide is not installed with this copy of Order Desk.")
            return
        from PySide6.QtWidgets import QTextBrowser

        browser = QTextBrowser()
        browser.setOpenExternalLinks(True)
        folder = guide_folder()
        if folder is not None:
            browser.setSearchPaths([str(folder)])  # the guide's pictures
        # The guide is the app's own text (never a draft's or a server's): Markdown is safe.
        browser.setMarkdown(section)
        self._open(f"{APP_NAME} Guide — {heading}", browser, (720, 560))

    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

        submenus = menus_by_action(self.window.widget())
        menus = [submenus[a] for a in self.window.menuBar().actions() if a in submenus]
        rows = CONVENTION + shortcut_rows(menus, self.short_names, submenus)
        table = QTableWidget(len(rows), 2)
        tab_leaves(table)
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAccessibleName("Keyboard shortcuts")
        for row, (name, keys) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(name))
            table.setItem(row, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        self._open("Keyboard Shortcuts", table, (460, 520))

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self.window.widget(),
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Draft, check and send ColdMailReseller orders.",
        )

    def _open(self, title: str, content: QWidget, size: tuple[int, int]) -> None:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

        dialog = QDialog(self.window.widget())
        dialog.setWindowTitle(title)
        layout = QVBoxLayout(dialog)
        layout.addWidget(content)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        give_mnemonics(buttons.buttons())
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(*size)
        self.dialog = dialog
        dialog.open()
