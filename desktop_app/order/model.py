"""The order being drafted: plain Python objects, no Qt.

A draft may hold values the API would refuse (a year typed as "ten", a blank
first name): it is a draft.  Nothing here checks or drops anything; the rules
live in :mod:`desktop_app.order.validation` and report problems instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from desktop_app.order.avatars import Avatar
from desktop_app.order.names import canonical_mailbox_key

BILLING_CYCLE = "MONTHLY"  # the only value the API accepts
PRODUCTION_BASE_URL = "https://customers.coldmailreseller.com"


class Provider(str, enum.Enum):
    """Which kind of mailboxes the order buys (the API's ``serviceProvider``)."""

    GOOGLE = "GOOGLE"
    MICROSOFT = "MICROSOFT"


# The providers as the README, the window and the command line name them.
PROVIDER_NAMES = {Provider.GOOGLE: "Google Workspace", Provider.MICROSOFT: "Microsoft 365"}


@dataclass
class DomainEntry:
    """One domain to register.  ``years`` is an ``int`` when it parsed, else the raw text."""

    domain: str = ""
    years: int | str = 1
    forward_to: str = ""
    mask_forwarding: bool = False


@dataclass
class Mailbox:
    """One mailbox on a domain, with its profile picture when it has one.

    The avatar hangs on the mailbox itself, so renaming the username or the
    domain carries the picture along without any re-keying.
    """

    domain: str = ""
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    avatar: Avatar | None = None

    @property
    def key(self) -> str:
        """``username@domain`` in the canonical form the API's file parts use."""
        return canonical_mailbox_key(self.username, self.domain)

    @property
    def email(self) -> str:
        """``username@domain`` as typed, for display."""
        return f"{self.username}@{self.domain}"


@dataclass
class GoogleSettings:
    """The API's ``google`` object: all three blank, or all three set."""

    oauth_route: str = ""
    client_id: str = ""  # digits, kept as text so no digit of a long id is ever rounded
    app_name: str = ""

    def is_blank(self) -> bool:
        return not (self.oauth_route.strip() or self.client_id.strip() or self.app_name.strip())


@dataclass
class Order:
    """Everything one create-order request carries, plus a name and notes for people."""

    domains: list[DomainEntry] = field(default_factory=list)
    mailboxes: list[Mailbox] = field(default_factory=list)
    provider: Provider = Provider.GOOGLE
    google: GoogleSettings = field(default_factory=GoogleSettings)
    microsoft_oauth_route: str = ""
    confirm: bool = False
    auto_renew: bool = False
    user_id: str = ""
    name: str = ""
    notes: str = ""
    # Pictures keyed to no mailbox (from a draft file or an avatar folder).
    # Kept, so nothing the user brought in is lost, and reported as a warning.
    unassigned_avatars: dict[str, Avatar] = field(default_factory=dict)

    @property
    def billing_cycle(self) -> str:
        return BILLING_CYCLE

    def mailboxes_by_domain(self) -> dict[str, list[Mailbox]]:
        """Mailboxes grouped by domain as typed, domains in order of first appearance."""
        grouped: dict[str, list[Mailbox]] = {}
        for mailbox in self.mailboxes:
            grouped.setdefault(mailbox.domain, []).append(mailbox)
        return grouped

    def attach_avatar(self, key: str, avatar: Avatar) -> bool:
        """Give ``avatar`` to the mailbox whose canonical key matches ``key``.

        Returns False (and keeps the picture as unassigned) when no mailbox has
        that key, so a picture is never silently dropped.
        """
        wanted = canonical_key_of(key)
        for mailbox in self.mailboxes:
            if mailbox.key == wanted:
                mailbox.avatar = avatar
                return True
        self.unassigned_avatars[key] = avatar
        return False

    def avatar_count(self) -> int:
        return sum(1 for m in self.mailboxes if m.avatar is not None)


def canonical_key_of(key: str) -> str:
    """The canonical form of a ``username@domain`` text typed anywhere."""
    username, _, domain = key.rpartition("@")
    return canonical_mailbox_key(username, domain)
