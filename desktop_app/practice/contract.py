"""The create-order contract as the practice server checks it.

Written from the API's own page, independently of the code that builds the
request, so a request the practice server accepts is one the page describes:
every text field present, the JSON shapes, ``billingCycle`` MONTHLY, and one
image part per mailbox named ``username@domain``.  Where the page's prose is
loose, its sample and the way JavaScript backends read the request decide:
``confirm``/``autoRenew`` are ``"true"`` or empty, and ``google.clientId`` is
a JSON string.
"""

from __future__ import annotations

import json
from typing import Any

from desktop_app.api.multipart import ReceivedFile

TEXT_FIELDS = (
    "domains",
    "mailboxes",
    "billingCycle",
    "serviceProvider",
    "google",
    "microsoftOauthRoute",
    "confirm",
    "autoRenew",
)
GOOGLE_KEYS = {"googleOauthRoute", "clientId", "appName"}
MAILBOX_KEYS = {"username", "firstName", "lastName"}
DOMAIN_KEYS = {"domain", "years", "forwardTo", "maskForwarding"}
# Multipart values are text; "false" would read as true in JavaScript, so off is "".
FLAG_VALUES = {"true", ""}


def contract_problems(fields: dict[str, str], files: dict[str, ReceivedFile]) -> list[str]:
    """Every way the request breaks the contract, one sentence each (empty when it is fine)."""
    problems = [f"Missing field {name}." for name in TEXT_FIELDS if name not in fields]
    problems += [f"Unexpected text field {name}." for name in fields if name not in TEXT_FIELDS]
    if "domains" in fields:
        problems += _domains_problems(fields["domains"])
    mailbox_keys: set[str] = set()
    if "mailboxes" in fields:
        more, mailbox_keys = _mailboxes_problems(fields["mailboxes"])
        problems += more
    if "billingCycle" in fields and fields["billingCycle"] != "MONTHLY":
        problems.append(f"billingCycle must be MONTHLY, not {fields['billingCycle']!r}.")
    if "serviceProvider" in fields and fields["serviceProvider"] not in ("GOOGLE", "MICROSOFT"):
        problems.append("serviceProvider must be GOOGLE or MICROSOFT.")
    if "google" in fields:
        problems += _google_problems(fields["google"])
    for flag in ("confirm", "autoRenew"):
        if flag in fields and fields[flag] not in FLAG_VALUES:
            problems.append(
                f'{flag} must be "true" or empty, not {fields[flag]!r} '
                "(a backend reads any other text as true)."
            )
    for name, part in files.items():
        if name not in mailbox_keys:
            problems.append(f"The file {name} belongs to no mailbox in mailboxes.")
        elif not part.data:
            problems.append(f"The file {name} is empty.")
        elif not part.content_type.startswith("image/"):
            problems.append(f"The file {name} is not an image ({part.content_type or 'no type'}).")
    return problems


def _json(text: str, name: str) -> tuple[Any, str | None]:
    try:
        return json.loads(text), None
    except ValueError:
        return None, f"{name} is not valid JSON."


def _domains_problems(text: str) -> list[str]:
    value, problem = _json(text, "domains")
    if problem:
        return [problem]
    if not isinstance(value, list):
        return ["domains must be a JSON list."]
    problems = []
    for index, item in enumerate(value, start=1):
        where = f"domains item {index}"
        if not isinstance(item, dict):
            problems.append(f"{where} must be an object.")
            continue
        if not isinstance(item.get("domain"), str) or not item["domain"].strip():
            problems.append(f"{where} needs a domain.")
        years = item.get("years")
        if isinstance(years, bool) or not isinstance(years, int) or years < 1:
            problems.append(f"{where} needs years as a whole number.")
        if "forwardTo" in item and not isinstance(item["forwardTo"], str):
            problems.append(f"{where}: forwardTo must be text.")
        if "maskForwarding" in item and not isinstance(item["maskForwarding"], bool):
            problems.append(f"{where}: maskForwarding must be true or false.")
        extra = set(item) - DOMAIN_KEYS
        if extra:
            problems.append(f"{where} has unknown keys: {', '.join(sorted(extra))}.")
    return problems


def _mailboxes_problems(text: str) -> tuple[list[str], set[str]]:
    value, problem = _json(text, "mailboxes")
    if problem:
        return [problem], set()
    if not isinstance(value, dict):
        return ["mailboxes must be a JSON object keyed by domain."], set()
    problems: list[str] = []
    keys: set[str] = set()
    for domain, boxes in value.items():
        if not isinstance(boxes, list):
            problems.append(f"mailboxes of {domain} must be a list.")
            continue
        for index, box in enumerate(boxes, start=1):
            where = f"mailbox {index} of {domain}"
            if not isinstance(box, dict) or set(box) != MAILBOX_KEYS:
                problems.append(f"{where} must have exactly username, firstName and lastName.")
                continue
            if not all(isinstance(box[k], str) and box[k].strip() for k in MAILBOX_KEYS):
                problems.append(f"{where} has a blank or non-text value.")
                continue
            keys.add(f"{box['username']}@{domain}")
    return problems, keys


def _google_problems(text: str) -> list[str]:
    value, problem = _json(text, "google")
    if problem:
        return [problem]
    if not isinstance(value, dict) or set(value) != GOOGLE_KEYS:
        return ["google must be an object with googleOauthRoute, clientId and appName."]
    # A string: JSON.parse would round a long numeric id to a double.
    if not isinstance(value["clientId"], str):
        return ["google.clientId must be a JSON string (empty when there is none)."]
    return []
