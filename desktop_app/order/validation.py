"""The order's rules: a pure function from an order to the problems in it.

Each problem says how serious it is, where it is (table, row and column, or
an avatar key, or a setting) and what is wrong, in words a person follows.
The per-row checks are exposed on their own so the window can re-check just
the row being edited; :func:`validate` composes them for the whole order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from desktop_app.order.model import DomainEntry, Mailbox, Order, Provider
from desktop_app.order.names import (
    any_hidden,
    comparable_domain,
    domain_problem,
    hidden_character,
    invisible_character,
    mixed_scripts,
    username_problem,
)
from desktop_app.order.order_rules import order_wide_problems
from desktop_app.order.problems import (
    Problem,
    Severity,
    Table,
    has_errors,
)
from desktop_app.order.problems import error as _error
from desktop_app.order.problems import warning as _warning

if TYPE_CHECKING:
    from desktop_app.order.operator_warnings import MailboxesPerDomain
    from desktop_app.order.purchases import Repeat

__all__ = [
    "Problem",
    "Severity",
    "Table",
    "has_errors",
    "order_wide_problems",
    "validate",
]

MAX_YEARS = 10
MAX_NAME_LENGTH = 60
_DIGITS = re.compile(r"^[0-9]+$")
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
# A Google client ID comes in two real forms, both sent exactly as typed:
# the numeric id some platforms publish (or a service account's, up to 21
# digits), and the OAuth client ID the Admin console takes.  It travels as a
# JSON string, so a leading zero is kept and no longer an error.
MAX_CLIENT_ID_DIGITS = 30
_NUMERIC_CLIENT_ID = re.compile(rf"[0-9]{{1,{MAX_CLIENT_ID_DIGITS}}}")
# ASCII: with IGNORECASE alone, [a-z] would also match the Kelvin sign and the long s.
_OAUTH_CLIENT_ID = re.compile(
    r"[0-9]+-[a-z0-9]+\.apps\.googleusercontent\.com", re.IGNORECASE | re.ASCII
)
CLIENT_ID_RULE = (
    f"Google client ID must be up to {MAX_CLIENT_ID_DIGITS} digits, or an OAuth client ID "
    "like 123456789012-abc123.apps.googleusercontent.com."
)


# --- rows ------------------------------------------------------------------------


def years_value(years: int | str) -> int | None:
    """``years`` as a whole number when it is one (``"2"`` counts), else None."""
    if isinstance(years, bool):
        return None
    if isinstance(years, int):
        return years
    text = str(years).strip()
    return int(text) if _DIGITS.match(text) else None


def is_google_client_id(text: str) -> bool:
    """True for 1–30 digits or ``<digits>-<letters, digits>.apps.googleusercontent.com``.

    ``text`` is taken as it will be sent (already trimmed); case does not matter.
    """
    return bool(_NUMERIC_CLIENT_ID.fullmatch(text) or _OAUTH_CLIENT_ID.fullmatch(text))


def check_domain(entry: DomainEntry, row: int) -> list[Problem]:
    """Problems of one domain row on its own (duplicates are found by :func:`validate`)."""
    problems = []
    reason = _invisible("Domain", entry.domain) or domain_problem(entry.domain)
    if reason is not None:
        problems.append(_error(Table.DOMAINS, _sentence(reason), row, "domain"))
    if any_hidden(entry.domain, str(entry.years), entry.forward_to):
        problems += check_characters(Table.DOMAINS, row, _domain_fields(entry))
    problems += check_lookalike_domain(entry.domain, row)
    years = years_value(entry.years)
    if years is None or not 1 <= years <= MAX_YEARS:
        problems.append(
            _error(
                Table.DOMAINS, f"Years must be a whole number from 1 to {MAX_YEARS}.", row, "years"
            )
        )
    forward = entry.forward_to.strip()
    if forward:
        if not _is_forward_target(forward):
            problems.append(
                _error(
                    Table.DOMAINS,
                    "Forward to must be an http(s) address or a domain, such as https://example.com.",
                    row,
                    "forwardTo",
                )
            )
    elif entry.mask_forwarding:
        problems.append(
            _warning(
                Table.DOMAINS,
                "Mask forwarding does nothing without a Forward to address.",
                row,
                "maskForwarding",
            )
        )
    return problems


def _invisible(label: str, text: str) -> str | None:
    found = invisible_character(text)
    return f"{label} contains {found}; remove it, or it is dropped unseen" if found else None


def _is_forward_target(text: str) -> bool:
    if "://" in text:
        return bool(_URL.match(text)) and domain_problem(_url_host(text)) is None
    host = text.split("/", 1)[0]
    return domain_problem(host) is None


def _url_host(url: str) -> str:
    rest = url.split("://", 1)[1]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    return host.rsplit("@", 1)[-1].split(":", 1)[0]


def check_mailbox(mailbox: Mailbox, row: int, order_domains: set[str]) -> list[Problem]:
    """Problems of one mailbox row on its own.

    ``order_domains`` holds the comparable form of every domain in the order;
    a mailbox on another domain is only a warning (the domain may already be
    in the account).
    """
    problems = []
    reason = _invisible("Domain", mailbox.domain) or domain_problem(mailbox.domain)
    if reason is not None:
        problems.append(_error(Table.MAILBOXES, _sentence(reason), row, "domain"))
    elif comparable_domain(mailbox.domain) not in order_domains:
        problems.append(
            _warning(
                Table.MAILBOXES,
                f"{mailbox.domain.strip()} is not among this order's domains; "
                "it must already be in your account.",
                row,
                "domain",
            )
        )
    reason = _invisible("Username", mailbox.username) or username_problem(mailbox.username.strip())
    if reason is not None:
        problems.append(_error(Table.MAILBOXES, _sentence(reason), row, "username"))
    if any_hidden(mailbox.domain, mailbox.username, mailbox.first_name, mailbox.last_name):
        problems += check_characters(Table.MAILBOXES, row, _mailbox_fields(mailbox))
    for column, label, value in (
        ("firstName", "First name", mailbox.first_name),
        ("lastName", "Last name", mailbox.last_name),
    ):
        text = value.strip()
        if not text:
            problems.append(_error(Table.MAILBOXES, f"{label} is required.", row, column))
        elif len(text) > MAX_NAME_LENGTH:
            problems.append(
                _error(
                    Table.MAILBOXES,
                    f"{label} can be at most {MAX_NAME_LENGTH} characters long.",
                    row,
                    column,
                )
            )
    key = mailbox.key
    if mailbox.avatar is None:
        problems.append(
            _warning(Table.AVATARS, "This mailbox has no profile picture.", row, "", key)
        )
    elif mailbox.avatar.problem is not None:
        problems.append(
            _error(
                Table.AVATARS,
                f"The picture for {mailbox.email} cannot be used: {mailbox.avatar.problem}.",
                row,
                "",
                key,
            )
        )
    return problems


# --- settings ----------------------------------------------------------------------

MAX_USER_ID = 64
USER_ID_RULE = (
    f"User ID must be plain printable ASCII without spaces, at most {MAX_USER_ID} characters "
    "(CMR's look like 8J7HM04FRXUT4VK86128K6D25APS)."
)


def user_id_problem(user_id: str) -> str | None:
    """Why ``user_id`` (trimmed) cannot be sent as a userId, or None.

    CMR's user IDs are 28 capital letters and digits; an operator's own
    platform may use other printable forms.  Anything longer or stranger would
    make a URL the HTTP library refuses, or one that means something else.
    """
    fits = len(user_id) <= MAX_USER_ID and all("!" <= char <= "~" for char in user_id)
    return None if fits else USER_ID_RULE


def check_settings(order: Order) -> list[Problem]:
    """Problems of the provider and OAuth settings, and of the order's name, notes and user."""
    problems: list[Problem] = check_characters(Table.SETTINGS, None, _settings_fields(order))
    user_id = order.user_id.strip()
    if user_id and not any(p.column == "userId" for p in problems):
        reason = user_id_problem(user_id)
        if reason is not None:
            problems.append(_error(Table.SETTINGS, reason, column="userId"))
    if order.provider is Provider.GOOGLE:
        google = order.google
        if not google.is_blank():
            for column, label, value in (
                ("google.googleOauthRoute", "Google OAuth route", google.oauth_route),
                ("google.clientId", "Google client ID", google.client_id),
                ("google.appName", "Google app name", google.app_name),
            ):
                if not value.strip():
                    problems.append(
                        _error(
                            Table.SETTINGS,
                            f"{label} is blank: fill in all three Google fields, or none.",
                            column=column,
                        )
                    )
        client_id = google.client_id.strip()
        if client_id and not is_google_client_id(client_id):
            problems.append(_error(Table.SETTINGS, CLIENT_ID_RULE, column="google.clientId"))
        route = google.oauth_route.strip()
        if route and not _URL.match(route):
            problems.append(
                _error(
                    Table.SETTINGS,
                    "Google OAuth route must be an http(s) address.",
                    column="google.googleOauthRoute",
                )
            )
    else:
        route = order.microsoft_oauth_route.strip()
        if route and not (route.lower().startswith("https://") and _URL.match(route)):
            problems.append(
                _error(
                    Table.SETTINGS,
                    "Microsoft OAuth route must be an https:// address.",
                    column="microsoftOauthRoute",
                )
            )
    return problems


