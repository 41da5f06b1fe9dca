"""The domains and mailboxes table models (see :mod:`table_model` for how they edit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from desktop_app.order.avatars import Avatar
from desktop_app.order.model import DomainEntry, Mailbox
from desktop_app.order.table_text import parse_years, split_email
from desktop_app.order.validation import Problem, Table
from desktop_app.ui.common.plain_text import plain_tooltip
from desktop_app.ui.tables import marks
from desktop_app.ui.tables.columns import (
    DOMAIN_SPECS,
    MAILBOX_SPECS,
    AvatarState,
    DomainColumn,
    MailboxColumn,
    Role,
)
from desktop_app.ui.tables.problem_index import Dirty
from desktop_app.ui.tables.table_model import (
    ACCESSIBLE_TEXT,
    ALIGNMENT,
    DECORATION,
    TOOLTIP,
    OrderTableModel,
    _runs,
)

MAX_CELL_INT = 2**31 - 1  # the largest number a table cell holds as a number


class DomainTableModel(OrderTableModel):
    """The order's domains, one per row (columns: :class:`DomainColumn`)."""

    columns = DomainColumn
    specs = DOMAIN_SPECS
    table = Table.DOMAINS
    check_columns = frozenset({int(DomainColumn.MASK_FORWARDING)})

    def items(self) -> list[DomainEntry]:
        return self.document.order.domains

    def recheck(self, objects: Iterable[DomainEntry]) -> Dirty:
        return self.document.problems.domains_changed(objects)

    def forget(self, objects: Iterable[DomainEntry]) -> Dirty:
        return self.document.problems.domains_removed(objects)

    def problems_of(self, obj: DomainEntry) -> list[Problem]:
        return self.document.problems.domain_problems(obj)

    def new_object(self) -> DomainEntry:
        return DomainEntry()

    def parse_edit(self, column: int, value: Any) -> list[tuple[str, Any]]:
        if column == DomainColumn.YEARS:
            return [("years", value if isinstance(value, int) else parse_years(str(value)))]
        return super().parse_edit(column, value)

    def value(self, obj: DomainEntry, column: int, editing: bool) -> Any:
        value = super().value(obj, column, editing)
        if column == DomainColumn.YEARS and isinstance(value, int) and abs(value) > MAX_CELL_INT:
            return str(value)  # past Qt's int a number would overflow where it is drawn
        return value

    def sort_value(self, obj: DomainEntry, column: int) -> Any:
        if column == DomainColumn.YEARS:
            years = obj.years
            return float(years) if isinstance(years, int) else float("inf")
        return super().sort_value(obj, column)

    def extra(self, obj: DomainEntry, column: int, role: int) -> Any:
        if role == ALIGNMENT and column == DomainColumn.YEARS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def search_text(self, row: int) -> str:
        entry = self.document.order.domains[row]
        return f"{entry.domain}\t{entry.years}\t{entry.forward_to}".lower()


