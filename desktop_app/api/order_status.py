"""Asking the API what became of an order: ``GET …/orders/status``.

The answer's shape is not documented, so nothing here relies on it: the
top-level ``message`` is shown, ``data`` is kept as it came (and drawn as a
tree of labelled values), and the raw answer is one click (or ``--json``)
away.  Like sending, the key goes only where :func:`url_problem` allows, the
request waits its turn under the API's 5 requests a second, and no failure
is ever a traceback.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode, urlsplit

from desktop_app.api.endpoints import checked_loopback_addresses, system_resolver, url_problem
from desktop_app.api.outcome import one_line, safe_order_id, server_reason
from desktop_app.api.payload import STATUS_PATH
from desktop_app.api.redaction import redact_answer

if TYPE_CHECKING:
    from desktop_app.api.cancel import CancelToken
    from desktop_app.api.ratelimit import RateLimiter

MAX_STATUS_BYTES = 2_000_000
STATUS_TIMEOUT = 30.0


class Destination(Protocol):
    """Where to ask: an API's base URL and the header its key travels in.

    :class:`desktop_app.services.send_flow.Destination` is one; the API layer
    needs no more of it than this.
    """

    @property
    def base_url(self) -> str: ...

    @property
    def key_header(self) -> str: ...


@dataclass(frozen=True)
class StatusAnswer:
    """What the API said about one order.  ``message`` is one sentence for the operator."""

    ok: bool  # the API answered 2xx
    message: str
    http_status: int | None = None
    data: Any = None
    raw: str = ""  # the answer's body as text, the key taken out
    key_problem: bool = False
    rate_limited: bool = False

    @property
    def headline(self) -> str:
        """A short word for History: the order's ``status`` when the answer has one."""
        if self.ok and isinstance(self.data, dict):
            for name in ("status", "orderStatus", "state"):
                value = self.data.get(name)
                if isinstance(value, str) and value.strip():
                    return one_line(value, 60)
        return one_line(self.message, 120)


def status_url(base_url: str, user_id: str, order_id: str) -> str:
    query = urlencode({"userId": user_id.strip(), "orderId": order_id.strip()})
    return f"{base_url.rstrip('/')}{STATUS_PATH}?{query}"


def fetch_status(
    destination: Destination,
    key: str,
    order_id: str,
    user_id: str,
    *,
    timeout: float = STATUS_TIMEOUT,
    limiter: RateLimiter | None = None,
    cancel: CancelToken | None = None,
    proxy_for: Callable[[str], str | None] | None = None,
) -> StatusAnswer:
    """Ask for the status of ``order_id``; never raises for network or server trouble."""
    import httpx

    from desktop_app.api import network
    from desktop_app.api.cancel import CancelToken
    from desktop_app.api.exchange import AnswerDeadline
    from desktop_app.api.failures import refused_before_sending, unusable_certificates
    from desktop_app.api.payload import default_headers
    from desktop_app.api.ratelimit import SHARED_LIMITER
    from desktop_app.api.tls import certificate_error, certificate_reason

    url = status_url(destination.base_url, user_id, order_id)
    problem = url_problem(destination.base_url)
    if problem:
        return StatusAnswer(False, problem)
    parts = urlsplit(url)
    host = parts.hostname or ""
    addresses: list[str] = []
    if parts.scheme == "http":
        addresses, problem = checked_loopback_addresses(host, parts.port or 80, system_resolver)
        if problem:
            return StatusAnswer(False, problem)
    cancel = cancel or CancelToken()
    if not (limiter or SHARED_LIMITER).wait(cancel):
        return StatusAnswer(False, "Cancelled before the question was asked.")
    proxy = (proxy_for or network.proxy_for)(url)
    try:
        client, backend = network.abortable_client(httpx.Timeout(timeout), proxy)
    except (ssl.SSLError, OSError, ValueError) as exc:  # SSL_CERT_FILE is not certificates
        return StatusAnswer(
            False, f"The status was not fetched: {_lower(unusable_certificates(exc))}."
        )
    if addresses:
        backend.pin(host, addresses)
    # One deadline for the whole answer, however slowly it dribbles in.
    deadline = AnswerDeadline(timeout, backend.abort, backend.limit_reads)
    deadline.start()
    unhook = cancel.on_cancel(backend.abort)
    headers = {**default_headers(), destination.key_header: key}
    try:
        with client, client.stream("GET", url, headers=headers) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_STATUS_BYTES:
                    break
            status = response.status_code
    except httpx.HTTPError as exc:
        cert = certificate_error(exc)
        if cert is not None:
            why = f"the connection to {host} is not safe: {certificate_reason(cert)}"
        elif cancel.cancelled:
            why = "cancelled"
        elif deadline.passed or isinstance(exc, httpx.TimeoutException):
            why = f"{host} did not answer within {timeout:g} s"
        else:
            why = f"could not reach {host}"
        return StatusAnswer(False, f"The status was not fetched: {why}.")
    except Exception as exc:  # refused before a byte was written: an address too long ...
        if backend.wrote:
            raise
        return StatusAnswer(
            False, f"The status was not fetched: {_lower(refused_before_sending(exc))}."
        )
    finally:
        deadline.stop()
        unhook()
    text = redact_answer(bytes(body).decode("utf-8", "replace"), key)
    return _classify(status, text, order_id, user_id, lambda line: redact_answer(line, key))


