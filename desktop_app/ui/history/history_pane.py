"""The History pane: every send attempt, searchable, copyable, exportable as CSV.

It also asks what became of created orders: "Check status" (a button and the
context menu) and "Refresh all"; the asking itself is :mod:`status_check`'s.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.outcome import Outcome
from desktop_app.services.environments import Environment
from desktop_app.services.history import Attempt, History
from desktop_app.ui.common.focus_ring import RingedTableView
from desktop_app.ui.common.keyboard import current_row_position, popup_menu, tab_leaves
from desktop_app.ui.common.plain_text import message_box, plain_label, plain_tooltip

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)

EMPTY_TEXT = "No orders sent yet. Attempts appear here, whatever their outcome."


class HistoryColumn(enum.IntEnum):
    TIME = 0
    OUTCOME = 1
    ENVIRONMENT = 2
    ORDER_ID = 3
    USER_ID = 4
    STATUS = 5
    CHECKED = 6
    DOMAINS = 7
    MAILBOXES = 8
    AVATARS = 9
    ENDPOINT = 10
    MESSAGE = 11
    DRAFT = 12


TITLES = {
    HistoryColumn.TIME: "Time (UTC)",
    HistoryColumn.OUTCOME: "Outcome",
    HistoryColumn.ENVIRONMENT: "Environment",
    HistoryColumn.ORDER_ID: "Order ID",
    HistoryColumn.USER_ID: "User ID",
    HistoryColumn.STATUS: "Status",
    HistoryColumn.CHECKED: "Checked",
    HistoryColumn.DOMAINS: "Domains",
    HistoryColumn.MAILBOXES: "Mailboxes",
    HistoryColumn.AVATARS: "Avatars",
    HistoryColumn.ENDPOINT: "Endpoint",
    HistoryColumn.MESSAGE: "Message",
    HistoryColumn.DRAFT: "Draft",
}


def environment_label(attempt: Attempt) -> str:
    """The attempt's environment by name; "" for attempts older than the label."""
    try:
        return Environment(attempt.environment).label if attempt.environment else ""
    except ValueError:
        return attempt.environment  # a label from a newer release: shown as it is


def _time(iso: str) -> str:
    return iso.replace("T", " ").removesuffix("+00:00")


def _cell(attempt: Attempt, column: HistoryColumn) -> str:
    # Only sends made in practice mode: a real API on this computer is not practice.
    practice = " (practice)" if attempt.practice else ""
    part = f", {attempt.part_label}" if attempt.part_label else ""
    return {
        HistoryColumn.TIME: _time(attempt.started),
        HistoryColumn.OUTCOME: attempt.shown_outcome + part + practice,
        HistoryColumn.ENVIRONMENT: environment_label(attempt),
        HistoryColumn.ORDER_ID: attempt.order_id,
        HistoryColumn.USER_ID: attempt.user_id,
        HistoryColumn.STATUS: attempt.status_text,
        HistoryColumn.CHECKED: _time(attempt.status_checked),
        HistoryColumn.DOMAINS: str(attempt.domains),
        HistoryColumn.MAILBOXES: str(attempt.mailboxes),
        HistoryColumn.AVATARS: str(attempt.avatars),
        HistoryColumn.ENDPOINT: attempt.endpoint,
        HistoryColumn.MESSAGE: attempt.shown_message,
        HistoryColumn.DRAFT: Path(attempt.draft_path).name if attempt.draft_path else "",
    }[column]


TOOLTIPS = {
    HistoryColumn.MESSAGE: lambda attempt: attempt.shown_message,
    HistoryColumn.DRAFT: lambda attempt: attempt.draft_path,
    HistoryColumn.STATUS: lambda attempt: attempt.status_text,
}


def has_order(attempt: Attempt) -> bool:
    """Whether the attempt created an order whose status can be asked for."""
    return attempt.outcome == Outcome.CREATED.value and bool(attempt.order_id)


