"""The window's panes: how they are laid out, their default sizes, and what is remembered.

A layout saved at another window size or scale (a screen at 150 % after one at
100 %) is restored only when it leaves each table at least as many rows as
the default layout gives there (:data:`PANE_ROWS` at most).  Where stacking
Domains and Mailboxes would leave them fewer rows, they are tabs
(:mod:`~desktop_app.ui.window.table_tabs`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from desktop_app.ui.common.window_fit import (
    BOTTOM_MINIMUM,
    DEFAULT_SIZE,
    SPLITTER_HANDLE,
    SPLITTER_STYLE,
    SPLITTERS,
    available_area,
    fits_on_a_screen,
    fitting_size,
    saved_frame,
    scaled_sizes,
)
from desktop_app.ui.window.table_tabs import TABLE_ROWS, TableArea

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTabWidget

    from desktop_app.ui.files.window_settings import WindowSettings
    from desktop_app.ui.tables.domains_pane import DomainsPane
    from desktop_app.ui.tables.mailboxes_pane import MailboxesPane
    from desktop_app.ui.tables.table_pane import TablePane


class PanedWindow(Protocol):
    """The window whose panes are laid out here (``PanedWindow`` is one).

    ``widget()`` is the window itself, for its size, scale and geometry.
    """

    @property
    def remember(self) -> bool: ...

    @property
    def settings(self) -> WindowSettings: ...

    @property
    def domains_pane(self) -> DomainsPane: ...

    @property
    def mailboxes_pane(self) -> MailboxesPane: ...

    @property
    def avatar_pane(self) -> QWidget: ...

    @property
    def settings_pane(self) -> QWidget: ...

    @property
    def bottom_tabs(self) -> QTabWidget: ...

    @property
    def practice_banner(self) -> QWidget: ...

    @property
    def confirm_banner(self) -> QWidget: ...

    @property
    def splitters(self) -> dict[str, QSplitter]: ...

    @property
    def table_area(self) -> TableArea: ...

    def widget(self) -> QWidget: ...


# Rows a table should show, whatever layout was saved: a saved layout that leaves fewer
# (and fewer than the default layout gives) is not restored.
PANE_ROWS = {"domains": TABLE_ROWS, "mailboxes": TABLE_ROWS}


class Layout(NamedTuple):
    central: QWidget  # the window's central widget
    splitters: dict[str, QSplitter]  # by name, as remembered
    table_area: TableArea  # Domains and Mailboxes, stacked or as tabs


def lay_out(window: PanedWindow) -> Layout:
    """The window's central widget, with its panes in splitters."""
    # The settings column runs the full height, so its API key box shows
    # without scrolling; Problems and History sit under the tables and pictures.
    tables = QSplitter(Qt.Orientation.Vertical)
    table_area = TableArea(tables, [window.domains_pane, window.mailboxes_pane])
    work = QSplitter(Qt.Orientation.Horizontal)
    work.addWidget(table_area)
    work.addWidget(window.avatar_pane)
    work.setStretchFactor(0, 1)
    main = QSplitter(Qt.Orientation.Vertical)
    main.addWidget(work)
    main.addWidget(window.bottom_tabs)
    main.setStretchFactor(0, 1)
    columns = QSplitter(Qt.Orientation.Horizontal)
    columns.addWidget(window.settings_pane)
    columns.addWidget(main)
    columns.setStretchFactor(1, 1)
    splitters = {"columns": columns, "main": main, "work": work, "tables": tables}
    for name, splitter in splitters.items():
        splitter.setObjectName(f"{name}Splitter")
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(SPLITTER_HANDLE)
    # Set once, on the outermost: a style sheet reaches the splitters inside it too,
    # and every sheet set restyles all the widgets below it.
    columns.setStyleSheet(SPLITTER_STYLE)
    window.bottom_tabs.setMinimumHeight(BOTTOM_MINIMUM)
    central = QWidget()
    central.setObjectName("central")
    layout = QVBoxLayout(central)
    layout.setContentsMargins(4, 4, 4, 0)
    layout.addWidget(window.practice_banner)
    layout.addWidget(window.confirm_banner)
    layout.addWidget(columns, 1)
    return Layout(central, splitters, table_area)


def _settle(window: PanedWindow) -> None:
    """Lay the window out now, not after an event: the splitters get their real sizes."""
    central = window.splitters["columns"].parentWidget()
    for layout in (window.widget().layout(), central.layout() if central is not None else None):
        if layout is not None:
            layout.activate()


def size_panes(window: PanedWindow, remembered: bool) -> None:
    """The default pane sizes, shared out over the window's size; then the remembered ones."""
    _settle(window)
    for name, splitter in window.splitters.items():
        splitter.setSizes(scaled_sizes(splitter, SPLITTERS[name]))
    _fit_tables(window)
    tables = window.splitters["tables"]
    if tables.count():  # stacked: each table its rows, where the proportions would not
        tables.setSizes(window.table_area.stacked_sizes(tables.sizes()))
        _settle(window)
    if not (remembered and window.remember):
        return
    shown = rows_shown(window)
    defaults = {name: splitter.sizes() for name, splitter in window.splitters.items()}
    for name, splitter in window.splitters.items():
        state = window.settings.splitter(name)
        if state is not None:
            splitter.restoreState(state)
    _fit_tables(window)
    if window.settings.panes_saved_for() == panes_key(window):
        return  # saved at this very size and scale: the operator's own choice
    # Saved at another size or scale: kept only if no table shows fewer rows than the
    # default layout does here (or than it needs, when the default shows more).
    restored = rows_shown(window)
    if any(restored[pane] < min(shown[pane], wanted) for pane, wanted in PANE_ROWS.items()):
        for name, splitter in window.splitters.items():
            if splitter.count():
                splitter.setSizes(defaults[name])
        _fit_tables(window)


