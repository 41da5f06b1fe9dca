"""``order.json``, the heart of a draft file: the order in the API's own field names.

Reading keeps what the user typed even when the API would refuse it (years
"ten" stays "ten"; validation reports it).  Missing optional keys get their
defaults.  What cannot be kept (a list where text belongs, a newer format)
is a :class:`DraftError` naming the field, in one sentence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from desktop_app.order.avatars import EXTENSIONS, ArchiveSource, Avatar
from desktop_app.order.model import (
    BILLING_CYCLE,
    DomainEntry,
    GoogleSettings,
    Mailbox,
    Order,
    Provider,
    canonical_key_of,
)

FORMAT = "cmrorder"
VERSION = 1
MAX_ROWS = 100_000  # far beyond any real order; a file claiming more is refused
_SUFFIX_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789")


class DraftError(Exception):
    """A draft that cannot be opened or saved; ``str()`` is one sentence for a person."""


# --- writing ----------------------------------------------------------------------


def avatar_member(avatar: Avatar) -> str | None:
    """The member ``avatars/<sha256[:20]>.<ext>`` an avatar is saved as.

    None when its bytes could not be read at all (nothing to save).
    """
    if not avatar.digest:
        return None
    return f"avatars/{avatar.digest[:20]}{_suffix(avatar)}"


def _suffix(avatar: Avatar) -> str:
    known = EXTENSIONS.get(avatar.content_type)
    if known:
        return known
    # A picture that cannot be used keeps the extension it came with, so a
    # person who unpacks the draft still sees what it was.
    source = avatar.source
    original = source.member if isinstance(source, ArchiveSource) else avatar.original_name
    suffix = Path(original).suffix.lower()
    ok = 1 < len(suffix) <= 9 and set(suffix[1:]) <= _SUFFIX_CHARS
    return suffix if ok else ".bin"


def order_to_json(order: Order) -> dict[str, Any]:
    """The ``order.json`` document for ``order`` (avatars named by :func:`avatar_member`).

    Mailboxes are grouped by domain as typed, in order of first appearance,
    as the API groups them; when the table's own row order differs,
    ``mailboxOrder`` keeps it (row ``i`` of the table is mailbox number
    ``mailboxOrder[i]`` of the groups read one after another).  Avatar keys
    are the mailboxes' addresses as typed.
    """
    grouped = order.mailboxes_by_domain()
    # Keyed as typed, in the order mailboxes load in.  Identical addresses share
    # one key: it takes the first picture among them and goes, on loading, to
    # the first of them (so saving again writes the same file).
    slots: dict[str, str | None] = {}
    for mailbox in (m for group in grouped.values() for m in group):
        if slots.get(mailbox.email) is None:
            slots[mailbox.email] = avatar_member(mailbox.avatar) if mailbox.avatar else None
    avatars = {key: member for key, member in slots.items() if member is not None}
    for key, avatar in order.unassigned_avatars.items():
        member = avatar_member(avatar)
        if member is not None:
            avatars.setdefault(key, member)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "name": order.name,
        "notes": order.notes,
        "userId": order.user_id,
        "domains": [
            {
                "domain": entry.domain,
                "years": entry.years,
                "forwardTo": entry.forward_to,
                "maskForwarding": entry.mask_forwarding,
            }
            for entry in order.domains
        ],
        "mailboxes": {
            domain: [
                {"username": m.username, "firstName": m.first_name, "lastName": m.last_name}
                for m in mailboxes
            ]
            for domain, mailboxes in grouped.items()
        },
        "avatars": avatars,
        "billingCycle": order.billing_cycle,
        "serviceProvider": order.provider.value,
        "google": {
            "googleOauthRoute": order.google.oauth_route,
            "clientId": order.google.client_id,
            "appName": order.google.app_name,
        },
        "microsoftOauthRoute": order.microsoft_oauth_route,
        "confirm": order.confirm,
        "autoRenew": order.auto_renew,
    }
    row_order = _row_order(order, grouped)
    if row_order is not None:
        document["mailboxOrder"] = row_order
    return document


def _row_order(order: Order, grouped: dict[str, list[Mailbox]]) -> list[int] | None:
    """Where each table row sits among the grouped mailboxes; None when nothing moved."""
    position = {id(m): i for i, m in enumerate(m for group in grouped.values() for m in group)}
    rows = [position[id(m)] for m in order.mailboxes]
    return None if rows == list(range(len(rows))) else rows


# --- reading ----------------------------------------------------------------------


def order_from_json(document: object, source: str = "the draft") -> Order:
    """The order described by a parsed ``order.json`` (its pictures aside).

    ``source`` names the file in messages.  Pictures are attached by the
    caller (see :func:`avatar_paths` and :func:`assign_avatars`).
    """
    fields = _Fields(source)
    top = fields.mapping(document, "order.json")
    _check_format(top, fields)
    order = Order(
        name=fields.text(top, "name"),
        notes=fields.text(top, "notes"),
        user_id=fields.text(top, "userId"),
        provider=_provider(top, fields),
        microsoft_oauth_route=fields.text(top, "microsoftOauthRoute"),
        confirm=fields.flag(top, "confirm"),
        auto_renew=fields.flag(top, "autoRenew"),
    )
    _check_billing_cycle(top, fields)
    google = fields.mapping(top.get("google"), "google", optional=True)
    order.google = GoogleSettings(
        fields.text(google, "googleOauthRoute", "google."),
        _client_id(google, fields),
        fields.text(google, "appName", "google."),
    )
    for index, item in enumerate(fields.rows(top.get("domains"), "domains", "domains")):
        where = f"domains[{index}]"
        entry = fields.mapping(item, where)
        order.domains.append(
            DomainEntry(
                domain=fields.text(entry, "domain", where + "."),
                years=fields.years(entry, where + "."),
                forward_to=fields.text(entry, "forwardTo", where + "."),
                mask_forwarding=fields.flag(entry, "maskForwarding", where + "."),
            )
        )
    grouped = fields.mapping(top.get("mailboxes"), "mailboxes", optional=True)
    for domain, items in grouped.items():
        prefix = f"mailboxes[{json.dumps(domain, ensure_ascii=False)}]"
        for index, item in enumerate(fields.rows(items, prefix, "mailboxes")):
            where = f"{prefix}[{index}]"
            entry = fields.mapping(item, where)
            order.mailboxes.append(
                Mailbox(
                    domain=domain,
                    username=fields.text(entry, "username", where + "."),
                    first_name=fields.text(entry, "firstName", where + "."),
                    last_name=fields.text(entry, "lastName", where + "."),
                )
            )
        if len(order.mailboxes) > MAX_ROWS:
            raise fields.too_many("mailboxes")
    order.mailboxes = _in_row_order(order.mailboxes, top.get("mailboxOrder"), fields)
    return order


def _in_row_order(grouped: list[Mailbox], row_order: object, fields: _Fields) -> list[Mailbox]:
    """The mailboxes in the table's order, when the draft kept one (see :func:`order_to_json`)."""
    if row_order is None:
        return grouped
    expected = f"a list of the numbers 0 to {len(grouped) - 1:,}, each once"
    if (
        not isinstance(row_order, list)
        or len(row_order) != len(grouped)
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in row_order)
        or sorted(row_order) != list(range(len(grouped)))
    ):
        raise DraftError(f"{fields.source} cannot be opened: mailboxOrder should be {expected}.")
    return [grouped[i] for i in row_order]


