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

    ``scrub`` removes the API key (see :func:`desktop_app.api.redaction.redact_answer`).
    It runs on the raw answer before anything is parsed or cut, and again on what is kept.
    """
    answer = _scrubbed_bytes(answer, scrub)
    envelope = _json_object(answer)
    # Cut only once the key is out: a cut through an echoed key would show part of it.
    server_message = one_line(scrub(server_reason(envelope, answer)))
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


def _scrubbed_bytes(answer: bytes, scrub: Callable[[str], str]) -> bytes:
    # Undecodable bytes ride through as surrogates: the answer is kept byte for byte
    # unless the key had to be taken out of it.
    text = scrub(answer.decode("utf-8", "surrogateescape"))
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate a decoding of the answer made
        return text.encode("utf-8", "backslashreplace")


def _json_object(answer: bytes) -> dict[str, Any] | None:
    import json

    try:
        value = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nested past Python's stack
        return None
    return value if isinstance(value, dict) else None


def server_reason(envelope: dict[str, Any] | None, answer: bytes) -> str:
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
