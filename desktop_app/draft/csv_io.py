"""CSV files of domains and mailboxes.

Folders of profile pictures are read by :mod:`desktop_app.draft.picture_folder`.

Spreadsheets write CSV in many shapes: comma-separated, or semicolon-separated
where the comma is the decimal mark; UTF-8 with or without a byte-order mark,
UTF-16 ("Unicode text"), or the Windows Western code page.  Reading accepts
all of them and matches header names loosely ("First Name" is ``firstName``).
A file that is not text, or has a column nobody knows, is a :class:`CsvError`
naming the file and the line, raised before anything is changed.

Export writes UTF-8, comma-separated, with the API's own column names, so
reading back an exported file gives the same rows.  A cell a spreadsheet
would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) is written
with a leading ``'``, as OWASP advises, and reading strips exactly that again.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_app.draft.draft_file import atomic_file
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.order.table_text import header_fields, parse_bool, parse_years, split_email

DOMAIN_COLUMNS = ("domain", "years", "forwardTo", "maskForwarding")
MAILBOX_COLUMNS = ("domain", "username", "firstName", "lastName")
MAX_CSV_BYTES = 64 * 1024 * 1024
_DELIMITERS = (",", ";", "\t")
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


# A well-formed UTF-8 sequence of two to four bytes: Windows-1252 text almost
# never holds one (it would read "Ã©"), a UTF-8 file with a stray byte does.
@functools.cache
def _utf8_sequence() -> re.Pattern[bytes]:  # compiled on first use, not at import
    return re.compile(
        rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
        rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}"
        rb"|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
    )


# What makes a spreadsheet take a cell for a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """``value`` as a CSV cell that a spreadsheet shows as text, never runs as a formula.

    A leading ``'`` is added to a cell starting like a formula, and to one
    that already starts with ``'`` before such a start, so that
    :func:`typed_cell` gives back exactly what was typed.
    """
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def typed_cell(cell: str) -> str:
    """What was typed into a cell written by :func:`spreadsheet_cell`."""
    return (
        cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS) else cell
    )


class CsvError(Exception):
    """A CSV file that cannot be read or written; ``str()`` is one sentence naming file and line."""


# --- reading ----------------------------------------------------------------------


def read_domains(path: Path | str) -> list[DomainEntry]:
    """Domain rows from a CSV with columns ``domain,years,forwardTo,maskForwarding``.

    Only ``domain`` is required; ``years`` defaults to 1 and is kept as typed
    when it is not a number (validation reports it).
    """
    table = _read_table(Path(path), DOMAIN_COLUMNS)
    if "domain" not in table.columns:
        raise table.error(table.header_line, "it needs a domain column")
    entries = []
    for line, cells in table.rows():
        years = cells.get("years", "").strip()
        mask = cells.get("maskForwarding", "")
        flag = parse_bool(mask)
        if flag is None:
            raise table.error(line, f'maskForwarding should be true or false, not "{mask}"')
        entries.append(
            DomainEntry(
                domain=cells.get("domain", ""),
                years=parse_years(years) if years else 1,
                forward_to=cells.get("forwardTo", ""),
                mask_forwarding=flag,
            )
        )
    return entries


def read_mailboxes(path: Path | str) -> list[Mailbox]:
    """Mailbox rows from ``email,firstName,lastName`` or ``domain,username,firstName,lastName``."""
    table = _read_table(Path(path), ("email", *MAILBOX_COLUMNS))
    columns = table.columns
    by_email = "email" in columns
    if by_email and ("domain" in columns or "username" in columns):
        raise table.error(
            table.header_line, "use either an email column or domain and username columns, not both"
        )
    if not by_email and not ("domain" in columns and "username" in columns):
        raise table.error(
            table.header_line, "it needs an email column, or domain and username columns"
        )
    mailboxes = []
    for _line, cells in table.rows():
        if by_email:
            username, domain = split_email(cells.get("email", ""))
        else:
            username, domain = cells.get("username", ""), cells.get("domain", "")
        mailboxes.append(
            Mailbox(domain, username, cells.get("firstName", ""), cells.get("lastName", ""))
        )
    return mailboxes


@dataclass
class _Table:
    """A decoded CSV: which column holds which field, and its records with line numbers."""

    name: str
    text: str
    delimiter: str
    header_line: int
    columns: dict[str, int]

    def error(self, line: int, reason: str) -> CsvError:
        return CsvError(f"{self.name} line {line}: {reason}.")

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line, field -> trimmed cell)`` for every non-blank record after the header."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        used = set(self.columns.values())
        try:
            for record in reader:
                line = reader.line_num
                if line <= self.header_line or not any(cell.strip() for cell in record):
                    continue
                if any(cell.strip() for i, cell in enumerate(record) if i not in used):
                    raise self.error(line, "it has a value in a column without a header")
                yield (
                    line,
                    {
                        field: typed_cell(record[i].strip())
                        for field, i in self.columns.items()
                        if i < len(record)
                    },
                )
        except csv.Error as exc:
            raise self.error(reader.line_num, f"it cannot be read as CSV ({exc})") from None


def _read_table(path: Path, allowed: Sequence[str]) -> _Table:
    text = _decode(path)
    name = path.name
    # The delimiter is the one under which the first line names the most known columns.
    best: tuple[int, str, int, list[str]] | None = None
    for delimiter in _DELIMITERS:
        first = _first_record(text, delimiter)
        if first is None:
            continue
        line, header = first
        known = sum(1 for cell in header if cell.strip() and header_fields([cell], allowed))
        if best is None or known > best[0]:
            best = (known, delimiter, line, header)
    if best is None:
        raise CsvError(f"{name} is empty: it needs a header line such as {','.join(allowed)}.")
    _known, delimiter, line, header = best
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        if not cell.strip():
            continue
        match = header_fields([cell], allowed)
        field = match[0] if match else None
        if field is None:
            raise CsvError(
                f'{name} line {line}: unknown column "{cell.strip()}"; the first line must name '
                f"the columns, such as {','.join(allowed)}."
            )
        if field in columns:
            raise CsvError(f'{name} line {line}: the column "{cell.strip()}" appears twice.')
        columns[field] = index
    return _Table(name, text, delimiter, line, columns)


def _first_record(text: str, delimiter: str) -> tuple[int, list[str]] | None:
    """The first non-blank record and the line it ends on; None when there is none."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                return reader.line_num, record
    except csv.Error:
        return None  # e.g. a stray quote under this delimiter: another one will fit
    return None


