"""What a failed connection means, in words, and whether trying again can help.

Only a failure before any byte of the order went out may be retried, and
only when it can pass by itself (nothing listening yet, a network blip).  A
refused certificate, a proxy that wants a password or refuses, and a proxy
that cannot be reached fail the same way every time: retrying only delays the
real message (and a proxy password retried can lock a directory account).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop_app.api.outcome import PROXY_PASSWORD_HINT, Outcome, SendResult
from desktop_app.api.tls import certificate_error, certificate_reason

NOTHING_SENT = "the order was not sent and nothing was created."


@dataclass(frozen=True)
class Attempted:
    """Where one failed attempt was going, and how far its body got."""

    host: str  # the API host as the operator wrote it (host[:port])
    proxy: str | None  # the proxy URL in use, if any
    proxy_unreachable: bool  # the TCP connection to the proxy itself failed
    body_started: bool  # a chunk of the body was handed to the network
    sent: int
    total: int
    attempts: int


def proxy_label(proxy: str) -> str:
    """host:port of a proxy URL, never its user name or password."""
    parts = urlsplit(proxy)
    host = parts.hostname or proxy
    return f"{host}:{parts.port}" if parts.port else host


def final_failure(exc: BaseException, where: Attempted) -> SendResult | None:
    """The result for a connection that failed before the whole body was out.

    None means the failure may pass by itself and nothing of the body went
    out: the caller may try again.
    """
    import httpx

    cert = certificate_error(exc)
    if cert is not None:
        host = urlsplit(f"//{where.host}").hostname or where.host
        return _not_created(
            f"The connection to {host} is not safe: {certificate_reason(cert)}; {NOTHING_SENT}",
            where,
        )
    if where.proxy is not None:
        label = proxy_label(where.proxy)
        status = _proxy_status(exc) if isinstance(exc, httpx.ProxyError) else None
        if status == 407:
            return _not_created(
                f"The proxy {label} asks for a user name and password; give them as "
                f"{PROXY_PASSWORD_HINT}. The order was not sent and nothing was created.",
                where,
            )
        if status == 403:
            return _not_created(
                f"The proxy {label} refused the connection to {where.host} (HTTP 403); "
                f"{NOTHING_SENT}",
                where,
            )
        if where.proxy_unreachable:
            return _not_created(
                f"Could not connect to the proxy {label} (not the API); check HTTPS_PROXY or "
                f"the system's proxy setting. {NOTHING_SENT.capitalize()}",
                where,
            )
    if where.body_started:
        return _not_created(
            f"{where.host} stopped reading the upload part-way ({where.sent:,} of "
            f"{where.total:,} bytes), so it never had the whole order and nothing was "
            "created. It was not sent again by itself: send it again once the connection "
            "is steady.",
            where,
        )
    return None


def could_not_connect(host: str, proxy: str | None, attempts: int) -> SendResult:
    """The result once the retries of a failing connection are used up."""
    through = f", through the proxy {proxy_label(proxy)}" if proxy else ""
    return SendResult(
        Outcome.NOT_CREATED,
        f"Could not connect to {host} (the API host{through}) after {attempts} tries; "
        f"{NOTHING_SENT}",
        attempts=attempts,
    )


def _proxy_status(exc: BaseException) -> int | None:
    # httpcore says "407 Proxy Authentication Required" for a refused CONNECT.
    match = re.match(r"\s*(\d{3})\b", str(exc))
    return int(match.group(1)) if match else None


def _not_created(message: str, where: Attempted) -> SendResult:
    return SendResult(Outcome.NOT_CREATED, message, attempts=where.attempts)


def unusable_certificates(exc: BaseException) -> str:
    """Why no TLS connection can even be prepared: the certificates named are not usable."""
    from desktop_app.api.outcome import one_line

    detail = one_line(str(exc) or type(exc).__name__, 160)
    return (
        f"The certificates this computer is told to trust cannot be used ({detail}); "
        "check SSL_CERT_FILE and SSL_CERT_DIR"
    )


def refused_before_sending(exc: BaseException) -> str:
    """Why the HTTP library refused to make the request at all (an address too long ...)."""
    from desktop_app.api.outcome import one_line

    detail = one_line(str(exc), 160)
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return f"The request could not be made ({what})"