def avatar_paths(document: object, source: str = "the draft") -> dict[str, str]:
    """``username@domain`` → archive member, from a parsed ``order.json``.

    Member names that climb out of the archive (``..``, absolute paths) are
    refused even though nothing is ever extracted: no real draft has them.
    """
    fields = _Fields(source)
    top = fields.mapping(document, "order.json")
    mapping = fields.mapping(top.get("avatars"), "avatars", optional=True)
    if len(mapping) > MAX_ROWS:
        raise fields.too_many("avatars")
    paths: dict[str, str] = {}
    for key, member in mapping.items():
        if member is None or member == "":
            continue
        if not isinstance(member, str):
            raise fields.wrong_type(
                f"avatars[{json.dumps(key, ensure_ascii=False)}]", "text", member
            )
        parts = member.split("/")
        if member.startswith("/") or "\\" in member or ":" in parts[0] or ".." in parts:
            raise DraftError(
                f"{source} cannot be opened: the picture for {_shown(key)} points outside the "
                f"draft ({_shown(member)})."
            )
        paths[key] = member
    return paths


def assign_avatars(order: Order, avatars: Mapping[str, Avatar]) -> None:
    """Give each picture to its mailbox: the address as typed first, then ignoring case.

    A mailbox never gets two pictures and a picture never replaces another;
    pictures that fit no mailbox are kept in ``order.unassigned_avatars``.
    """
    by_email: dict[str, list[Mailbox]] = {}
    by_key: dict[str, list[Mailbox]] = {}
    for mailbox in order.mailboxes:
        by_email.setdefault(mailbox.email, []).append(mailbox)
        by_key.setdefault(mailbox.key, []).append(mailbox)
    pending: list[tuple[str, Avatar]] = []
    for key, avatar in avatars.items():
        if not _give(by_email.get(key, []), avatar):
            pending.append((key, avatar))
    for key, avatar in pending:
        if not _give(by_key.get(canonical_key_of(key), []), avatar):
            order.unassigned_avatars[key] = avatar