def _fit_tables(window: PanedWindow) -> None:
    """Stack Domains and Mailboxes, or make them tabs, for the room they have now."""
    _settle(window)
    window.table_area.fit()
    _settle(window)


def panes_key(window: PanedWindow) -> str:
    """The size and scale pane positions belong to: ``1280x800@1.5``."""
    shown = window.widget()
    return f"{shown.width()}x{shown.height()}@{shown.devicePixelRatioF():g}"


def rows_shown(window: PanedWindow) -> dict[str, float]:
    """How many rows each table shows now, once the layouts have settled."""
    for splitter in window.splitters.values():
        splitter.refresh()
    _settle(window)
    area = window.table_area
    for layout in (area.layout(), area.tabs.layout(), *(p.layout() for p in area.panes)):
        if layout is not None:
            layout.activate()
    panes = {"domains": window.domains_pane, "mailboxes": window.mailboxes_pane}
    return {name: area.rows_shown(pane) for name, pane in panes.items()}


def restore_state(window: PanedWindow) -> None:
    shown = window.widget()
    shown.resize(fitting_size(shown, DEFAULT_SIZE))
    if not window.remember:
        return
    geometry = window.settings.geometry()
    if geometry is None:
        return
    frame = saved_frame(bytes(geometry.data()))
    if frame is not None and not fits_on_a_screen(frame):
        # Saved on a bigger screen (or at a smaller scale): start fresh, where Qt would
        # squeeze the old frame onto this screen.
        shown.move(available_area(shown).topLeft())
        return
    shown.restoreGeometry(geometry)


def save_state(window: PanedWindow) -> None:
    if not window.remember:
        return
    window.settings.set_geometry(window.widget().saveGeometry())
    for name, splitter in window.splitters.items():
        if splitter.count():  # the tables' splitter is empty while they are tabs
            window.settings.set_splitter(name, splitter.saveState())
    window.settings.set_panes_saved_for(panes_key(window))
    window.settings.sync()


BOTTOM_ROWS = 4  # rows Problems and History show when chosen, as far as the window allows


def show_bottom_rows(window: PanedWindow) -> None:
    """Give the chosen bottom tab (Problems, History) room for :data:`BOTTOM_ROWS` rows.

    The room is taken from the tables and pictures above, as far as their
    minimum allows; a bottom pane already that tall is left as it is.
    """
    from PySide6.QtWidgets import QTableView

    page = window.bottom_tabs.currentWidget()
    views = page.findChildren(QTableView) if page is not None else []
    view = next((v for v in views if v.isVisible()), None)
    if view is None:
        return
    rows = view.viewport().height() / max(1, view.verticalHeader().defaultSectionSize())
    missing = round((BOTTOM_ROWS - rows) * view.verticalHeader().defaultSectionSize())
    if missing <= 0:
        return
    main = window.splitters["main"]
    work, bottom = main.sizes()
    above = main.widget(0)
    spare = work - (above.minimumSizeHint().height() if above is not None else work)
    grow = min(missing, max(0, spare))
    if grow > 0:
        main.setSizes([work - grow, bottom + grow])


def show_table_rows(window: PanedWindow, pane: TablePane) -> None:
    """Give a table chosen after History took the room its :data:`TABLE_ROWS` rows back.

    The room comes from the bottom pane (Problems, History), down to its minimum.
    """
    _settle(window)
    missing = window.table_area.missing_height(pane)
    main = window.splitters["main"]
    work, bottom = main.sizes()
    tabs = window.bottom_tabs  # its minimum is set (a tab bar and two rows), not hinted
    spare = bottom - (tabs.minimumHeight() or tabs.minimumSizeHint().height())
    give = min(missing, max(0, spare))
    if give > 0:
        main.setSizes([work + give, bottom - give])


def replace_bottom_pane(window: PanedWindow, placeholder: QWidget, pane: QWidget) -> None:
    """Put ``pane`` in the bottom tab ``placeholder`` held, still chosen and focused if it was."""
    tabs = window.bottom_tabs
    index = tabs.indexOf(placeholder)
    if index < 0:
        return
    chosen = tabs.currentIndex() == index
    focused = placeholder.hasFocus()
    pane.setGeometry(placeholder.geometry())  # its rows are counted before a layout pass
    blocked = tabs.blockSignals(True)  # the same tab stays chosen: nothing to announce
    tabs.insertTab(index, pane, tabs.tabText(index))
    tabs.removeTab(index + 1)
    tabs.setCurrentIndex(index if chosen else tabs.currentIndex())
    tabs.blockSignals(blocked)
    placeholder.deleteLater()
    if chosen:
        show_bottom_rows(window)
    if focused:
        (pane.focusProxy() or pane).setFocus(Qt.FocusReason.OtherFocusReason)
