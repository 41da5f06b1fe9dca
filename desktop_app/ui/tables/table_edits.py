"""Spreadsheet-style editing of a table: copy, paste, clear and remove, as undo steps.

These work on what the user sees: rows in the view's order (sorted or
filtered), mapped back to the core's objects.  A paste fills rows downward
from the current cell and adds rows past the end; a paste that starts with a
header row is mapped by column name and adds its rows at the end.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QTableView

from desktop_app.order import table_text
from desktop_app.ui.tables import marks
from desktop_app.ui.tables.commands import (
    EditCellsCommand,
    EditStep,
    InsertStep,
    StepsCommand,
)
from desktop_app.ui.tables.table_model import OrderTableModel


def selected_cells(view: QTableView) -> list[QModelIndex]:
    """Selected cells (view indexes) in reading order; the current cell when none is selected."""
    selection = view.selectionModel()
    cells = selection.selectedIndexes() if selection is not None else []
    if not cells and view.currentIndex().isValid():
        cells = [view.currentIndex()]
    return sorted(cells, key=lambda i: (i.row(), i.column()))


def copy_text(view: QTableView, model: OrderTableModel) -> str:
    """The selected cells as tab-separated text (the bounding rectangle, gaps blank)."""
    proxy = view.model()
    assert isinstance(proxy, QSortFilterProxyModel)
    cells = selected_cells(view)
    if not cells:
        return ""
    chosen = {(i.row(), i.column()) for i in cells}
    rows = sorted({r for r, _c in chosen})
    columns = sorted({c for _r, c in chosen})
    grid = []
    for row in rows:
        source_row = proxy.mapToSource(proxy.index(row, 0)).row()
        obj = model.object_at(source_row)
        grid.append([cell_text(model, obj, c) if (row, c) in chosen else "" for c in columns])
    return table_text.format_rows(grid)


def cell_text(model: OrderTableModel, obj: Any, column: int) -> str:
    if column in model.check_columns:
        return "TRUE" if getattr(obj, model.specs[model.columns(column)].attr) else "FALSE"
    if not model.editable(column):
        return ""
    return str(model.value(obj, column, True))


def paste_command(view: QTableView, model: OrderTableModel, text: str) -> QUndoCommand | None:
    """The undo step that pastes ``text`` at the view's current cell (None: nothing to paste)."""
    proxy = view.model()
    assert isinstance(proxy, QSortFilterProxyModel)
    grid = table_text.parse(text)
    if not grid:
        return None
    cells = selected_cells(view)
    if len(grid) == 1 and len(grid[0]) == 1 and len(cells) > 1:
        return _fill_command(proxy, model, cells, grid[0][0])

    current = view.currentIndex()
    start_row = current.row() if current.isValid() else proxy.rowCount()
    start_column = current.column() if current.isValid() else 0
    plan = table_text.plan_paste(grid, model.field_names(), start_column)
    if plan.by_header:
        start_row = proxy.rowCount()
    changes = []
    new_objects = []
    # A paste repeats its domains and names many times: each text of a field is read once.
    parsed: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    rows_shown = proxy.rowCount()
    for offset, record in enumerate(plan.records):
        pairs: list[tuple[str, Any]] = []
        for cell in record.items():
            found = parsed.get(cell)
            if found is None:
                found = parsed[cell] = model.parse_field(*cell)
            pairs += found
        view_row = start_row + offset
        if view_row < rows_shown:
            obj = model.object_at(proxy.mapToSource(proxy.index(view_row, 0)).row())
            changes += [
                (obj, attr, getattr(obj, attr), new)
                for attr, new in pairs
                if getattr(obj, attr) != new
            ]
        else:
            obj = model.new_object()
            for attr, new in pairs:
                setattr(obj, attr, new)
            new_objects.append(obj)
    if not changes and not new_objects:
        return None
    rows = len(plan.records)
    steps: list[EditStep | InsertStep] = []
    if changes:
        steps.append(EditStep(model, changes))
    if new_objects:
        steps.append(InsertStep(model, new_objects))
    return StepsCommand(f"Paste {marks.count(rows, 'row')}", steps)


def _fill_command(
    proxy: QSortFilterProxyModel, model: OrderTableModel, cells: list[QModelIndex], value: str
) -> QUndoCommand | None:
    """One value pasted over several selected cells fills them all, as a spreadsheet does."""
    changes = []
    for cell in cells:
        source = proxy.mapToSource(cell)
        field = model.specs[model.columns(source.column())].field
        if not field:
            continue
        obj = model.object_at(source.row())
        for attr, new in model.parse_field(field, value):
            if getattr(obj, attr) != new:
                changes.append((obj, attr, getattr(obj, attr), new))
    return EditCellsCommand(model, changes, "Paste") if changes else None


def clear_command(view: QTableView, model: OrderTableModel) -> QUndoCommand | None:
    """Empty the selected cells (a picture cell loses its picture)."""
    proxy = view.model()
    assert isinstance(proxy, QSortFilterProxyModel)
    changes = []
    for cell in selected_cells(view):
        source = proxy.mapToSource(cell)
        obj = model.object_at(source.row())
        column = source.column()
        spec = model.specs[model.columns(column)]
        if column in model.check_columns:
            pairs: list[tuple[str, Any]] = [(spec.attr, False)]
        elif spec.attr == "avatar":
            pairs = [("avatar", None)]
        else:
            pairs = model.parse_edit(column, "")[:1]
        changes += [
            (obj, attr, getattr(obj, attr), new) for attr, new in pairs if getattr(obj, attr) != new
        ]
    return EditCellsCommand(model, changes, "Clear cells") if changes else None


def selected_objects(view: QTableView, model: OrderTableModel) -> list[Any]:
    """The objects of every row with a selected cell, in view order."""
    proxy = view.model()
    assert isinstance(proxy, QSortFilterProxyModel)
    rows = sorted({cell.row() for cell in selected_cells(view)})
    return [model.object_at(proxy.mapToSource(proxy.index(row, 0)).row()) for row in rows]


def whole_rows_selected(view: QTableView) -> bool:
    """True when the selection is made of complete rows (clicked on the row numbers)."""
    selection = view.selectionModel()
    if selection is None or not selection.hasSelection():
        return False
    columns = view.model().columnCount()
    rows = {i.row() for i in selection.selectedIndexes()}
    return len(selection.selectedIndexes()) == len(rows) * columns