class MailboxTableModel(OrderTableModel):
    """The order's mailboxes, one per row (columns: :class:`MailboxColumn`).

    The picture column also serves the avatar slots: roles ``Role.KEY``,
    ``Role.EMAIL`` and ``Role.AVATAR_STATE`` and a thumbnail as decoration.
    """

    columns = MailboxColumn
    specs = MAILBOX_SPECS
    table = Table.MAILBOXES

    def items(self) -> list[Mailbox]:
        return self.document.order.mailboxes

    def recheck(self, objects: Iterable[Mailbox]) -> Dirty:
        return self.document.problems.mailboxes_changed(objects)

    def forget(self, objects: Iterable[Mailbox]) -> Dirty:
        return self.document.problems.mailboxes_removed(objects)

    def problems_of(self, obj: Mailbox) -> list[Problem]:
        return self.document.problems.mailbox_problems(obj)

    def new_object(self) -> Mailbox:
        return Mailbox()

    def cell_problems(self, obj: Mailbox, column: int) -> list[Problem]:
        if column == MailboxColumn.AVATAR:
            return [p for p in self.problems_of(obj) if p.table is Table.AVATARS]
        return super().cell_problems(obj, column)

    def value(self, obj: Mailbox, column: int, editing: bool) -> Any:
        if column == MailboxColumn.AVATAR:
            state = avatar_state(obj)
            return {
                AvatarState.SET: "",
                AvatarState.MISSING: "none",
                AvatarState.UNUSABLE: "unusable",
            }[state]
        return super().value(obj, column, editing)

    def sort_value(self, obj: Mailbox, column: int) -> Any:
        if column == MailboxColumn.AVATAR:
            return int(avatar_state(obj))
        return super().sort_value(obj, column)

    def mark(self, obj: Mailbox, column: int, role: int) -> Any:
        if role == TOOLTIP and column == MailboxColumn.AVATAR:
            # The slot shows the address shortened: its tooltip gives it whole, as
            # typed, and the form it is sent in when that differs (punycode).
            lines = [obj.email, marks.punycode_note(obj.domain)]
            lines.append(marks.tooltip(self.cell_problems(obj, column)) or "")
            return plain_tooltip("\n".join(line for line in lines if line))
        if role == DECORATION and column == MailboxColumn.AVATAR and obj.avatar is not None:
            if obj.avatar.problem is not None:
                return marks.icon(marks.worst(self.cell_problems(obj, column)))
            thumbnail = self.document.thumbnails.get(obj.avatar)
            # An icon, so the table draws it at its icon size, not the thumbnail's.
            return QIcon(thumbnail) if thumbnail is not None and not thumbnail.isNull() else None
        return super().mark(obj, column, role)

    def extra(self, obj: Mailbox, column: int, role: int) -> Any:
        if role == Role.KEY:
            return obj.key
        if role == Role.EMAIL:
            return obj.email
        if role == Role.AVATAR_STATE:
            return int(avatar_state(obj))
        if role == Role.THUMBNAIL:
            return self.document.thumbnails.get(obj.avatar) if obj.avatar is not None else None
        if role == ACCESSIBLE_TEXT and column == MailboxColumn.AVATAR:
            words = {
                AvatarState.SET: "picture set",
                AvatarState.MISSING: "no picture",
                AvatarState.UNUSABLE: "picture unusable",
            }
            return f"{obj.email}: {words[avatar_state(obj)]}"
        return None

    def parse_edit(self, column: int, value: Any) -> list[tuple[str, Any]]:
        text = str(value).strip()
        if column == MailboxColumn.USERNAME and "@" in text:
            username, domain = split_email(text)
            if not domain:
                return [("username", text)]
            return [("username", username), ("domain", marks.unicode_domain(domain))]
        return super().parse_edit(column, text)

    def search_text(self, row: int) -> str:
        m = self.document.order.mailboxes[row]
        return f"{m.username}@{m.domain}\t{m.first_name} {m.last_name}".lower()

    def refresh_thumbnails(self, avatars: list[Avatar] | None = None) -> None:
        """Thumbnails became ready: repaint the picture cells of ``avatars`` (all when None).

        Only the rows concerned: a change reported over every row makes the
        filtering proxy test all 5,000 of them again, for each slice of thumbnails.
        """
        if not self.rowCount():
            return
        column = int(MailboxColumn.AVATAR)
        roles = [DECORATION, int(Role.THUMBNAIL)]
        if avatars is None:
            runs = [(0, self.rowCount() - 1)]
        else:
            ready = {avatar.digest for avatar in avatars}  # the same picture, any object
            runs = _runs(
                [
                    row
                    for row, m in enumerate(self.items())
                    if m.avatar is not None and m.avatar.digest in ready
                ]
            )
        for first, last in runs:
            self.dataChanged.emit(self.index(first, column), self.index(last, column), roles)

    def domain_choices(self) -> list[str]:
        """The order's domains as typed, once each, for the domain picker."""
        seen: dict[str, None] = {}
        for entry in self.document.order.domains:
            name = entry.domain.strip()
            if name:
                seen.setdefault(name, None)
        return list(seen)


def avatar_state(mailbox: Mailbox) -> AvatarState:
    if mailbox.avatar is None:
        return AvatarState.MISSING
    return AvatarState.UNUSABLE if mailbox.avatar.problem is not None else AvatarState.SET
