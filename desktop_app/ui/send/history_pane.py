"""The History pane: every send attempt, searchable, copyable, exportable as CSV."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.history import Attempt, History
from desktop_app.ui.plain_text import message_box, plain_label, plain_tooltip

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)

EMPTY_TEXT = "No orders sent yet. Attempts appear here, whatever their outcome."


class HistoryColumn(enum.IntEnum):
    TIME = 0
    OUTCOME = 1
    ORDER_ID = 2
    USER_ID = 3
    DOMAINS = 4
    MAILBOXES = 5
    AVATARS = 6
    ENDPOINT = 7
    MESSAGE = 8
    DRAFT = 9


TITLES = {
    HistoryColumn.TIME: "Time (UTC)",
    HistoryColumn.OUTCOME: "Outcome",
    HistoryColumn.ORDER_ID: "Order ID",
    HistoryColumn.USER_ID: "userId",
    HistoryColumn.DOMAINS: "Domains",
    HistoryColumn.MAILBOXES: "Mailboxes",
    HistoryColumn.AVATARS: "Avatars",
    HistoryColumn.ENDPOINT: "Endpoint",
    HistoryColumn.MESSAGE: "Message",
    HistoryColumn.DRAFT: "Draft",
}


def _cell(attempt: Attempt, column: HistoryColumn) -> str:
    # Only sends made in practice mode: a real API on this computer is not practice.
    practice = " (practice)" if attempt.practice else ""
    part = f", {attempt.part_label}" if attempt.part_label else ""
    return {
        HistoryColumn.TIME: attempt.started.replace("T", " ").removesuffix("+00:00"),
        HistoryColumn.OUTCOME: attempt.shown_outcome + part + practice,
        HistoryColumn.ORDER_ID: attempt.order_id,
        HistoryColumn.USER_ID: attempt.user_id,
        HistoryColumn.DOMAINS: str(attempt.domains),
        HistoryColumn.MAILBOXES: str(attempt.mailboxes),
        HistoryColumn.AVATARS: str(attempt.avatars),
        HistoryColumn.ENDPOINT: attempt.endpoint,
        HistoryColumn.MESSAGE: attempt.shown_message,
        HistoryColumn.DRAFT: Path(attempt.draft_path).name if attempt.draft_path else "",
    }[column]


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
        if role == TOOLTIP and column in (HistoryColumn.MESSAGE, HistoryColumn.DRAFT):
            # History keeps what servers and drafts said: a tooltip must not render it.
            text = attempt.shown_message if column is HistoryColumn.MESSAGE else attempt.draft_path
            return plain_tooltip(text)
        return None


class HistoryPane(QWidget):
    """Lists send attempts with a search box, Copy, and Export CSV.

    Signals: ``copied(text)`` after Copy puts rows on the clipboard;
    ``exported(path, count)`` after a CSV export.
    """

    copied = Signal(str)
    exported = Signal(str, int)

    def __init__(self, history: History | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPane")
        self._history = history
        self.model = HistoryTableModel(self)
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText("Search order ID, userId, outcome, message, draft…")
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
        self.view = QTableView()
        self.view.setObjectName("historyTable")
        self.view.setModel(self.model)
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
