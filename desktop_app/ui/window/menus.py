"""The window's actions and menus, with standard shortcuts and names for every action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop_app.ui.common.keyboard import mnemonic, with_mnemonic
from desktop_app.ui.window.action_tips import ShortcutTip, with_shortcut
from desktop_app.ui.window.help_menu import HelpMenu, HelpWindow

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.ui.document import OrderDocument
    from desktop_app.ui.files.draft_files import DraftFiles
    from desktop_app.ui.files.window_settings import WindowSettings
    from desktop_app.ui.pictures.avatar_controller import AvatarController
    from desktop_app.ui.tables.table_pane import TablePane

Keys = QKeySequence.StandardKey


class MenuWindow(HelpWindow, Protocol):
    """What the menus act on: the window's draft, files, panes and its own actions.

    ``MainWindow`` is one; the menus name only this, so they never depend on the window.
    """

    @property
    def document(self) -> OrderDocument: ...

    @property
    def files(self) -> DraftFiles: ...

    @property
    def avatars(self) -> AvatarController: ...

    @property
    def settings(self) -> WindowSettings: ...

    @property
    def domains_pane(self) -> TablePane: ...

    @property
    def mailboxes_pane(self) -> TablePane: ...

    def add_row_in(self, pane: TablePane) -> None: ...

    def edit_in_pane(self, operation: str) -> None: ...

    def open_generator(self) -> None: ...

    def request_send(self) -> None: ...

    def focus_targets(self) -> dict[str, Callable[[], None]]: ...

    def reset_layout(self) -> None: ...


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
    window: MenuWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object] | None,
    shortcut: QKeySequence.StandardKey | str | list[str] | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window.widget())
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


def build_menus(window: MenuWindow) -> tuple[WindowActions, HelpMenu]:
    """The window's menus: every action by what it does, and the Help menu."""
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
    quit_ = _action(window, file_menu, "&Quit", window.widget().close, Keys.Quit)

    edit_menu = bar.addMenu("&Edit")
    undo = document.undo_stack.createUndoAction(window.widget(), "&Undo")
    undo.setShortcuts(Keys.Undo)
    redo = document.undo_stack.createRedoAction(window.widget(), "&Redo")
    redo.setShortcuts([*QKeySequence.keyBindings(Keys.Redo), QKeySequence("Ctrl+Y")])
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    ShortcutTip(undo)
    ShortcutTip(redo)
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
        window,
        order_menu,
        "Add &Domain",
        lambda: window.add_row_in(window.domains_pane),
        "Ctrl+Shift+D",
    )
    add_mailbox = _action(
        window,
        order_menu,
        "Add &Mailbox",
        lambda: window.add_row_in(window.mailboxes_pane),
        "Ctrl+Shift+M",
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

    help_menu = HelpMenu(window, bar.addMenu("&Help"), {undo: "Undo", redo: "Redo"})

    actions = WindowActions(
        new, open_, save, save_as, quit_, undo, redo, cut, copy, paste, delete, select_all, find,
        add_domain, add_mailbox, remove_rows, generate, send, recent_menu, order_menu,
        view_menu, pane_actions,
    )  # fmt: skip
    return actions, help_menu


def add_pane_action(
    window: QWidget, actions: WindowActions, label: str, target: Callable[[], object]
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


def _theme_menu(window: MenuWindow, view_menu: QMenu) -> QMenu:
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


def fill_recent_menu(window: MenuWindow, menu: QMenu) -> None:
    """File ▸ Open Recent: the remembered drafts, newest first."""
    menu.clear()
    recent = window.settings.recent_files()
    for number, path in enumerate(recent, start=1):
        action = menu.addAction(f"&{number} {path.name}")
        action.setStatusTip(str(path))
        action.triggered.connect(lambda _checked=False, p=path: window.files.open_path(p))
    menu.setEnabled(bool(recent))
