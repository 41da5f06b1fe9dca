"""What the API said about an order, readably: its message, its data as a tree, the raw answer.

The answer's shape is not documented, so nothing is assumed about it: every
value is shown with its label, lists of objects (domains, mailboxes) as
small tables, and the raw JSON is one tab away.  All of it is the server's
text, shown as plain text only.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.outcome import one_line
from desktop_app.services.order_status import MAX_DEPTH, scalar_text, table_columns
from desktop_app.ui.common.keyboard import give_mnemonics, tab_leaves
from desktop_app.ui.common.plain_text import plain_label

if TYPE_CHECKING:
    from desktop_app.services.history import Attempt
    from desktop_app.services.order_status import StatusAnswer

MAX_ITEMS = 500  # of one object or list: a huge answer must not freeze the window
MAX_TABLE_ROWS = 200
NO_DATA = "The answer has no data to show."


class StatusDialog(QDialog):
    """The status of one order.  Signals: QDialog's ``finished``."""

    def __init__(
        self, attempt: Attempt, answer: StatusAnswer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statusDialog")
        self.setWindowTitle(f"Status of order {one_line(attempt.order_id, 60)}")
        self.message = plain_label(answer.message, word_wrap=True, object_name="statusMessage")
        self.tree = QTreeWidget()
        self.tree.setObjectName("statusTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Field", "Value"])
        self.tree.setAccessibleName("Order status")
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tables: list[QTableWidget] = []
        self.raw = QPlainTextEdit()
        self.raw.setObjectName("statusRaw")
        self.raw.setReadOnly(True)
        self.raw.setPlainText(_pretty(answer.raw) or "(no answer)")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tree, "Status")
        self.tabs.addTab(self.raw, "Raw JSON")
        if answer.data is None or answer.data in ({}, []):
            QTreeWidgetItem(self.tree, [NO_DATA, ""])
        else:
            self._fill(self.tree.invisibleRootItem(), answer.data)
            self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        give_mnemonics(buttons.buttons())
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def _fill(self, parent: QTreeWidgetItem, value: Any, depth: int = 0) -> None:
        if depth >= MAX_DEPTH:  # deeper than any real answer: the raw tab has it all
            QTreeWidgetItem(parent, ["…", "nested too deep to show here"])
        elif isinstance(value, dict):
            for index, (name, item) in enumerate(value.items()):
                if index >= MAX_ITEMS:
                    QTreeWidgetItem(parent, ["…", f"{len(value) - MAX_ITEMS:,} more"])
                    break
                self._add(parent, one_line(str(name), 80), item, depth)
        elif isinstance(value, list):
            for index, item in enumerate(value[:MAX_ITEMS]):
                self._add(parent, f"{index + 1}", item, depth)
            if len(value) > MAX_ITEMS:
                QTreeWidgetItem(parent, ["…", f"{len(value) - MAX_ITEMS:,} more"])
        else:
            QTreeWidgetItem(parent, ["", scalar_text(value)])

    def _add(self, parent: QTreeWidgetItem, label: str, value: Any, depth: int) -> None:
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            rows = f"{len(value):,} row" if len(value) == 1 else f"{len(value):,} rows"
            item = QTreeWidgetItem(parent, [label, rows])
            holder = QTreeWidgetItem(item)
            holder.setFirstColumnSpanned(True)
            table = _table(value)
            self.tables.append(table)
            self.tree.setItemWidget(holder, 0, table)
        elif isinstance(value, dict | list) and value:
            item = QTreeWidgetItem(parent, [label, ""])
            self._fill(item, value, depth + 1)
        else:
            QTreeWidgetItem(parent, [label, scalar_text(value)])


def _table(rows: list[dict[str, Any]]) -> QTableWidget:
    """A list of objects as a small read-only table (one column per key)."""
    columns = table_columns(rows)
    shown = rows[:MAX_TABLE_ROWS]
    table = QTableWidget(len(shown), len(columns))
    tab_leaves(table)
    table.setObjectName("statusTable")
    table.setHorizontalHeaderLabels([one_line(c, 60) for c in columns])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    for row, values in enumerate(shown):
        for column, name in enumerate(columns):
            table.setItem(row, column, QTableWidgetItem(scalar_text(values.get(name))))
    table.resizeColumnsToContents()
    header = table.horizontalHeader().height()
    height = header + sum(table.rowHeight(r) for r in range(min(len(shown), 8))) + 4
    table.setMinimumHeight(height)
    table.setMaximumHeight(height)
    return table


def _pretty(raw: str) -> str:
    """The raw answer, indented when it is JSON, as it came otherwise."""
    try:
        return json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        return raw