def _lower(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def _classify(
    status: int, text: str, order_id: str, user_id: str, scrub: Callable[[str], str]
) -> StatusAnswer:
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
        envelope = None
    envelope = envelope if isinstance(envelope, dict) else None
    # Again after decoding: an HTML page's title is read through its entities.
    reason = one_line(scrub(server_reason(envelope, text.encode("utf-8", "replace"))))
    # Typed by the operator or read from History: shown escaped, never as it is (CR, ESC …).
    shown_user = safe_order_id(user_id.strip())[0]
    for_user = f" (for user {shown_user})" if user_id.strip() else " (with no user ID)"
    if status == 404 or "not found" in reason.lower():
        shown_order = safe_order_id(order_id.strip())[0]
        return StatusAnswer(
            False, f"The API does not know order {shown_order}{for_user}.", status, raw=text
        )
    if status == 401:
        return StatusAnswer(
            False,
            f"The API key was refused (HTTP 401: {reason or 'unauthorised'}); check the API key.",
            status,
            raw=text,
            key_problem=True,
        )
    if 200 <= status < 300:
        if envelope is None:
            return StatusAnswer(
                True, f"The API answered HTTP {status}, not in JSON.", status, None, text
            )
        message = reason or f"The API answered HTTP {status}."
        return StatusAnswer(True, message, status, envelope.get("data"), text)
    return StatusAnswer(
        False,
        f"The API did not give the status (HTTP {status}): {reason or 'no reason given'}.",
        status,
        raw=text,
        rate_limited=status == 429,
    )


MAX_DEPTH = 12  # deeper than any real status answer: shown as "…"


def tree_lines(value: Any, indent: int = 0, limit: int = 400) -> list[str]:
    """``value`` as indented ``label: value`` lines; lists of objects as small tables."""
    pad = "  " * indent
    lines: list[str] = []
    if indent >= MAX_DEPTH and isinstance(value, dict | list):
        return [f"{pad}…"]
    if isinstance(value, dict):
        for name, item in value.items():
            label = one_line(str(name), 60)
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{label}:")
                lines += tree_lines(item, indent + 1, limit)
            else:
                lines.append(f"{pad}{label}: {scalar_text(item)}")
    elif isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            lines += _table(value, pad)
        else:
            lines += [f"{pad}- {scalar_text(item)}" for item in value]
    else:
        lines.append(f"{pad}{scalar_text(value)}")
    return lines[:limit] + ([f"{pad}…"] if len(lines) > limit else [])


def table_columns(rows: list[dict[str, Any]]) -> list[str]:
    """The columns of a list of objects: every key, in order of first appearance."""
    columns: list[str] = []
    for row in rows:
        for name in row:
            if name not in columns:
                columns.append(str(name))
    return columns


def _table(rows: list[dict[str, Any]], pad: str) -> list[str]:
    columns = table_columns(rows)
    cells = [[scalar_text(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    out = [f"{pad}{line.rstrip()}"]
    out += [
        pad + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    return out


def scalar_text(value: Any, limit: int = 120) -> str:
    """One value of an answer as a short line: the status tree's leaves and table cells."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        try:
            return one_line(json.dumps(value, ensure_ascii=False), limit)
        except (ValueError, RecursionError):
            return "…"
    return one_line(str(value), limit)
