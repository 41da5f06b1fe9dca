"""Domains and Mailboxes: one above the other, or tabs when that would leave them too few rows.

At 150 % on a 1366×768 screen the window has about 270 points for both
tables: stacked, each would show one or two rows.  There the two tables
become tabs of one page, each then showing :data:`TABLE_ROWS` rows or more;
when the room grows back (a bigger window, Problems made shorter) they stand
one above the other again.  The room decides: a layout saved at another size
is restored only where it leaves each table its rows (``pane_layout``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QStackedLayout, QTabWidget, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

    from desktop_app.ui.tables.table_pane import TablePane

TABLE_ROWS = 5  # rows each table shows, whichever way the two are laid out


class TableArea(QWidget):
    """Where the Domains and Mailboxes panes are: ``splitter`` (stacked) or ``tabs``.

    Signals:
        tabbed_changed(bool): the tables became tabs (True: the window is short) or stacked.
    """

    tabbed_changed = Signal(bool)

    def __init__(self, splitter: QSplitter, panes: list[TablePane]) -> None:
        super().__init__()
        self.setObjectName("tableArea")
        self.splitter = splitter
        self.panes = panes
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tableTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Domains and mailboxes")
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._stack.addWidget(splitter)
        self._stack.addWidget(self.tabs)
        for pane in panes:
            splitter.addWidget(pane)
        # A pane's height less its table's rows (title, filter, header, buttons, a
        # scroll bar), measured whenever it is laid out: the tabs hide one of them.
        self._chrome: dict[TablePane, int] = {}
        self._stacked_sizes: list[int] = []  # the split between the tables, kept while tabbed
        self._fitted = False  # resizes are followed once the window has sized its panes

    @property
    def tabbed(self) -> bool:
        return self._stack.currentWidget() is self.tabs

    def show_pane(self, pane: TablePane) -> None:
        """Make ``pane`` the shown tab (stacked, both show already)."""
        if self.tabbed:
            self.tabs.setCurrentWidget(pane)

    def rows_shown(self, pane: TablePane) -> float:
        """The rows ``pane``'s table shows, or would show as the chosen tab."""
        view, row = pane.view, self.row_height(pane)
        if pane.isVisible() or not self.tabbed:
            return view.viewport().height() / row
        page = self.tabs.currentWidget()
        height = page.height() if page is not None else 0
        return max(0, height - self.chrome(pane)) / row

    def chrome(self, pane: TablePane) -> int:
        """``pane``'s height less its table's rows, a horizontal scroll bar counted."""
        view = pane.view
        if pane.isVisible() and pane.height() > 0:  # laid out (not before the window shows)
            bar = view.horizontalScrollBar()
            missing_bar = 0 if bar.isVisibleTo(view) else bar.sizeHint().height()
            self._chrome[pane] = pane.height() - view.viewport().height() + missing_bar
        return self._chrome.get(pane, pane.minimumSizeHint().height())

    def stacked_height(self) -> int:
        """The height stacking the tables takes for each to show :data:`TABLE_ROWS` rows."""
        handles = self.splitter.handleWidth() * (len(self.panes) - 1)
        return sum(self.needed(pane) for pane in self.panes) + handles

    def row_height(self, pane: TablePane) -> int:
        return max(1, pane.view.verticalHeader().defaultSectionSize())

    def needed(self, pane: TablePane) -> int:
        """The height ``pane`` takes to show :data:`TABLE_ROWS` rows."""
        return self.chrome(pane) + TABLE_ROWS * self.row_height(pane)

    def missing_height(self, pane: TablePane) -> int:
        """How much taller the area must be for ``pane`` to show its rows (0: none)."""
        if self.tabbed:
            missing = self.needed(pane) + self.tabs.tabBar().sizeHint().height() - self.height()
        else:
            missing = self.needed(pane) - pane.height()
        return max(0, missing)

    def stacked_sizes(self, sizes: list[int]) -> list[int]:
        """``sizes`` for the stacked tables, each raised to its rows where there is room."""
        needs = [self.needed(pane) for pane in self.panes]
        if len(sizes) != len(needs) or sum(sizes) < sum(needs):
            return sizes
        short = sum(max(0, need - size) for need, size in zip(needs, sizes, strict=True))
        spare = [max(0, size - need) for need, size in zip(needs, sizes, strict=True)]
        total_spare = sum(spare)
        return [
            max(size, need) - (round(short * extra / total_spare) if total_spare else 0)
            for need, size, extra in zip(needs, sizes, spare, strict=True)
        ]

    def fit(self) -> None:
        """Stack the tables when the room lets each show its rows; else make them tabs."""
        self._fitted = True
        for pane in self.panes:
            self.chrome(pane)  # measured while shown
        tabbed = self.height() < self.stacked_height()
        if tabbed != self.tabbed:
            self.set_tabbed(tabbed)

    def set_tabbed(self, tabbed: bool) -> None:
        focused = next((p for p in self.panes if p.has_focus_within()), None)
        if tabbed:
            self._stacked_sizes = self.splitter.sizes()
            # No wider than stacked (the tab page adds a margin): the window's minimum stays.
            self.tabs.setMinimumWidth(self.splitter.minimumSizeHint().width())
            for pane in self.panes:
                self.tabs.addTab(pane, pane.plural.capitalize())
            self._stack.setCurrentWidget(self.tabs)
        else:
            for pane in self.panes:
                self.splitter.addWidget(pane)
                pane.show()  # the tabs hid the one not chosen
            self._stack.setCurrentWidget(self.splitter)
            # The split they had, over the room there is now, each table with its rows.
            shares = self._stacked_sizes
            if len(shares) != len(self.panes) or min(shares) <= 0:
                shares = [1] * len(self.panes)
            room = self.height() - self.splitter.handleWidth() * (len(self.panes) - 1)
            sizes = [round(room * share / sum(shares)) for share in shares]
            self.splitter.setSizes(self.stacked_sizes(sizes))
        if focused is not None:
            self.show_pane(focused)
            focused.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tabbed_changed.emit(tabbed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()