def _give(candidates: list[Mailbox], avatar: Avatar) -> bool:
    for mailbox in candidates:
        if mailbox.avatar is None:
            mailbox.avatar = avatar
            return True
    return False


def _check_format(top: dict[str, object], fields: _Fields) -> None:
    version = top.get("version", VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise fields.wrong_type("version", "a whole number from 1", version)
    if version > VERSION:
        raise DraftError(
            f"{fields.source} was made by a newer Order Desk (draft version {_shown(version)}); "
            "update Order Desk to open it."
        )
    kind = top.get("format", FORMAT)
    if kind != FORMAT:
        raise DraftError(
            f"{fields.source} is not an Order Desk draft (its format is {_shown(kind)})."
        )


def _provider(top: dict[str, object], fields: _Fields) -> Provider:
    value = fields.text(top, "serviceProvider").strip().upper()
    if not value:
        return Provider.GOOGLE
    if value not in Provider.__members__:
        raise DraftError(
            f"{fields.source} cannot be opened: serviceProvider should be GOOGLE or MICROSOFT, "
            f"not {_shown(top.get('serviceProvider'))}."
        )
    return Provider(value)


def _client_id(google: dict[str, object], fields: _Fields) -> str:
    """The Google client ID as text.  Drafts written before it was sent as a string
    (and other tools following the API page's "(number)") hold a JSON number:
    json keeps an integer of any length exactly, so its digits are the id."""
    value = google.get("clientId")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return fields.text(google, "clientId", "google.")


def _check_billing_cycle(top: dict[str, object], fields: _Fields) -> None:
    # The model has no place for another cycle, and quietly changing what an
    # order costs is worse than refusing to open it.
    value = fields.text(top, "billingCycle").strip().upper()
    if value and value != BILLING_CYCLE:
        raise DraftError(
            f"{fields.source} asks for {_shown(top.get('billingCycle'))} billing, but orders can "
            f"only be billed {BILLING_CYCLE}."
        )


class _Fields:
    """Reads typed values out of parsed JSON, naming the field when one has the wrong type."""

    def __init__(self, source: str) -> None:
        self.source = source

    def wrong_type(self, where: str, expected: str, value: object) -> DraftError:
        return DraftError(
            f"{self.source} cannot be opened: {where} should be {expected}, not {_kind(value)}."
        )

    def too_many(self, what: str) -> DraftError:
        return DraftError(
            f"{self.source} has more than {MAX_ROWS:,} {what}, more than Order Desk opens."
        )

    def mapping(self, value: object, where: str, optional: bool = False) -> dict[str, object]:
        if value is None and optional:
            return {}
        if not isinstance(value, dict):
            raise self.wrong_type(where, "an object", value)
        return value

    def rows(self, value: object, where: str, what: str) -> list[object]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.wrong_type(where, "a list", value)
        if len(value) > MAX_ROWS:
            raise self.too_many(what)
        return value

    def text(self, obj: dict[str, object], key: str, prefix: str = "") -> str:
        value = obj.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        # Another tool may write a whole number where we write text (the API documents
        # clientId as a number); its digits are kept exactly.  A fraction or exponent is
        # not: 1.50e2 would become "150.0", text nobody typed.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise self.wrong_type(prefix + key, "text", value)

    def flag(self, obj: dict[str, object], key: str, prefix: str = "") -> bool:
        value = obj.get(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        # "" is how the API itself spells "off" in a multipart request.
        if isinstance(value, str) and value.strip().lower() in ("true", "false", ""):
            return value.strip().lower() == "true"
        raise self.wrong_type(prefix + key, "true or false", value)

    def years(self, obj: dict[str, object], prefix: str) -> int | str:
        value = obj.get("years")
        if value is None:
            return 1
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            return value
        if isinstance(value, float):
            return repr(value)  # kept as typed; validation says it is not a whole number
        raise self.wrong_type(prefix + "years", "a number", value)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
