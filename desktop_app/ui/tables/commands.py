"""Undo steps: every change to the draft goes through one of these.

Each command keeps the objects it touched (not row numbers), so undoing after
the table was sorted or filtered puts everything back where it was.  A paste
or a generator run is one command, hence one undo step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand


class OrderTableModel(Protocol):
    """The rows the steps change (``table_model.OrderTableModel`` is one)."""

    def rowCount(self, *args: Any) -> int: ...

    def apply_values(self, changes: Sequence[tuple[Any, str, Any]]) -> None: ...

    def insert_objects(self, row: int, objects: Sequence[Any]) -> None: ...

    def remove_objects(self, objects: Iterable[Any]) -> list[tuple[int, Any]]: ...

    def restore_objects(self, positions: Sequence[tuple[int, Any]]) -> None: ...


Change = tuple[Any, str, Any, Any]  # (object, attribute, old value, new value)


class EditStep:
    """Set attributes of rows (cells, or a mailbox's picture)."""

    def __init__(self, model: OrderTableModel, changes: Sequence[Change]) -> None:
        self._model = model
        self._changes = list(changes)

    def redo(self) -> None:
        self._model.apply_values([(obj, attr, new) for obj, attr, _old, new in self._changes])

    def undo(self) -> None:
        self._model.apply_values(
            [(obj, attr, old) for obj, attr, old, _new in reversed(self._changes)]
        )


class InsertStep:
    """Add rows at ``row`` (the end of the table when ``row`` is None)."""

    def __init__(
        self, model: OrderTableModel, objects: Sequence[Any], row: int | None = None
    ) -> None:
        self._model = model
        self._objects = list(objects)
        self._row = row

    def redo(self) -> None:
        row = self._model.rowCount() if self._row is None else self._row
        self._model.insert_objects(row, self._objects)

    def undo(self) -> None:
        self._model.remove_objects(self._objects)


class RemoveStep:
    """Remove rows; undo puts each back at its old position."""

    def __init__(self, model: OrderTableModel, objects: Sequence[Any]) -> None:
        self._model = model
        self._objects = list(objects)
        self._positions: list[tuple[int, Any]] = []

    def redo(self) -> None:
        self._positions = self._model.remove_objects(self._objects)

    def undo(self) -> None:
        self._model.restore_objects(self._positions)


class StepsCommand(QUndoCommand):
    """One undo step made of several plain steps (a paste edits rows and adds rows).

    The steps are plain Python objects, not child commands, so nothing here
    depends on who owns which Qt object when the undo stack is destroyed.
    """

    def __init__(self, text: str, steps: Sequence[EditStep | InsertStep | RemoveStep]) -> None:
        super().__init__(text)
        self._steps = list(steps)

    def redo(self) -> None:
        for step in self._steps:
            step.redo()

    def undo(self) -> None:
        for step in reversed(self._steps):
            step.undo()


class EditCellsCommand(StepsCommand):
    """Set attributes of rows as one undo step."""

    def __init__(self, model: OrderTableModel, changes: Sequence[Change], text: str) -> None:
        super().__init__(text, [EditStep(model, changes)])


class InsertRowsCommand(StepsCommand):
    """Add rows as one undo step (at the end when ``row`` is None)."""

    def __init__(
        self, model: OrderTableModel, objects: Sequence[Any], text: str, row: int | None = None
    ) -> None:
        super().__init__(text, [InsertStep(model, objects, row)])


class RemoveRowsCommand(StepsCommand):
    """Remove rows as one undo step."""

    def __init__(self, model: OrderTableModel, objects: Sequence[Any], text: str) -> None:
        super().__init__(text, [RemoveStep(model, objects)])


_SETTING_ID = 0x5E77


class SetFieldCommand(QUndoCommand):
    """Change one order setting; typing into one field merges into one undo step."""

    def __init__(
        self, apply: Callable[[str, Any], None], name: str, old: Any, new: Any, text: str
    ) -> None:
        super().__init__(text)
        self._apply = apply
        self.name = name
        self._old = old
        self.new = new

    def id(self) -> int:
        return _SETTING_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldCommand) or other.name != self.name:
            return False
        if isinstance(self.new, bool):
            return False  # each tick of a check box is its own step
        self.new = other.new
        return True

    def redo(self) -> None:
        self._apply(self.name, self.new)

    def undo(self) -> None:
        self._apply(self.name, self._old)
