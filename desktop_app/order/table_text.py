"""Text pasted from a spreadsheet, and text copied back to one.

Spreadsheets put tab-separated rows on the clipboard; CSV files opened in a
text editor give comma- or semicolon-separated ones.  :func:`parse` reads all
three, :func:`format_rows` writes what spreadsheets read back, and
:func:`plan_paste` decides which pasted cell goes to which field: by a header
row when the paste starts with one, else by position from the cell the paste
starts at.  A column of e-mail addresses pasted where the username goes is
split into username and domain.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

DOMAIN_FIELDS = ("domain", "years", "forwardTo", "maskForwarding")

# Header names people actually use, compared without case, spaces, '_' or '-'.
_ALIASES = {
    "domain": "domain",
    "domains": "domain",
    "domainname": "domain",
    "years": "years",
    "year": "years",
    "forwardto": "forwardTo",
    "forward": "forwardTo",
    "forwarding": "forwardTo",
    "maskforwarding": "maskForwarding",
    "mask": "maskForwarding",
    "email": "email",
    "emailaddress": "email",
    "mail": "email",
    "mailbox": "email",
    "username": "username",
    "user": "username",
    "localpart": "username",
    "firstname": "firstName",
    "first": "firstName",
    "givenname": "firstName",
    "lastname": "lastName",
    "last": "lastName",
    "surname": "lastName",
    "familyname": "lastName",
}
_TRUE = {"true", "yes", "y", "1", "x", "on", "✓", "✔"}
_FALSE = {"false", "no", "n", "0", "off", ""}


@functools.cache
def _digits() -> re.Pattern[str]:  # compiled on first use, not at start-up
    return re.compile(r"^[0-9]+$")


def parse(text: str) -> list[list[str]]:
    """Rows of trimmed cells from pasted text; every row has the same width.

    Tab-separated when the text holds a tab, else comma- or semicolon-separated
    (whichever the first line uses more), else one cell per line.  Quoted cells
    may hold the separator and line breaks.  Blank rows are dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return []
    delimiter = _delimiter(text)
    if delimiter is None:
        rows = [[line] for line in text.split("\n")]
    else:
        import csv

        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cleaned = [[cell.strip() for cell in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    width = max((len(row) for row in cleaned), default=0)
    return [row + [""] * (width - len(row)) for row in cleaned]


def _delimiter(text: str) -> str | None:
    if "\t" in text:
        return "\t"
    first_line = text.split("\n", 1)[0]
    commas, semicolons = first_line.count(","), first_line.count(";")
    if semicolons > commas:
        return ";"
    return "," if commas else None


def format_rows(rows: Sequence[Sequence[str]]) -> str:
    """Tab-separated text that spreadsheets paste as cells (quoted where needed)."""
    return "\n".join("\t".join(_quoted(cell) for cell in row) for row in rows) + "\n"


def _quoted(cell: str) -> str:
    if any(ch in cell for ch in '\t\n\r"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def header_fields(row: Sequence[str], allowed: Sequence[str]) -> list[str | None] | None:
    """The field each column names when ``row`` is a header row, else None.

    A header row names at least one field of ``allowed``, every non-blank cell
    names one, and no field twice.  Blank cells map to None (column skipped).
    """
    fields: list[str | None] = []
    for cell in row:
        if not cell.strip():
            fields.append(None)
            continue
        name = _ALIASES.get(re.sub(r"[\s_\-]", "", cell.lower()))
        if name is None or name not in allowed or name in fields:
            return None
        fields.append(name)
    return fields if any(fields) else None


@dataclass
class PastePlan:
    """What a paste does: one record (field -> text) per pasted row.

    ``by_header`` is True when the paste began with a header row, which is not
    itself a record; such a paste is mapped by name, not by position.
    """

    records: list[dict[str, str]] = field(default_factory=list)
    by_header: bool = False


def plan_paste(
    grid: Sequence[Sequence[str]], table_fields: Sequence[str], start_column: int
) -> PastePlan:
    """Map a parsed paste onto a table whose columns hold ``table_fields``.

    ``table_fields`` lists the field of each table column in order; an empty
    name marks a column that cannot be pasted into.  Without a header row,
    pasted column ``k`` goes to the table column ``start_column + k``, except
    that a column of e-mail addresses landing on ``username`` fills both
    ``username`` and ``domain`` (and the next pasted column moves on past both).
    """
    if not grid:
        return PastePlan()
    allowed = [f for f in table_fields if f]
    if "username" in allowed and "domain" in allowed:
        allowed.append("email")
    header = header_fields(grid[0], allowed)
    if header is not None:
        return PastePlan([_record(row, header) for row in grid[1:]], by_header=True)

    width = len(grid[0])
    columns: list[str | None] = []
    position = start_column
    for k in range(width):
        target = table_fields[position] if position < len(table_fields) else ""
        if target in ("username", "domain") and "email" in allowed and _all_emails(grid, k):
            columns.append("email")
            next_is_domain = (
                position + 1 < len(table_fields) and table_fields[position + 1] == "domain"
            )
            position += 2 if target == "username" and next_is_domain else 1
            continue
        columns.append(target or None)
        position += 1
    return PastePlan([_record(row, columns) for row in grid])


def _all_emails(grid: Sequence[Sequence[str]], column: int) -> bool:
    values = [row[column] for row in grid if column < len(row) and row[column]]
    return bool(values) and all("@" in value for value in values)


def _record(row: Sequence[str], columns: Sequence[str | None]) -> dict[str, str]:
    record: dict[str, str] = {}
    for name, cell in zip(columns, row, strict=False):
        if name == "email":
            record["username"], record["domain"] = split_email(cell)
        elif name:
            record[name] = cell
    return record


def split_email(text: str) -> tuple[str, str]:
    """``(username, domain)`` of an address; the domain is blank when there is no '@'."""
    text = text.strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    username, at, domain = text.rpartition("@")
    if not at:
        return text, ""
    return username.strip(), domain.strip()


def parse_bool(text: str) -> bool | None:
    """A yes/no cell (``true``, ``yes``, ``1``, ``x``, a tick ...), or None when it is neither."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse_years(text: str) -> int | str:
    """Years as a whole number when the text is one, else the text as typed (the draft keeps it)."""
    value = text.strip()
    return int(value) if _digits().match(value) and len(value) < 6 else value