def _decode(path: Path) -> str:
    """The text of a CSV file, whatever spreadsheet wrote it; refuses anything not text."""
    name = path.name
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise CsvError(f"{name} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB.")
        data = path.read_bytes()
    except OSError as exc:
        raise CsvError(f"{name} cannot be read ({exc.strerror or exc}).") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked_text(data.decode("utf-16"), name)
        except UnicodeDecodeError:
            raise CsvError(f"{name} is not readable text (broken UTF-16).") from None
    if b"\x00" in data:
        raise CsvError(f"{name} is not a text file; save it from your spreadsheet as CSV.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _utf8_sequence().search(data):
        # UTF-8 in places and not in others: read either way, some names come
        # out garbled ("Kovács" as "KovÃ¡cs"), and a garbled name is created
        # as such.  Only the person who made the file knows which is right.
        line = data.count(b"\n", 0, first_bad) + 1
        raise CsvError(
            f"{name} line {line} is not UTF-8 text, though the lines before it are: "
            "save the file from your spreadsheet as CSV UTF-8."
        )
    # Not UTF-8 anywhere: the Windows Western code page is what spreadsheets there write.
    # It leaves five bytes undefined, and real text has no control characters,
    # so a file of any other kind is refused here rather than read as nonsense.
    try:
        return _checked_text(data.decode("cp1252"), name)
    except UnicodeDecodeError:
        raise CsvError(
            f"{name} is not readable text; save it from your spreadsheet as CSV UTF-8."
        ) from None


def _checked_text(text: str, name: str) -> str:
    if any(ch in _CONTROL for ch in text):
        raise CsvError(f"{name} is not a text file; save it from your spreadsheet as CSV.")
    return text


# --- writing ------------------------------------------------------------------------


def write_domains(order: Order, path: Path | str) -> None:
    """Write the order's domains as ``domain,years,forwardTo,maskForwarding`` (atomically)."""
    rows = [
        [e.domain, str(e.years), e.forward_to, "true" if e.mask_forwarding else "false"]
        for e in order.domains
    ]
    _write_rows(Path(path), DOMAIN_COLUMNS, rows)


def write_mailboxes(order: Order, path: Path | str) -> None:
    """Write the order's mailboxes as ``domain,username,firstName,lastName`` (atomically)."""
    rows = [[m.domain, m.username, m.first_name, m.last_name] for m in order.mailboxes]
    _write_rows(Path(path), MAILBOX_COLUMNS, rows)


def _write_rows(path: Path, header: Sequence[str], rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    try:
        data = out.getvalue().encode("utf-8")
    except UnicodeEncodeError as exc:
        line = out.getvalue().count("\n", 0, exc.start) + 1
        raise CsvError(
            f"{path.name} was not written: line {line} holds a broken character."
        ) from None
    try:
        with atomic_file(path) as stream:
            stream.write(data)
    except OSError as exc:
        raise CsvError(f"{path.name} cannot be written ({exc.strerror or exc}).") from None
