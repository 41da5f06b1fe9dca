"""The base of the table models: one row per core object, edited through undo steps.

The models hold no copy of the data: they read the core's objects and write
them through undo commands (``setData`` pushes an :class:`EditCellsCommand`).
The low-level methods (``apply_values``, ``insert_objects``, ``remove_objects``,
``restore_objects``) are what the commands call; they change the core list,
tell the problem index which rows changed and emit the model signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop_app.order.table_text import parse_bool
from desktop_app.order.validation import Problem, Table
from desktop_app.ui.common.plain_text import plain_tooltip
from desktop_app.ui.tables import marks
from desktop_app.ui.tables.columns import ColumnSpec, DomainColumn, MailboxColumn, Role
from desktop_app.ui.tables.commands import EditCellsCommand
from desktop_app.ui.tables.problem_index import Dirty

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoCommand

    from desktop_app.order.model import Order
    from desktop_app.ui.tables.problem_index import ProblemIndex
    from desktop_app.ui.tables.thumbnails import ThumbnailCache

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
EDIT = int(Qt.ItemDataRole.EditRole)
CHECK = int(Qt.ItemDataRole.CheckStateRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
ACCESSIBLE = int(Qt.ItemDataRole.AccessibleDescriptionRole)
ACCESSIBLE_TEXT = int(Qt.ItemDataRole.AccessibleTextRole)
MARK_ROLES = [BACKGROUND, DECORATION, TOOLTIP, ACCESSIBLE]
LONG_VALUE = 20  # characters past which a cell's tooltip shows its whole value
_MANY_RUNS = 64  # beyond this many separate row ranges, one reset is cheaper than many signals


class DraftTables(Protocol):
    """The open draft as its tables use it (``ui.document.OrderDocument`` is one).

    Declared here, below the document, so the tables need not know it.
    """

    @property
    def order(self) -> Order: ...

    @property
    def problems(self) -> ProblemIndex: ...

    @property
    def mailboxes(self) -> OrderTableModel: ...

    @property
    def thumbnails(self) -> ThumbnailCache: ...

    def push(self, command: QUndoCommand) -> None: ...

    def refresh_marks(self, dirty: Dirty, skip: Iterable[int]) -> None: ...


class OrderTableModel(QAbstractTableModel):
    """Base of the two table models: one row per core object, one column per field."""

    columns: type[DomainColumn] | type[MailboxColumn]
    specs: dict[Any, ColumnSpec]
    table: Table
    check_columns: frozenset[int] = frozenset()

    def __init__(self, document: DraftTables) -> None:
        super().__init__(document if isinstance(document, QObject) else None)
        self.document = document
        self._row_of: dict[int, int] | None = None
        # Bumped before every change of the rows' content or order, so sort
        # keys computed earlier are known to be stale.
        self.generation = 0

    # --- to be provided by each table ------------------------------------------------

    def items(self) -> list[Any]:
        raise NotImplementedError

    def recheck(self, objects: Iterable[Any]) -> Dirty:
        raise NotImplementedError

    def forget(self, objects: Iterable[Any]) -> Dirty:
        raise NotImplementedError

    def problems_of(self, obj: Any) -> list[Problem]:
        raise NotImplementedError

    def new_object(self) -> Any:
        raise NotImplementedError

    # --- Qt model interface ----------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items())

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            spec = self.spec(section)
            if role == DISPLAY:
                return spec.title
            if role == TOOLTIP:
                return spec.hint
        elif orientation == Qt.Orientation.Vertical and role == DISPLAY:
            return section + 1
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in self.check_columns:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if self.editable(index.column()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def spec(self, column: int) -> ColumnSpec:
        # The columns are an IntEnum: a plain int finds its spec without making the member.
        return self.specs[column]

    def editable(self, column: int) -> bool:
        return bool(self.spec(column).field)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        items = self.items()
        if index.row() >= len(items):
            return None
        obj = items[index.row()]
        column = index.column()
        if role in (DISPLAY, EDIT):
            if column in self.check_columns:
                return None
            return self.value(obj, column, role == EDIT)
        if role == CHECK:
            if column in self.check_columns:
                attr = self.spec(column).attr
                return Qt.CheckState.Checked if getattr(obj, attr) else Qt.CheckState.Unchecked
            return None
        if role in (BACKGROUND, TOOLTIP, ACCESSIBLE, DECORATION):
            return self.mark(obj, column, role)
        if role == Role.SORT:
            return self.sort_value(obj, column)
        return self.extra(obj, column, role)

    def value(self, obj: Any, column: int, editing: bool) -> Any:
        return getattr(obj, self.spec(column).attr)

    def sort_keys(self, column: int) -> list[Any]:
        """The sort value of every row in ``column``, in row order."""
        return [self.sort_value(obj, column) for obj in self.items()]

    def sort_value(self, obj: Any, column: int) -> Any:
        value = self.value(obj, column, False)
        if column in self.check_columns:
            return int(bool(getattr(obj, self.spec(column).attr)))
        return value.lower() if isinstance(value, str) else value

    def extra(self, obj: Any, column: int, role: int) -> Any:
        return None

    def cell_problems(self, obj: Any, column: int) -> list[Problem]:
        field = self.spec(column).field
        return [p for p in self.problems_of(obj) if p.column == field and p.table is self.table]

    def mark(self, obj: Any, column: int, role: int) -> Any:
        problems = self.cell_problems(obj, column)
        if role == TOOLTIP:
            tip = marks.tooltip(problems)
            if self.spec(column).attr == "domain":
                sent = marks.punycode_note(obj.domain)
                tip = f"{tip}\n{sent}" if tip and sent else (tip or sent)
            whole = self.value(obj, column, False)
            if isinstance(whole, str) and len(whole) > LONG_VALUE:  # a narrow column cuts it
                tip = f"{whole}\n{tip}" if tip else whole
            return plain_tooltip(tip or "") or None  # problems quote the cell's own text
        if role == ACCESSIBLE:
            return marks.tooltip(problems) or ""
        if role == BACKGROUND:
            return marks.tint(marks.worst(problems))
        return marks.icon(marks.worst(problems))

    def setData(self, index: AnyIndex, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or index.row() >= len(self.items()):
            return False
        obj = self.items()[index.row()]
        column = index.column()
        if role == CHECK and column in self.check_columns:
            checked = value in (Qt.CheckState.Checked, int(Qt.CheckState.Checked.value))
            pairs = [(self.spec(column).attr, checked)]
        elif role == EDIT and self.editable(column):
            pairs = self.parse_edit(column, "" if value is None else value)
        else:
            return False
        self.edit(obj, pairs, f"Edit {self.spec(column).title.lower()}")
        return True

    # --- editing (through the undo stack) -----------------------------------------------

    def parse_edit(self, column: int, value: Any) -> list[tuple[str, Any]]:
        """``(attribute, value)`` pairs an edit of ``column`` to ``value`` sets."""
        attr = self.spec(column).attr
        text = str(value).strip()
        return [(attr, marks.unicode_domain(text) if attr == "domain" else text)]

    def parse_field(self, field: str, text: str) -> list[tuple[str, Any]]:
        """``(attribute, value)`` pairs for pasted ``text`` in the API field ``field``."""
        column = self._field_columns().get(field)
        if column is None:
            return []
        if column in self.check_columns:
            return [(self.spec(column).attr, bool(parse_bool(text)))]
        return self.parse_edit(column, text)

    def _field_columns(self) -> dict[str, int]:
        """The column of each API field (a paste asks once a cell: 80,000 times for 20,000 rows)."""
        found: dict[str, int] | None = getattr(self, "_columns_by_field", None)
        if found is None:
            found = {}
            for column, spec in self.specs.items():
                found.setdefault(spec.field, int(column))
            self._columns_by_field = found
        return found

    def edit(self, obj: Any, pairs: Sequence[tuple[str, Any]], text: str) -> None:
        changes = [
            (obj, attr, getattr(obj, attr), new) for attr, new in pairs if getattr(obj, attr) != new
        ]
        if changes:
            self.document.push(EditCellsCommand(self, changes, text))

    def field_names(self) -> list[str]:
        return [self.specs[column].field for column in self.columns]

    # --- low level, called by the undo commands ----------------------------------------------

    def object_at(self, row: int) -> Any:
        return self.items()[row]

    def row_of(self, obj: Any) -> int | None:
        if self._row_of is None:
            self._row_of = {id(item): row for row, item in enumerate(self.items())}
        return self._row_of.get(id(obj))

    def apply_values(self, changes: Sequence[tuple[Any, str, Any]]) -> None:
        self.generation += 1
        touched: dict[int, Any] = {}
        for obj, attr, value in changes:
            setattr(obj, attr, value)
            touched[id(obj)] = obj
        dirty = self.recheck(touched.values())
        self._emit_rows_changed(touched.values(), roles=[])
        self.document.refresh_marks(dirty, skip=touched)

    def insert_objects(self, row: int, objects: Sequence[Any]) -> None:
        if not objects:
            return
        self.generation += 1
        self.beginInsertRows(QModelIndex(), row, row + len(objects) - 1)
        self.items()[row:row] = objects
        self._row_of = None
        dirty = self.recheck(objects)
        self.endInsertRows()
        self.document.refresh_marks(dirty, skip={id(o) for o in objects})

    def remove_objects(self, objects: Iterable[Any]) -> list[tuple[int, Any]]:
        """Remove ``objects``; returns their ``(row, object)`` positions, ascending."""
        self.generation += 1
        rows = sorted({row for obj in objects if (row := self.row_of(obj)) is not None})
        positions = [(row, self.items()[row]) for row in rows]
        runs = _runs(rows)
        items = self.items()
        if len(runs) > _MANY_RUNS:
            self.beginResetModel()
            keep = set(rows)
            items[:] = [item for row, item in enumerate(items) if row not in keep]
            self._row_of = None
            self.endResetModel()
        else:
            for first, last in reversed(runs):
                self.beginRemoveRows(QModelIndex(), first, last)
                del items[first : last + 1]
                self._row_of = None
                self.endRemoveRows()
        dirty = self.forget(obj for _row, obj in positions)
        self.document.refresh_marks(dirty, skip=set())
        return positions

    def restore_objects(self, positions: Sequence[tuple[int, Any]]) -> None:
        """Put back rows removed by :meth:`remove_objects` at their old positions."""
        self.generation += 1
        items = self.items()
        runs = _runs([row for row, _obj in positions])
        if len(runs) > _MANY_RUNS:
            self.beginResetModel()
            for row, obj in positions:
                items.insert(row, obj)
            self._row_of = None
            dirty = self.recheck(obj for _row, obj in positions)
            self.endResetModel()
        else:
            by_row = dict(positions)
            dirty = Dirty()
            for first, last in runs:
                objects = [by_row[row] for row in range(first, last + 1)]
                self.beginInsertRows(QModelIndex(), first, last)
                items[first:first] = objects
                self._row_of = None
                dirty.update(self.recheck(objects))
                self.endInsertRows()
        self.document.refresh_marks(dirty, skip={id(obj) for _row, obj in positions})

    def refresh_marks(self, objects: Iterable[Any]) -> None:
        """Repaint the problem marks of ``objects`` (their text has not changed)."""
        self._emit_rows_changed(objects, roles=MARK_ROLES)

    def reset(self) -> None:
        self.generation += 1
        self.beginResetModel()
        self._row_of = None
        self.endResetModel()

    def _emit_rows_changed(self, objects: Iterable[Any], roles: list[int]) -> None:
        rows = sorted({row for obj in objects if (row := self.row_of(obj)) is not None})
        if not rows:
            return
        runs = _runs(rows)
        if len(runs) > _MANY_RUNS:
            runs = [(rows[0], rows[-1])]
        last_column = self.columnCount() - 1
        for first, last in runs:
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column), roles)


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as ``(first, last)`` ranges of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
