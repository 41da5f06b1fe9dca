"""What became of a send, and what an HTTP answer from the API means.

Three outcomes, chosen so the operator always knows whether an order exists:
CREATED (a 2xx answer with ``data.orderId``), NOT_CREATED (refused, or the
request never fully reached the server) and UNKNOWN (the whole request went
out, no usable answer came back: the server may have created the order).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UNKNOWN_ADVICE = (
    "We don't know whether the order was created. Check the CMR dashboard before sending again."
)
MAX_RETRY_AFTER = 60.0


class Outcome(str, enum.Enum):
    """What became of a send; the values are what history and the CSV show."""

    CREATED = "created"
    NOT_CREATED = "not created"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SendResult:
    """The end of one send.  ``message`` is what to tell the operator, in sentences."""

    outcome: Outcome
    message: str
    order_id: str = ""
    unavailable_domains: tuple[str, ...] = ()
    http_status: int | None = None
    server_message: str = ""
    key_problem: bool = False  # 401: the API key was refused
    cancelled: bool = False
    attempts: int = 1


REDACTED = "<api-key>"
MIN_SECRET_PART = 8  # a run of the key this long is still worth redacting
MAX_ORDER_ID = 64
PROXY_PASSWORD_HINT = "HTTPS_PROXY=http://user:pass@host:port"


def redact(text: str, key: str) -> str:
    """``text`` without the API key, or any run of 8 or more of its characters.

    Done before anything is cut or stored: a server echoing the key, cut at
    500 characters, must not leave the key's first characters behind.
    """
    if not key:
        return text
    text = text.replace(key, REDACTED)
    if len(key) < MIN_SECRET_PART:
        return text
    import re

    grams = {key[i : i + MIN_SECRET_PART] for i in range(len(key) - MIN_SECRET_PART + 1)}
    pattern = re.compile("|".join(re.escape(g) for g in sorted(grams)))
    out: list[str] = []
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        start = match.start()
        end = match.end()
        # Grow the run while it is still part of the key.
        while end < len(text) and text[start : end + 1] in key:
            end += 1
        out.append(text[pos:start])
        out.append(REDACTED)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def safe_order_id(raw: str) -> tuple[str, bool]:
    """The order ID as it may be shown and stored, and whether it was already safe.

    A usual ID is printable ASCII of at most 64 characters.  Anything else is
    escaped (so a CR/LF can never forge a line in History or the command
    line's output) and cut to a readable length.
    """
    if raw.isascii() and raw.isprintable() and 0 < len(raw) <= MAX_ORDER_ID:
        return raw, True
    escaped = raw.encode("unicode_escape").decode("ascii")
    if len(escaped) > 4 * MAX_ORDER_ID:
        escaped = escaped[: 4 * MAX_ORDER_ID] + "..."
    return escaped, False


def classify_answer(
    status: int,
    retry_after: str | None,
    answer: bytes,
    read_problem: str | None,
    attempts: int,
    scrub: Callable[[str], str] = lambda text: text,
) -> tuple[SendResult | None, float | None]:
    """What an HTTP answer means: a final result, or (None, seconds) to retry after a 429.

    ``scrub`` removes the API key (see :func:`redact`).  It runs on the raw
    answer before anything is parsed or cut, and again on what is kept.
    """
    answer = scrub(answer.decode("latin-1")).encode("latin-1")
    envelope = _json_object(answer)
    server_message = scrub(_server_message(envelope, answer))
    if 200 <= status < 300:
        data = envelope.get("data") if envelope else None
        raw_id = data.get("orderId") if isinstance(data, dict) else None
        if isinstance(raw_id, str) and raw_id.strip():
            order_id, usual = safe_order_id(scrub(raw_id.strip()))
            unavailable = data.get("unavailableDomains") if isinstance(data, dict) else None
            domains = (
                tuple(safe_order_id(scrub(str(d)))[0] for d in unavailable)
                if isinstance(unavailable, list)
                else ()
            )
            if usual:
                message = f"Order created: {order_id}."
            else:
                message = (
                    f"Order created, with an unusual order ID: {order_id} (shown escaped); "
                    "check it on the CMR dashboard."
                )
            if domains:
                message += " Unavailable domains: " + ", ".join(domains) + "."
            return SendResult(
                Outcome.CREATED,
                message,
                order_id=order_id,
                unavailable_domains=domains,
                http_status=status,
                server_message=server_message,
                attempts=attempts,
            ), None
        why = "with an answer that is not JSON" if envelope is None else "without an order ID"
        if read_problem:
            why = f"but {read_problem}"
        return unknown(
            f"The server answered HTTP {status} {why}.", status, attempts, server=server_message
        ), None
    if status == 429:
        wait = retry_after_seconds(retry_after)
        if wait is not None and wait <= MAX_RETRY_AFTER:
            return None, wait
        return SendResult(
            Outcome.NOT_CREATED,
            "The API's rate limit refused the order and asked to wait longer than a minute; "
            "nothing was created.",
            http_status=status,
            server_message=server_message,
            attempts=attempts,
        ), None
    if status == 401:
        return SendResult(
            Outcome.NOT_CREATED,
            f"The API key was refused (HTTP 401: {server_message or 'unauthorised'}). "
            "Nothing was created; check the API key.",
            http_status=status,
            server_message=server_message,
            key_problem=True,
            attempts=attempts,
        ), None
    if status == 407:
        # Only a proxy answers 407: it kept the order and passed nothing on.
        return SendResult(
            Outcome.NOT_CREATED,
            "The proxy asks for a user name and password; give them as "
            f"{PROXY_PASSWORD_HINT}. Nothing was created.",
            http_status=status,
            server_message=server_message,
            attempts=attempts,
        ), None
    if 400 <= status < 500:
        return SendResult(
            Outcome.NOT_CREATED,
            f"The API refused the order (HTTP {status}): "
            f"{server_message or 'no reason given'}. Nothing was created.",
            http_status=status,
            server_message=server_message,
            attempts=attempts,
        ), None
    if status >= 500:
        reason = f"The server failed (HTTP {status}) after receiving the order."
    else:
        reason = f"The server answered HTTP {status}, which is not an answer to an order."
    return unknown(reason, status, attempts, server=server_message), None


def _json_object(answer: bytes) -> dict[str, Any] | None:
    import json

    try:
        value = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _server_message(envelope: dict[str, Any] | None, answer: bytes) -> str:
    if envelope is not None:
        for key in ("message", "error"):
            value = envelope.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()[:500]
            if isinstance(value, list) and value:
                return "; ".join(str(v) for v in value)[:500]
        return ""
    text = answer.decode("utf-8", "replace").strip()
    return " ".join(text.split())[:200]


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date); 1 s when absent."""
    if value is None or not value.strip():
        return 1.0
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    from datetime import datetime, timezone
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return 1.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def cancelled_before_upload(attempts: int) -> SendResult:
    return SendResult(
        Outcome.NOT_CREATED,
        "Cancelled before the order was fully sent; nothing was created.",
        cancelled=True,
        attempts=attempts,
    )


def unknown(
    reason: str,
    status: int | None,
    attempts: int,
    cancelled: bool = False,
    server: str = "",
) -> SendResult:
    return SendResult(
        Outcome.UNKNOWN,
        f"{reason} {UNKNOWN_ADVICE}",
        http_status=status,
        server_message=server,
        cancelled=cancelled,
        attempts=attempts,
    )
