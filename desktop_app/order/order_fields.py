"""The order-level fields an operator sets, once for the window and the command line.

Each field has the name the window and the README give it ("Client ID",
"Process at once"), the API's name for it (``google.clientId``, ``confirm``),
where it lives on :class:`~desktop_app.order.model.Order`, and how typed text
becomes its value.  The window's Provider and Order panes take their labels,
hints and text rules from here; ``order-desk import`` and ``order-desk set``
take their names and values from here, and refuse a value with the words the
Problems pane uses for it (the rules themselves stay in
:mod:`desktop_app.order.validation`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop_app.order.model import PROVIDER_NAMES, Order, Provider
from desktop_app.order.table_text import parse_bool

_PROVIDER_WORDS = {
    "google": Provider.GOOGLE,
    "googleworkspace": Provider.GOOGLE,
    "microsoft": Provider.MICROSOFT,
    "microsoft365": Provider.MICROSOFT,
}


@dataclass(frozen=True)
class OrderField:
    """One field of the order the operator sets (not a table cell)."""

    name: str  # as the window labels it and the README writes it
    attribute: str  # dotted path on Order: "google.client_id"
    api: str  # the API's field name ("" for what is never sent)
    column: str  # the column problems of this field name (Problem.column)
    kind: str  # "text", "provider" or "switch"
    hint: str  # the window's tooltip
    undo: str  # the window's words for an undo step: "Change <undo>"
    # Text as typed -> what the order keeps (the User ID is kept without outer spaces).
    clean: Callable[[str], str] = lambda text: text

    @property
    def option(self) -> str:
        """The command line's option: ``--client-id``, ``--process-at-once``."""
        return "--" + "-".join(re.findall(r"[a-z0-9]+", self.name.lower()))

    @property
    def api_shown(self) -> str:
        return self.api or "(not sent)"


def _strip(text: str) -> str:
    return text.strip()


FIELDS: tuple[OrderField, ...] = (
    OrderField(
        "Provider",
        "provider",
        "serviceProvider",
        "serviceProvider",
        "provider",
        "Google Workspace or Microsoft 365 mailboxes (the API's serviceProvider).",
        "provider",
    ),
    OrderField(
        "Google OAuth route",
        "google.oauth_route",
        "google.googleOauthRoute",
        "google.googleOauthRoute",
        "text",
        "Your Google OAuth app's route, https://…",
        "Google OAuth route",
    ),
    OrderField(
        "Client ID",
        "google.client_id",
        "google.clientId",
        "google.clientId",
        "text",
        "The Google OAuth client ID, as your platform gives it: up to 30 digits, "
        "or 123456789012-abc123.apps.googleusercontent.com.",
        "Google client ID",
    ),
    OrderField(
        "App name",
        "google.app_name",
        "google.appName",
        "google.appName",
        "text",
        "The Google OAuth app's name.",
        "Google app name",
    ),
    OrderField(
        "Microsoft OAuth route",
        "microsoft_oauth_route",
        "microsoftOauthRoute",
        "microsoftOauthRoute",
        "text",
        "Your Microsoft OAuth route, https://…",
        "Microsoft OAuth route",
    ),
    OrderField("Name", "name", "", "name", "text", "For you; not sent.", "order name"),
    OrderField(
        "User ID",
        "user_id",
        "userId",
        "userId",
        "text",
        "The CMR user the order is for (sent as userId).",
        "user ID",
        _strip,
    ),
    OrderField(
        "Process at once",
        "confirm",
        "confirm",
        "confirm",
        "switch",
        "Process the order when it is created, charging the wallet (sent as confirm).",
        "process at once",
    ),
    OrderField(
        "Renew automatically",
        "auto_renew",
        "autoRenew",
        "autoRenew",
        "switch",
        "Renew each month when the term ends (sent as autoRenew).",
        "renew automatically",
    ),
)
BY_ATTRIBUTE = {f.attribute: f for f in FIELDS}
GOOGLE_ATTRIBUTES = ("google.oauth_route", "google.client_id", "google.app_name")


def _folded(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def field_named(name: str) -> OrderField:
    """The field called ``name`` (its window name, API name or attribute, in any case,
    with or without spaces); ValueError (a sentence) for any other name."""
    wanted = _folded(name)
    for field in FIELDS:
        if wanted and wanted in {_folded(field.name), _folded(field.api), _folded(field.attribute)}:
            return field
    if wanted == "ordername":
        return BY_ATTRIBUTE["name"]
    names = ", ".join(f.name for f in FIELDS)
    raise ValueError(f"There is no field {name!r}: the fields are {names}.")


def get_value(order: Order, field: OrderField) -> Any:
    target: Any = order
    for part in field.attribute.split("."):
        target = getattr(target, part)
    return target


def put_value(order: Order, attribute: str, value: Any) -> None:
    """Set the field at ``attribute`` to ``value`` (a provider may be given by its API value)."""
    *path, last = attribute.split(".")
    target: Any = order
    for part in path:
        target = getattr(target, part)
    if last == "provider":
        value = Provider(value)
    setattr(target, last, value)


def shown_value(order: Order, field: OrderField) -> str:
    """The field's value in the window's words: ``Google Workspace``, ``on``, the text."""
    value = get_value(order, field)
    if field.kind == "provider":
        return PROVIDER_NAMES[value]
    if field.kind == "switch":
        return "on" if value else "off"
    return str(value)


def parse_value(field: OrderField, text: str) -> Any:
    """What ``text`` sets ``field`` to; ValueError with the sentence the Problems pane would
    show for it (or, for a provider or a switch, what it may be)."""
    if field.kind == "provider":
        provider = _PROVIDER_WORDS.get(_folded(text))
        if provider is None:
            raise ValueError(f"Provider must be Google Workspace or Microsoft 365, not {text!r}.")
        return provider
    if field.kind == "switch":
        on = parse_bool(text) if text.strip() else None
        if on is None:
            raise ValueError(f"{field.name} must be on or off (yes or no), not {text!r}.")
        return on
    value = field.clean(text)
    problem = value_problem(field, value)
    if problem is not None:
        raise ValueError(problem)
    return value


def value_problem(field: OrderField, value: str) -> str | None:
    """The error the order's rules give ``value`` in ``field`` on its own, or None.

    The rules are asked about an order holding just this value (under the
    provider whose field it is), so a value is judged by the very words the
    Problems pane uses, and a field the other fields make incomplete (one
    Google field of three) is not a bad value.
    """
    from desktop_app.order.validation import Severity, Table, validate

    trial = Order()
    if field.attribute == "microsoft_oauth_route":
        trial.provider = Provider.MICROSOFT
    put_value(trial, field.attribute, value)
    for problem in validate(trial):
        if (
            problem.severity is Severity.ERROR
            and problem.table is Table.SETTINGS
            and problem.column == field.column
        ):
            return problem.message
    return None
