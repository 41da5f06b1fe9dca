"""Warnings an experienced operator gives: no User ID, too many mailboxes on one domain.

Neither stops a send.  Kept apart from the errors of
:mod:`desktop_app.order.validation`, which :func:`validate` composes with these.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.order.model import PROVIDER_NAMES, Order, Provider
from desktop_app.order.names import domain_problem
from desktop_app.order.order_rules import mailboxes_per_domain
from desktop_app.order.problems import Problem, Table, warning

NO_LIMIT = 0
# Peers cap Google Workspace at about 5 mailboxes per domain; Microsoft 365 tenants take many.
USUAL_GOOGLE_MAILBOXES_PER_DOMAIN = 5
USUAL_MICROSOFT_MAILBOXES_PER_DOMAIN = NO_LIMIT

NO_USER_ID = (
    "No User ID: an order for one of your CMR users is refused without it (the API asks "
    "for one); leave it blank only when your API key orders for its own account."
)


@dataclass(frozen=True)
class MailboxesPerDomain:
    """How many mailboxes one domain usually takes, per provider (``NO_LIMIT``: no warning)."""

    google: int = USUAL_GOOGLE_MAILBOXES_PER_DOMAIN
    microsoft: int = USUAL_MICROSOFT_MAILBOXES_PER_DOMAIN

    def of(self, provider: Provider) -> int:
        return self.google if provider is Provider.GOOGLE else self.microsoft


def operator_warnings(order: Order, limits: MailboxesPerDomain | None = None) -> list[Problem]:
    """Every warning of this module for ``order``."""
    return [*missing_user_id(order), *crowded_domains(order, limits)]


def missing_user_id(order: Order) -> list[Problem]:
    """A warning when the order names no CMR user."""
    if order.user_id.strip():
        return []
    return [warning(Table.SETTINGS, NO_USER_ID, column="userId")]


def crowded_domains(order: Order, limits: MailboxesPerDomain | None = None) -> list[Problem]:
    """A warning on the first mailbox of each domain holding more than the provider's usual."""
    most = (limits or MailboxesPerDomain()).of(order.provider)
    if most == NO_LIMIT:
        return []
    # A domain that is not usable is an error of its own already.
    domains = mailboxes_per_domain(order, skip=lambda text: domain_problem(text) is not None)
    provider = PROVIDER_NAMES[order.provider]
    why = "mailboxes on one domain share its sending reputation"
    if order.provider is Provider.GOOGLE:
        why += f", and providers commonly cap {provider} at {USUAL_GOOGLE_MAILBOXES_PER_DOMAIN}"
    return [
        warning(
            Table.MAILBOXES,
            f"{order.mailboxes[row].domain.strip()} has {count:,} {provider} "
            f"mailboxes, more than the {most:,} per domain that Settings allow (Mailboxes "
            f"per domain): {why}.",
            row,
            "domain",
        )
        for row, count in domains.values()
        if count > most
    ]
