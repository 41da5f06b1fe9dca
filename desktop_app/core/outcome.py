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
    # Cut only once the key is out: a cut through an echoed key would show part of it.
    server_message = one_line(scrub(_server_message(envelope, answer)))
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
    """The server's reason in one readable line ("" when it gave none).

    JSON: ``message`` (a string, or NestJS's list of strings), else ``detail``
    (FastAPI: a string or a list of ``{"loc", "msg"}``), else ``error``.  Anything
    else is a gateway's or a framework's page: HTML is reduced to its ``<title>``.
    The line is bounded but not yet cut to :data:`MAX_REASON_CHARS`: the caller
    cuts it with :func:`one_line` after taking the API key out.
    """
    if envelope is not None:
        for key in ("message", "detail", "error"):
            reason = one_line(_reason_text(envelope.get(key)), _LONGEST_UNCUT)
            if reason:
                return reason
        return ""
    text = answer[: _LONGEST_UNCUT * 4].decode("utf-8", "replace")
    if _looks_like_html(text):
        return one_line(_html_title(text), _LONGEST_UNCUT)
    return one_line(text, _LONGEST_UNCUT)


MAX_REASON_CHARS = 300  # a few lines in a message box at most; History shows one line
_LONGEST_UNCUT = 4000  # bounds the work on a huge answer; far beyond what is shown


def one_line(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """``text`` as one line: whitespace collapsed, control characters removed, and
    cut (at a word when one ends near the limit) with an ellipsis past ``limit``."""
    import unicodedata

    # Only the start can be shown: a megabyte of text is not cleaned character by
    # character, only collapsed (fast) and then read as far as can be shown.
    text = " ".join(text.split())
    longest_read = limit * 8
    cut_short = len(text) > longest_read
    kept = []
    for char in text[:longest_read]:
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
        # Cc: NUL, ESC, DEL …; Cf: invisible formatting such as bidi overrides,
        # which could make a reason read backwards on screen.
        elif category not in ("Cc", "Cf"):
            kept.append(char)
    line = " ".join("".join(kept).split())
    if not line or (len(line) <= limit and not cut_short):
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def _reason_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        items = [_reason_item(item) for item in value[:20]]
        return "; ".join(item for item in items if item)
    return ""


def _reason_item(item: object) -> str:
    if isinstance(item, str):
        return item.strip()
    if isinstance(item, dict) and isinstance(item.get("msg"), str):
        # FastAPI names the field as a path: ["body", "google", "clientId"].
        loc = item.get("loc")
        where = (
            ".".join(str(p) for p in loc if p not in ("body", "query"))
            if isinstance(loc, list)
            else ""
        )
        return f"{where}: {item['msg'].strip()}" if where else item["msg"].strip()
    return ""


def _looks_like_html(text: str) -> bool:
    import re

    head = text[:1024].lstrip().lower()
    tags = r"<(!doctype html|html|head|title|body)\b"
    return head.startswith("<") and re.search(tags, head) is not None


def _html_title(text: str) -> str:
    import html
    import re

    match = re.search(r"<title[^>]*>(.*?)</title\s*>", text, re.IGNORECASE | re.DOTALL)
    title = html.unescape(re.sub(r"<[^>]*>", " ", match.group(1))) if match else ""
    if title.strip():
        return title
    # No title: the page's words, without its markup, scripts or styles.
    body = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", text, flags=re.IGNORECASE | re.DOTALL)
    return html.unescape(re.sub(r"<[^>]*>", " ", body))


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