class HistoryTableModel(QAbstractTableModel):
    """Read-only attempts, newest first (columns: :class:`HistoryColumn`)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.attempts: list[Attempt] = []

    def set_attempts(self, attempts: list[Attempt]) -> None:
        self.beginResetModel()
        self.attempts = list(attempts)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.attempts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HistoryColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == DISPLAY and 0 <= section < len(HistoryColumn):
            return TITLES[HistoryColumn(section)]
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.attempts):
            return None
        if not 0 <= index.column() < len(HistoryColumn):
            return None
        attempt = self.attempts[index.row()]
        column = HistoryColumn(index.column())
        if role == DISPLAY:
            return _cell(attempt, column)
        if role == TOOLTIP and column in TOOLTIPS:
            # History keeps what servers and drafts said: a tooltip must not render it.
            return plain_tooltip(TOOLTIPS[column](attempt))
        return None


class HistoryView(RingedTableView):
    """The attempts' table: Tab leaves it, and its context menu knows which row it is for.

    Signals: ``row_menu_requested(row, position, from_keyboard)``: the menu of
    ``row`` is wanted at global ``position``.  From the keyboard (the Menu key,
    Shift+F10) it is the current row's, whatever point Qt guessed.
    """

    row_menu_requested = Signal(int, QPoint, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tab_leaves(self)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # as compact as Problems
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        menu_key = QShortcut(QKeySequence("Shift+F10"), self)
        menu_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        menu_key.activated.connect(self._request_current_row_menu)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Reached from the keyboard (Tab, Alt+6), the row the cursor is on is the one chosen:
        # Check status must not stay greyed out over a row that only looks current.  After
        # Qt has placed the cursor (it does so on this same event, once this returns).
        QTimer.singleShot(0, self._choose_current_row)

    def _choose_current_row(self) -> None:
        selection, model = self.selectionModel(), self.model()
        if selection is None or model is None or selection.hasSelection() or not self.hasFocus():
            return
        row = self.currentIndex().row() if self.currentIndex().isValid() else 0
        if 0 <= row < model.rowCount():
            # Through the selection model: selectRow() reads the keyboard's modifiers, and a
            # Shift still held from Shift+Tab would extend or toggle instead of choosing.
            flags = QItemSelectionModel.SelectionFlag
            selection.setCurrentIndex(model.index(row, 0), flags.ClearAndSelect | flags.Rows)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() != QContextMenuEvent.Reason.Mouse:
            # Qt places a keyboard menu from the current cell's rectangle, in the wrong
            # coordinates: one row further down. The current row is the one meant.
            self._request_current_row_menu()
            return
        row = self.indexAt(event.pos()).row()  # a mouse's point, in the viewport's coordinates
        if row >= 0:
            self.row_menu_requested.emit(row, event.globalPos(), False)

    def _request_current_row_menu(self) -> None:
        row = self.currentIndex().row()
        if row >= 0:
            self.row_menu_requested.emit(row, current_row_position(self), True)


class HistoryPane(QWidget):
    """Lists send attempts with a search box, Copy, and Export CSV.

    Signals: ``copied(text)`` after Copy puts rows on the clipboard;
    ``exported(path, count)`` after a CSV export; ``check_requested(attempt)``
    by Check status; ``refresh_requested()`` by Refresh all.
    """

    copied = Signal(str)
    exported = Signal(str, int)
    check_requested = Signal(object)
    refresh_requested = Signal()

    def __init__(self, history: History | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPane")
        self._history = history
        self.model = HistoryTableModel(self)
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText("Search order ID, user ID, outcome, message, draft…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search history")
        self.search.textChanged.connect(self._on_search_text_changed)
        self.copy_button = QPushButton("Copy order ID")
        self.copy_button.setObjectName("historyCopy")
        self.copy_button.setToolTip(
            "Copy the order IDs of the selected attempts (Ctrl+C copies rows)"
        )
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("historyExport")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.check_button = QPushButton("Check status")
        self.check_button.setObjectName("historyCheckStatus")
        self.check_button.setToolTip("Ask the API what became of the selected order")
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.refresh_button = QPushButton("Refresh all")
        self.refresh_button.setObjectName("historyRefreshAll")
        self.refresh_button.setToolTip(
            "Ask the status of every order created in the last 24 hours, one after another"
        )
        self.refresh_button.clicked.connect(self.refresh_requested)
        # When each order was last asked about (monotonic seconds): Refresh all asks
        # about an order at most once every 10 s.
        self.last_asked: dict[str, float] = {}
        self.context_menu: QMenu | None = None  # the last one opened (it deletes itself)
        self.view = HistoryView()
        self.view.setObjectName("historyTable")
        self.setFocusProxy(self.view)
        self.view.setModel(self.model)
        self.view.selectionModel().selectionChanged.connect(self._update_check_button)
        self.model.modelReset.connect(self._update_check_button)
        self.view.row_menu_requested.connect(self._on_view_row_menu_requested)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAccessibleName("Send history")
        QShortcut(QKeySequence.StandardKey.Copy, self.view, self.copy_rows)
        self.empty = plain_label(EMPTY_TEXT)  # or the history's own error, with paths
        self.empty.setObjectName("historyEmpty")

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.check_button)
        top.addWidget(self.refresh_button)
        top.addWidget(self.copy_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self._loaded = False

    @property
    def history(self) -> History:
        if self._history is None:
            self._history = History()
        return self._history

    def showEvent(self, event: Any) -> None:
        # The database is opened when the pane is first seen, not at start-up.
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._loaded = True
        try:
            attempts = self.history.attempts(self.search.text())
        except OSError as exc:  # HistoryError: say it where the list would be
            self.show_problem(str(exc))
            return
        self.model.set_attempts(attempts)
        self.empty.setText(EMPTY_TEXT)
        self.empty.setVisible(self.model.rowCount() == 0)
        if self.model.rowCount():
            self.view.resizeColumnsToContents()

    def show_problem(self, text: str) -> None:
        """Say why History cannot be used, where the list would be."""
        self.model.set_attempts([])
        self.empty.setText(text)
        self.empty.setVisible(True)

    def _on_search_text_changed(self, _text: str) -> None:
        self.refresh()

    def selected_attempts(self) -> list[Attempt]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.attempts[row] for row in rows]

    def checkable_attempt(self) -> Attempt | None:
        """The one selected attempt, when it created an order."""
        selected = self.selected_attempts()
        return selected[0] if len(selected) == 1 and has_order(selected[0]) else None

    def _update_check_button(self, *_args: object) -> None:
        self.check_button.setEnabled(self.checkable_attempt() is not None)

    def set_checking(self, busy: bool) -> None:
        """While statuses are being fetched, neither button starts another."""
        self.refresh_button.setEnabled(not busy)
        self.check_button.setEnabled(not busy and self.checkable_attempt() is not None)

    def _on_check_button_clicked(self) -> None:
        attempt = self.checkable_attempt()
        if attempt is not None:
            self.check_requested.emit(attempt)

    def _on_view_row_menu_requested(self, row: int, position: QPoint, from_keyboard: bool) -> None:
        if 0 <= row < len(self.model.attempts):
            self.context_menu = self.menu_for(self.model.attempts[row])
            popup_menu(self.context_menu, position, from_keyboard)

    def menu_for(self, attempt: Attempt) -> QMenu:
        """The context menu of ``attempt``'s row: Check status (for a created order), Copy."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        check = menu.addAction("Check status")
        check.setEnabled(has_order(attempt) and self.refresh_button.isEnabled())
        check.triggered.connect(lambda: self.check_requested.emit(attempt))
        copy = menu.addAction("Copy order ID")
        copy.setEnabled(bool(attempt.order_id))
        copy.triggered.connect(lambda: self._copy(attempt.order_id))
        return menu

    def _on_copy_button_clicked(self) -> None:
        ids = [attempt.order_id for attempt in self.selected_attempts() if attempt.order_id]
        self._copy("\n".join(ids))

    def copy_rows(self) -> None:
        """The selected attempts as tab-separated rows, ready for a spreadsheet."""
        self._copy(
            "\n".join(
                "\t".join(_cell(attempt, column) for column in HistoryColumn)
                for attempt in self.selected_attempts()
            )
        )

    def _copy(self, text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text)

    def _on_export_button_clicked(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        path, _ = QFileDialog.getSaveFileName(
            self, "Export history", "order-history.csv", "CSV files (*.csv)"
        )
        if not path:
            return
        try:
            self.export_csv(Path(path))
        except OSError as exc:
            message_box(
                QMessageBox.Icon.Warning,
                "Export history",
                f"Cannot write {path}: {exc.strerror or exc}.",
                parent=self,
            ).exec()

    def export_csv(self, path: Path) -> int:
        """Write the attempts matching the search to ``path``; returns how many."""
        count = self.history.export_csv(path, self.search.text())
        self.exported.emit(str(path), count)
        return count
