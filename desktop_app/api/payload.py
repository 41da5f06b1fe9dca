"""The exact create-order request for an order, as the API's page describes it.

One pure function, :func:`build_request`, turns a valid order into the query,
headers (without the key), text fields and file parts.  The sender streams it
and ``order-desk curl`` prints it, so both always agree.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from desktop_app import __version__
from desktop_app.order.avatars import Avatar, finish_checks
from desktop_app.order.model import BILLING_CYCLE, PRODUCTION_BASE_URL, Order, Provider
from desktop_app.order.names import ascii_domain
from desktop_app.order.validation import Problem, Severity, validate, years_value

ORDERS_PATH = "/api/v1/integration/orders"
STATUS_PATH = f"{ORDERS_PATH}/status"
API_KEY_HEADER = "cmr-x-api-key"
# What the flags are as text.  Multipart values are strings, and in JavaScript
# "false" is truthy: a backend reading ``if (body.confirm)`` would process (and
# charge) an order sent with confirm="false".  Off is the empty string, as in
# the API page's own sample.
FLAG_ON = "true"
FLAG_OFF = ""


def user_agent() -> str:
    """``OrderDesk/<version> (<OS>; Python <x.y>)``, sent with every request.

    API gateways often have bot rules against ``python-httpx/…``; this names the
    product instead, with just enough to match a report to a build.
    """
    import platform

    system = {"Darwin": "macOS"}.get(platform.system(), platform.system() or sys.platform)
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"OrderDesk/{__version__} ({system}; Python {python})"


def default_headers() -> dict[str, str]:
    return {"Accept": "application/json", "User-Agent": user_agent()}


class OrderNotReady(ValueError):
    """The order still has errors; ``problems`` lists them."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        noun = "error" if len(errors) == 1 else "errors"
        super().__init__(f"The order has {len(errors)} {noun} to fix before it can be sent.")
        self.problems = errors


@dataclass(frozen=True)
class FilePart:
    """One mailbox's picture: field name ``username@domain`` and the bytes to send."""

    name: str
    filename: str
    content_type: str
    size: int
    avatar: Avatar


@dataclass(frozen=True)
class RequestCounts:
    domains: int
    mailboxes: int
    avatars: int


@dataclass(frozen=True)
class OrderRequest:
    """Everything one POST carries, except the API key."""

    base_url: str
    user_id: str
    fields: list[tuple[str, str]]
    files: list[FilePart]
    counts: RequestCounts
    headers: dict[str, str] = field(default_factory=default_headers)

    @property
    def url(self) -> str:
        # userId is always present, empty or not, as in the API's own example.
        return f"{self.base_url}{ORDERS_PATH}?{urlencode({'userId': self.user_id})}"

    @property
    def fingerprint(self) -> str:
        """Identifies this exact request: same endpoint, userId, fields and pictures.

        Kept in History to tell attempts apart; whether two sends buy the same
        thing is :mod:`desktop_app.order.purchases`' question, not this one's.
        """
        digest = hashlib.sha256()
        material: list[Any] = [
            self.base_url,
            self.user_id,
            self.fields,
            [(part.name, part.avatar.digest) for part in self.files],
        ]
        digest.update(json.dumps(material, ensure_ascii=False).encode("utf-8"))
        return digest.hexdigest()

    def field(self, name: str) -> str:
        return dict(self.fields)[name]


def normalise_base_url(base_url: str) -> str:
    return base_url.strip().rstrip("/")


def build_request(order: Order, base_url: str = PRODUCTION_BASE_URL) -> OrderRequest:
    """The request for ``order``; raises :class:`OrderNotReady` while it has errors.

    Every picture is checked first: one whose check was left for later
    (``Avatar.pixels``) is checked now, so nothing unchecked is ever sent.
    """
    finish_checks(m.avatar for m in order.mailboxes)
    problems = validate(order)
    if any(problem.severity is Severity.ERROR for problem in problems):
        raise OrderNotReady(problems)

    domains = []
    for entry in order.domains:
        item: dict[str, Any] = {
            "domain": ascii_domain(entry.domain),
            "years": years_value(entry.years),
        }
        forward = entry.forward_to.strip()
        if forward:
            item["forwardTo"] = forward
            item["maskForwarding"] = bool(entry.mask_forwarding)
        domains.append(item)

    # Grouped under the ASCII domain so "Bücher.de" and "bücher.de" share one list.
    mailboxes: dict[str, list[dict[str, str]]] = {}
    files = []
    for mailbox in order.mailboxes:
        domain = ascii_domain(mailbox.domain)
        username = mailbox.username.strip().lower()
        mailboxes.setdefault(domain, []).append(
            {
                "username": username,
                "firstName": mailbox.first_name.strip(),
                "lastName": mailbox.last_name.strip(),
            }
        )
        avatar = mailbox.avatar
        if avatar is not None:
            key = f"{username}@{domain}"
            files.append(
                FilePart(key, key + avatar.extension, avatar.content_type, avatar.size, avatar)
            )

    fields = [
        ("domains", _json(domains)),
        ("mailboxes", _json(mailboxes)),
        ("billingCycle", BILLING_CYCLE),
        ("serviceProvider", order.provider.value),
        ("confirm", _flag(order.confirm)),
        ("autoRenew", _flag(order.auto_renew)),
        ("microsoftOauthRoute", _microsoft_route(order)),
        ("google", _google(order)),
    ]
    return OrderRequest(
        base_url=normalise_base_url(base_url),
        user_id=order.user_id.strip(),
        fields=fields,
        files=files,
        counts=RequestCounts(len(order.domains), len(order.mailboxes), len(files)),
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _flag(value: bool) -> str:
    return FLAG_ON if value else FLAG_OFF


def _microsoft_route(order: Order) -> str:
    return order.microsoft_oauth_route.strip() if order.provider is Provider.MICROSOFT else ""


def _google(order: Order) -> str:
    google = order.google
    if order.provider is not Provider.GOOGLE or google.is_blank():
        return _json({"googleOauthRoute": "", "clientId": "", "appName": ""})
    # clientId is a JSON string, as typed (trimmed).  The API page says
    # "(number)", but its own sample sends "", and JSON.parse turns a 21-digit
    # number into a double that silently loses digits.  A string also carries
    # the OAuth form (…apps.googleusercontent.com) and any leading zero.
    return _json(
        {
            "googleOauthRoute": google.oauth_route.strip(),
            "clientId": google.client_id.strip(),
            "appName": google.app_name.strip(),
        }
    )
