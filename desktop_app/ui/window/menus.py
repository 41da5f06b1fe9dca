"""The window's actions and menus, with standard shortcuts and names for every action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop_app.ui.common.keyboard import mnemonic, with_mnemonic

if TYPE_CHECKING:
    from desktop_app.ui.window.main_window import MainWindow

Keys = QKeySequence.StandardKey


@dataclass
class WindowActions:
    """Every action of the window, by what it does."""

    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    cut: QAction
    copy: QAction
    paste: QAction
    delete: QAction
    select_all: QAction
    find: QAction
    add_domain: QAction
    add_mailbox: QAction
    remove_rows: QAction
    generate: QAction
    send: QAction
    recent_menu: QMenu
    order_menu: QMenu
    view_menu: QMenu
    pane_actions: list[QAction]  # View ▸ Domains (Alt+1) … one per pane, in order


def _action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object] | None,
    shortcut: QKeySequence.StandardKey | str | list[str] | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if isinstance(shortcut, list):
        action.setShortcuts([QKeySequence(s) for s in shortcut])
    elif isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    with_shortcut(action, tip)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def with_shortcut(action: QAction, tip: str = "") -> None:
    """Give ``action`` a tooltip that ends with its shortcut: "Save (Ctrl+S)"."""
    text = tip or action.text().replace("&", "").rstrip("…").rstrip(".")
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text} ({shortcut})" if shortcut else text)


class _ShortcutTip(QObject):
    """Keeps an action's tooltip "<its text> (<its keys>)" as the undo stack renames it.

    A child of the action, so the connection ends with the action.
    """

    def __init__(self, action: QAction) -> None:
        super().__init__(action)
        self._action = action
        action.changed.connect(self.retip)
        self.retip()

    def retip(self) -> None:
        action = self._action
        try:
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        except RuntimeError:
            return  # a QAction says "changed" once more while it is being destroyed
        wanted = f"{action.text().replace('&', '')} ({shortcut})"
        if action.toolTip() != wanted:
            action.setToolTip(wanted)


def build_menus(window: MainWindow) -> WindowActions:
    bar = window.menuBar()
    files, document = window.files, window.document

    file_menu = bar.addMenu("&File")
    new = _action(window, file_menu, "&New", files.new, Keys.New)
    open_ = _action(window, file_menu, "&Open…", files.open, Keys.Open)
    recent_menu = file_menu.addMenu("Open &Recent")
    save = _action(window, file_menu, "&Save", files.save, Keys.Save)
    save_as = _action(window, file_menu, "Save &As…", files.save_as, "Ctrl+Shift+S")
    file_menu.addSeparator()
    import_menu = file_menu.addMenu("&Import")
    _action(
        window,
        import_menu,
        "&Domains CSV…",
        files.import_domains,
        tip="Add the domains of a CSV file",
    )
    _action(
        window,
        import_menu,
        "&Mailboxes CSV…",
        files.import_mailboxes,
        tip="Add the mailboxes of a CSV file",
    )
    _action(
        window,
        import_menu,
        "&Pictures Folder…",
        window.avatars.choose_folder,
        tip="Load every username@domain picture in a folder",
    )
    export_menu = file_menu.addMenu("&Export")
    _action(window, export_menu, "&Domains CSV…", lambda: files.export("domains"))
    _action(window, export_menu, "&Mailboxes CSV…", lambda: files.export("mailboxes"))
    file_menu.addSeparator()
    quit_ = _action(window, file_menu, "&Quit", window.close, Keys.Quit)

    edit_menu = bar.addMenu("&Edit")
    undo = document.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts(Keys.Undo)
    redo = document.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([*QKeySequence.keyBindings(Keys.Redo), QKeySequence("Ctrl+Y")])
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    _ShortcutTip(undo)
    _ShortcutTip(redo)
    edit_menu.addSeparator()
    cut = _action(window, edit_menu, "Cu&t", lambda: window.edit_in_pane("cut"), Keys.Cut)
    copy = _action(window, edit_menu, "&Copy", lambda: window.edit_in_pane("copy"), Keys.Copy)
    paste = _action(
        window,
        edit_menu,
        "&Paste",
        lambda: window.edit_in_pane("paste"),
        Keys.Paste,
        tip="Paste rows from a spreadsheet at the current cell",
    )
    delete = _action(
        window,
        edit_menu,
        "&Delete",
        lambda: window.edit_in_pane("delete"),
        Keys.Delete,
        tip="Empty the selected cells, or remove whole selected rows",
    )
    select_all = _action(
        window, edit_menu, "Select &All", lambda: window.edit_in_pane("select_all"), Keys.SelectAll
    )
    edit_menu.addSeparator()
    find = _action(
        window,
        edit_menu,
        "&Find…",
        lambda: window.edit_in_pane("focus_filter"),
        Keys.Find,
        tip="Filter the table that has the focus",
    )

    order_menu = bar.addMenu("&Order")
    add_domain = _action(
        window, order_menu, "Add &Domain", window.domains_pane.add_row, "Ctrl+Shift+D"
    )
    add_mailbox = _action(
        window, order_menu, "Add &Mailbox", window.mailboxes_pane.add_row, "Ctrl+Shift+M"
    )
    remove_rows = _action(
        window,
        order_menu,
        "&Remove Rows",
        lambda: window.edit_in_pane("remove_rows"),
        "Ctrl+-",
        tip="Remove every row with a selected cell",
    )
    generate = _action(
        window,
        order_menu,
        "&Generate Mailboxes…",
        window.open_generator,
        "Ctrl+G",
        tip="Make mailboxes from a list of names for the selected domains",
    )
    order_menu.addSeparator()
    send = _action(
        window,
        order_menu,
        "&Send Order…",
        window.request_send,
        "Ctrl+Return",
        tip="Review and send the order",
    )
    send.setEnabled(False)

    view_menu = bar.addMenu("&View")
    pane_actions = [
        _action(window, view_menu, label, target, f"Alt+{number}")
        for number, (label, target) in enumerate(window.focus_targets().items(), start=1)
    ]
    view_menu.addSeparator()
    _theme_menu(window, view_menu)
    _action(
        window,
        view_menu,
        "Reset &Layout",
        window.reset_layout,
        tip="The default window size and pane sizes",
    )

    from desktop_app.ui.window.help_menu import HelpMenu

    window.help_menu = HelpMenu(window, bar.addMenu("&Help"))

    return WindowActions(
        new, open_, save, save_as, quit_, undo, redo, cut, copy, paste, delete, select_all, find,
        add_domain, add_mailbox, remove_rows, generate, send, recent_menu, order_menu,
        view_menu, pane_actions,
    )  # fmt: skip


def add_pane_action(
    window: MainWindow, actions: WindowActions, label: str, target: Callable[[], object]
) -> QAction:
    """View ▸ ``label`` (Alt+the next number), for a pane added after the menus were made."""
    taken = {mnemonic(a.text()) for a in actions.view_menu.actions()}
    action = QAction(with_mnemonic(label, taken), window)
    action.setShortcut(QKeySequence(f"Alt+{len(actions.pane_actions) + 1}"))
    with_shortcut(action)
    action.triggered.connect(lambda _checked=False: target())
    menu_actions = actions.view_menu.actions()
    following = menu_actions.index(actions.pane_actions[-1]) + 1
    before = menu_actions[following] if following < len(menu_actions) else None
    actions.view_menu.insertAction(before, action)  # type: ignore[arg-type]
    actions.pane_actions.append(action)
    return action


THEME_LABELS = {"system": "&System", "light": "&Light", "dark": "&Dark"}


def _theme_menu(window: MainWindow, view_menu: QMenu) -> QMenu:
    """View ▸ Theme: the system's colours, or a light or dark palette; remembered."""
    from PySide6.QtGui import QActionGroup

    from desktop_app.services.settings import THEME, THEMES
    from desktop_app.ui.common import theme

    menu = view_menu.addMenu("&Theme")
    menu.setObjectName("themeMenu")
    group = QActionGroup(menu)
    chosen = window.settings.store.get(THEME)
    for name in THEMES:
        action = menu.addAction(THEME_LABELS[name])
        action.setObjectName(f"theme_{name}")
        action.setCheckable(True)
        action.setChecked(name == chosen)
        group.addAction(action)

        def choose(_checked: bool = False, name: str = name) -> None:
            window.settings.store.set(THEME, name)
            theme.apply(name)

        action.triggered.connect(choose)
    return menu


def fill_recent_menu(window: MainWindow, menu: QMenu) -> None:
    """File ▸ Open Recent: the remembered drafts, newest first."""
    menu.clear()
    recent = window.settings.recent_files()
    for number, path in enumerate(recent, start=1):
        action = menu.addAction(f"&{number} {path.name}")
        action.setStatusTip(str(path))
        action.triggered.connect(lambda _checked=False, p=path: window.files.open_path(p))
    menu.setEnabled(bool(recent))
