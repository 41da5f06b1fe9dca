"""A table pane: a title, a filter box, the table, and buttons to add and remove rows.

:class:`TablePane` holds what the domains and mailboxes panes share:
clipboard editing (through :mod:`table_edits`), row counts, jumping to a cell.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.tables import marks, table_edits
from desktop_app.ui.tables.commands import InsertRowsCommand, RemoveRowsCommand
from desktop_app.ui.tables.table_model import OrderTableModel
from desktop_app.ui.tables.table_view import OrderTableView, RowFilterProxy

TABLE_MINIMUM_HEIGHT = 40


class TablePane(QWidget):
    """One of the order's tables with its filter and row buttons.

    Signals:
        counts_changed(): rows were added, removed or filtered; labels update.
        message(str): a sentence for the status bar.
    """

    counts_changed = Signal()
    message = Signal(str)

    def __init__(
        self,
        model: OrderTableModel,
        title: str,
        noun: str,
        placeholder: str,
        plural: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.noun = noun
        self.plural = plural or f"{noun}s"
        self.proxy = RowFilterProxy(model, self)
        self.setObjectName(f"{noun}Pane")

        self.title = QLabel(f"<b>{title}</b>")
        self.count_label = QLabel()
        self.count_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(f"Filter {self.plural}")
        self.filter_edit.setMaximumWidth(220)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)

        self.view = OrderTableView(placeholder)
        # A few rows are enough for the smallest window (1366×768 at 150 %).
        self.view.setMinimumHeight(TABLE_MINIMUM_HEIGHT)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName(f"{title} table")
        header = self.view.horizontalHeader()
        for column in model.columns:
            spec = model.specs[column]
            header.resizeSection(int(column), spec.width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        self.add_button = QPushButton(f"Add {noun.capitalize()}")
        self.add_button.setToolTip(f"Add an empty {noun} row at the end")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip(f"Remove the selected {self.plural}")
        self.remove_button.clicked.connect(self.remove_rows)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.remove_button)
        self.buttons.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.count_label)
        top.addWidget(self.filter_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.buttons)

        # A filter change can add or remove rows in hundreds of separate ranges:
        # count once, after the last of them.
        self._count_timer = QTimer(self, singleShot=True, interval=0)
        self._count_timer.timeout.connect(self._on_count_timer_timeout)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._on_proxy_rows_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._on_count_timer_timeout()
        self._on_selection_changed()

    # --- counts ---------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """``(shown, total)`` rows."""
        return self.proxy.rowCount(), self.model.rowCount()

    def count_text(self) -> str:
        shown, total = self.counts()
        noun = self.noun if total == 1 else self.plural
        return f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun} shown"

    def _on_proxy_rows_changed(self, *_args: Any) -> None:
        self._count_timer.start()

    def _on_count_timer_timeout(self) -> None:
        self.count_label.setText(self.count_text())
        self.counts_changed.emit()

    def _on_selection_changed(self, *_args: Any) -> None:
        self.remove_button.setEnabled(bool(table_edits.selected_cells(self.view)))

    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)

    # --- editing ----------------------------------------------------------------------

    def add_row(self) -> None:
        self.clear_filter()
        obj = self.model.new_object()
        self.prepare_new(obj)
        self.model.document.push(InsertRowsCommand(self.model, [obj], f"Add {self.noun}"))
        row = self.model.row_of(obj)
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            # ClearAndSelect, not setCurrentIndex: from a shortcut (Ctrl+Shift+D) the
            # held Shift would extend the old selection, and Remove would then take
            # rows the operator never meant to touch.
            self.view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.scrollTo(index)
            self.view.setFocus()
            self.view.edit(index)

    def prepare_new(self, obj: Any) -> None:
        """Fill a new row's defaults before it is added."""

    def remove_rows(self) -> None:
        """Remove every row with a selected cell, as one undo step, and say what went."""
        objects = table_edits.selected_objects(self.view, self.model)
        if objects:
            self.remove_objects(objects)

    def remove_objects(self, objects: list[Any]) -> None:
        what = marks.count(len(objects), self.noun, self.plural)
        self.model.document.push(RemoveRowsCommand(self.model, objects, f"Remove {what}"))
        self.message.emit(f"Removed {what}; Undo with Ctrl+Z.")

    def copy(self) -> None:
        text = table_edits.copy_text(self.view, self.model)
        if text:
            QGuiApplication.clipboard().setText(text)

    def cut(self) -> None:
        self.copy()
        self.clear_cells()

    def paste(self, text: str | None = None) -> None:
        if text is None:
            text = QGuiApplication.clipboard().text()
        command = table_edits.paste_command(self.view, self.model, text)
        if command is None:
            self.message.emit("The clipboard holds nothing to paste.")
            return
        before = self.model.rowCount()
        self.model.document.push(command)
        added = self.model.rowCount() - before
        self.message.emit(f"{command.text()}{f', {added:,} added' if added else ''}.")

    def clear_cells(self) -> None:
        command = table_edits.clear_command(self.view, self.model)
        if command is not None:
            self.model.document.push(command)

    def delete(self) -> None:
        """Delete: remove whole selected rows, else empty the selected cells."""
        if table_edits.whole_rows_selected(self.view):
            self.remove_rows()
        else:
            self.clear_cells()

    def select_all(self) -> None:
        self.view.selectAll()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def clear_filter(self) -> None:
        if self.filter_edit.text():
            self.filter_edit.clear()

    def select_cell(self, source_row: int, column: int) -> bool:
        """Show and select a cell of the core list (clears the filter if it hides it)."""
        if not 0 <= source_row < self.model.rowCount():
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, column))
        if not index.isValid():
            self.clear_filter()
            self.proxy.set_extra_filter(None)
            index = self.proxy.mapFromSource(self.model.index(source_row, column))
        self.view.setCurrentIndex(index)
        self.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def has_focus_within(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))
