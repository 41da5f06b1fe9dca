"""A problem in an order: how serious, where, and what is wrong, in words a person follows."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Table(str, enum.Enum):
    """Where a problem lives; the values read well in a sentence."""

    DOMAINS = "domains"
    MAILBOXES = "mailboxes"
    AVATARS = "avatars"
    SETTINGS = "settings"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an order.

    ``row`` is the 0-based index into the table's list (None for settings and
    avatars); ``column`` is the API's field name (``years``, ``firstName``,
    ``google.clientId`` ...); ``key`` is the ``username@domain`` of an avatar.
    """

    severity: Severity
    table: Table
    message: str
    row: int | None = None
    column: str = ""
    key: str = ""

    @property
    def where(self) -> str:
        """A short location a person can find: ``mailboxes row 3 (username)``."""
        if self.table is Table.AVATARS:
            return f"avatar {self.key}"
        if self.table is Table.SETTINGS:
            return self.column
        place = (
            f"{self.table.value} row {self.row + 1}" if self.row is not None else self.table.value
        )
        return f"{place} ({self.column})" if self.column else place

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.where}: {self.message}"


def error(
    table: Table, message: str, row: int | None = None, column: str = "", key: str = ""
) -> Problem:
    return Problem(Severity.ERROR, table, message, row, column, key)


def warning(
    table: Table, message: str, row: int | None = None, column: str = "", key: str = ""
) -> Problem:
    return Problem(Severity.WARNING, table, message, row, column, key)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.severity is Severity.ERROR for problem in problems)