# --- characters that hide or reorder text -------------------------------------------

_Fields = list[tuple[str, str, str]]  # (column, label, value)


def check_characters(table: Table, row: int | None, fields: _Fields) -> list[Problem]:
    """An error for each field holding a control character or a text direction override.

    Such characters never belong in an order: NUL cuts text short in other
    programs, escapes drive the terminal that prints a field, and direction
    overrides make a field show differently from what is sent.
    """
    problems = []
    for column, label, value in fields:
        found = hidden_character(value, multiline=column == "notes")
        if found is not None:
            problems.append(
                _error(
                    table,
                    f"{label} contains {found}, which hides or reorders what is shown; remove it.",
                    row,
                    column,
                )
            )
    return problems


def check_lookalike_domain(domain: str, row: int | None) -> list[Problem]:
    """A warning when a domain mixes Latin with Cyrillic or Greek letters, naming its punycode."""
    scripts = mixed_scripts(domain)
    if not scripts or domain_problem(domain) is not None:
        return []
    return [
        _warning(
            Table.DOMAINS,
            f"{domain.strip()} mixes {' and '.join(scripts)} letters, so it can pass for another "
            f"domain: it is registered as {comparable_domain(domain)}.",
            row,
            "domain",
        )
    ]


def _domain_fields(entry: DomainEntry) -> _Fields:
    return [
        ("domain", "Domain", entry.domain),
        ("years", "Years", entry.years if isinstance(entry.years, str) else ""),
        ("forwardTo", "Forward to", entry.forward_to),
    ]


