"""The columns of the domains and mailboxes tables, and the model's extra roles."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import Qt

USER_ROLE = int(Qt.ItemDataRole.UserRole)


class Role(enum.IntEnum):
    """Data roles beyond Qt's own."""

    SORT = USER_ROLE + 1  # a value that sorts the way people expect (years as numbers)
    KEY = USER_ROLE + 2  # the mailbox's canonical username@domain
    EMAIL = USER_ROLE + 3  # username@domain as typed
    AVATAR_STATE = USER_ROLE + 4  # an AvatarState
    THUMBNAIL = (
        USER_ROLE + 5
    )  # the picture's thumbnail: a QPixmap, a null one when unusable, None while loading


class AvatarState(enum.IntEnum):
    MISSING = 0
    SET = 1
    UNUSABLE = 2


@dataclass(frozen=True)
class ColumnSpec:
    """What a column shows: its title, the core attribute and the API field it edits."""

    title: str
    attr: str
    field: str  # the API's field name, as validation problems and pasted headers name it
    hint: str
    width: int


class DomainColumn(enum.IntEnum):
    DOMAIN = 0
    YEARS = 1
    FORWARD_TO = 2
    MASK_FORWARDING = 3


class MailboxColumn(enum.IntEnum):
    USERNAME = 0
    DOMAIN = 1
    FIRST_NAME = 2
    LAST_NAME = 3
    AVATAR = 4


DOMAIN_SPECS = {
    DomainColumn.DOMAIN: ColumnSpec(
        "Domain", "domain", "domain", "The domain to register, such as example.com.", 180
    ),
    DomainColumn.YEARS: ColumnSpec(
        "Years", "years", "years", "How many years to register it for (1–10).", 56
    ),
    DomainColumn.FORWARD_TO: ColumnSpec(
        "Forward to",
        "forward_to",
        "forwardTo",
        "Where visitors of the domain are sent (optional).",
        150,
    ),
    DomainColumn.MASK_FORWARDING: ColumnSpec(
        "Mask",
        "mask_forwarding",
        "maskForwarding",
        "Keep the domain in the address bar when forwarding.",
        52,
    ),
}

MAILBOX_SPECS = {
    MailboxColumn.USERNAME: ColumnSpec(
        "Username",
        "username",
        "username",
        "The part before the @. Typing a full address fills the domain too.",
        130,
    ),
    MailboxColumn.DOMAIN: ColumnSpec(
        "Domain", "domain", "domain", "The domain the mailbox is on.", 150
    ),
    MailboxColumn.FIRST_NAME: ColumnSpec(
        "First name", "first_name", "firstName", "The mailbox owner's first name.", 100
    ),
    MailboxColumn.LAST_NAME: ColumnSpec(
        "Last name", "last_name", "lastName", "The mailbox owner's last name.", 100
    ),
    MailboxColumn.AVATAR: ColumnSpec("Picture", "avatar", "", "The mailbox's profile picture.", 72),
}
