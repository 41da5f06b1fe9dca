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


def classify_answer(
    status: int,
    retry_after: str | None,
    answer: bytes,
    read_problem: str | None,
    attempts: int,
    scrub: Callable[[str], str] = lambda text: text,
) -> tuple[SendResult | None, float | None]:
    """What an HTTP answer means: a final result, or (None, seconds) to retry after a 429.

    ``scrub`` removes the API key from anything the server said.
    """
    envelope = _json_object(answer)
    server_message = scrub(_server_message(envelope, answer))
    if 200 <= status < 300:
        data = envelope.get("data") if envelope else None
        order_id = data.get("orderId") if isinstance(data, dict) else None
        if isinstance(order_id, str) and order_id.strip():
            unavailable = data.get("unavailableDomains") if isinstance(data, dict) else None
            domains = tuple(str(d) for d in unavailable) if isinstance(unavailable, list) else ()
            message = f"Order created: {order_id.strip()}."
            if domains:
                message += " Unavailable domains: " + ", ".join(domains) + "."
            return SendResult(
                Outcome.CREATED,
                message,
                order_id=order_id.strip(),
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