def _mailbox_fields(mailbox: Mailbox) -> _Fields:
    return [
        ("domain", "Domain", mailbox.domain),
        ("username", "Username", mailbox.username),
        ("firstName", "First name", mailbox.first_name),
        ("lastName", "Last name", mailbox.last_name),
    ]


def _settings_fields(order: Order) -> _Fields:
    return [
        ("name", "The order's name", order.name),
        ("notes", "Notes", order.notes),
        ("userId", "User ID", order.user_id),
        ("google.googleOauthRoute", "Google OAuth route", order.google.oauth_route),
        ("google.clientId", "Google client ID", order.google.client_id),
        ("google.appName", "Google app name", order.google.app_name),
        ("microsoftOauthRoute", "Microsoft OAuth route", order.microsoft_oauth_route),
    ]


# --- the whole order ---------------------------------------------------------------


def validate(
    order: Order,
    bought: Mapping[str, Repeat] | None = None,
    limits: MailboxesPerDomain | None = None,
) -> list[Problem]:
    """Every problem in ``order``: errors stop a send, warnings only inform.

    ``bought`` (from :meth:`History.bought`) adds a warning for each domain or
    mailbox that an earlier attempt to the same endpoint bought, or may have.
    ``limits`` are the mailboxes per domain the settings allow (their defaults
    when not given).
    """
    from desktop_app.order.operator_warnings import crowded_domains, missing_user_id

    problems: list[Problem] = []
    domain_keys = [comparable_domain(entry.domain) for entry in order.domains]
    for row, entry in enumerate(order.domains):
        problems.extend(check_domain(entry, row))
    problems.extend(duplicate_domains(domain_keys))

    order_domains = set(domain_keys)
    mailbox_keys = []
    for row, mailbox in enumerate(order.mailboxes):
        problems.extend(check_mailbox(mailbox, row, order_domains))
        mailbox_keys.append(mailbox.key)
    problems.extend(duplicate_mailboxes(mailbox_keys, order.mailboxes))

    for key in order.unassigned_avatars:
        problems.append(
            _warning(
                Table.AVATARS,
                "This picture belongs to no mailbox in the order and will not be sent.",
                key=key,
            )
        )
    problems.extend(check_settings(order))
    problems.extend(missing_user_id(order))
    if not order.domains and not order.mailboxes:
        problems.append(_error(Table.DOMAINS, "The order is empty: add a domain or a mailbox."))
    problems.extend(order_wide_problems(order, bought))
    problems.extend(crowded_domains(order, limits))
    return problems


def duplicate_domains(domain_keys: Iterable[str]) -> list[Problem]:
    keys = list(domain_keys)
    counts = Counter(key for key in keys if key)
    return [
        _error(
            Table.DOMAINS, f"Duplicate domain: {key} appears {counts[key]} times.", row, "domain"
        )
        for row, key in enumerate(keys)
        if key and counts[key] > 1
    ]


def duplicate_mailboxes(mailbox_keys: Iterable[str], mailboxes: list[Mailbox]) -> list[Problem]:
    keys = list(mailbox_keys)
    counts = Counter(keys)
    return [
        _error(
            Table.MAILBOXES,
            f"Duplicate mailbox: {mailboxes[row].email.strip()} appears {counts[key]} times "
            "(usernames and domains ignore case).",
            row,
            "username",
        )
        for row, key in enumerate(keys)
        if counts[key] > 1 and not key.startswith("@")
    ]


def _sentence(reason: str) -> str:
    reason = reason.strip()
    return reason[0].upper() + reason[1:] + ("" if reason.endswith(".") else ".")
