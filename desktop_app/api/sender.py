"""Sending one create-order request, and saying exactly what became of it.

Every send ends in one of three outcomes, chosen so the operator always knows
whether an order exists:

- CREATED: a 2xx answer carrying ``data.orderId``.
- NOT_CREATED: the server refused it (4xx), or it never got the whole request
  (could not connect, a refused certificate or proxy, the server stopped
  reading the upload, cancelled during the upload).  Only two cases are
  retried here: a connection that failed before any byte of the body went
  out (with backoff), and 429 (after Retry-After).
- UNKNOWN: the whole request went out but no usable answer came back
  (no whole answer by the deadline, dropped connection, any 5xx, a 2xx
  without an order ID, cancelled while waiting).  The server may have created
  the order, so this is *never* retried: the operator checks the CMR dashboard.

The sender is synchronous and Qt-free: the window runs it on a worker thread,
the command line on a plain thread.  httpx is imported when the first sender
is built, not at start-up.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop_app.api.api_key import key_problem
from desktop_app.api.cancel import CancelToken
from desktop_app.api.endpoints import (
    Resolver,
    checked_loopback_addresses,
    is_loopback_host,
    system_resolver,
    url_problem,
)
from desktop_app.api.exchange import (
    MAX_TIMEOUT,
    MIN_TIMEOUT,
    AnswerDeadline,
    Cancelled,
    Progress,
    Stage,
    Timeouts,
    Unreadable,
    Upload,
    parse_timeout_seconds,
    read_answer,
)
from desktop_app.api.outcome import (
    UNKNOWN_ADVICE,
    Outcome,
    SendResult,
    cancelled_before_upload,
    classify_answer,
    redact,
    unknown,
)
from desktop_app.api.ratelimit import SHARED_LIMITER, RateLimiter

if TYPE_CHECKING:
    import httpx

    from desktop_app.api.network import AbortableBackend
    from desktop_app.api.payload import OrderRequest

CONNECT_RETRY_DELAYS = (1.0, 2.0, 4.0)  # then "could not connect"
RATE_LIMIT_RETRIES = 3
CHUNK_SIZE = 64 * 1024
# The outcome types live in desktop_app.api.outcome, the timeouts and progress in
# desktop_app.api.exchange; they are re-exported here.
__all__ = [
    "MAX_TIMEOUT",
    "MIN_TIMEOUT",
    "UNKNOWN_ADVICE",
    "OrderSender",
    "Outcome",
    "Progress",
    "SendResult",
    "Stage",
    "Timeouts",
    "is_loopback_host",
    "parse_timeout_seconds",
    "redact",
    "url_problem",
]


def _fits_a_header(key: str) -> bool:
    """True when ``key`` is plain printable ASCII without spaces, as a header value must be."""
    return key_problem(key) is None


class OrderSender:
    """Sends create-order requests one at a time, for one API key.

    ``limiter`` keeps every sender in the process under the API's 5 requests
    a second.  ``connect_retry_delays`` are the waits before each retry of a
    connection that failed before any byte of the order was out (default
    :data:`CONNECT_RETRY_DELAYS`); ``rate_limit_retries`` bounds retries after
    429.  ``resolve`` looks up the addresses of a plain-http host (the
    system's resolver by default), ``tls`` is the TLS context (the system's
    store, see :mod:`desktop_app.api.tls`).
    """

    def __init__(
        self,
        api_key: str,
        *,
        timeouts: Timeouts | None = None,
        limiter: RateLimiter | None = None,
        connect_retry_delays: tuple[float, ...] | None = None,
        rate_limit_retries: int = RATE_LIMIT_RETRIES,
        proxy_for: Callable[[str], str | None] | None = None,
        resolve: Resolver | None = None,
        tls: ssl.SSLContext | None = None,
        key_header: str = "",
    ) -> None:
        import httpx

        from desktop_app.api import network
        from desktop_app.api.payload import API_KEY_HEADER

        if not api_key.strip():
            raise ValueError("No API key is set.")
        self._key = api_key.strip()
        # The CMR sandbox takes its key in a header of its own (environments.py).
        self._key_header = key_header or API_KEY_HEADER
        self.timeouts = timeouts or Timeouts()
        self._limiter = limiter or SHARED_LIMITER
        self._connect_retry_delays = (
            CONNECT_RETRY_DELAYS if connect_retry_delays is None else connect_retry_delays
        )
        self._rate_limit_retries = rate_limit_retries
        self._http_timeout = httpx.Timeout(
            connect=self.timeouts.connect,
            write=self.timeouts.upload,
            # Each read; the whole answer is bounded by the deadline (AnswerDeadline).
            read=self.timeouts.answer,
            pool=self.timeouts.connect,
        )
        # The environment's proxy settings, as httpx itself would honour them.
        self._proxy_for = proxy_for or network.proxy_for
        self._resolve = resolve or system_resolver
        self._tls = tls
        self._clients: dict[str | None, tuple[httpx.Client, AbortableBackend]] = {}
        self._lock = threading.Lock()

    def _client_for(self, proxy: str | None) -> tuple[httpx.Client, AbortableBackend]:
        """The client (direct, or through ``proxy``) and its network backend."""
        from desktop_app.api.network import abortable_client

        if proxy not in self._clients:
            self._clients[proxy] = abortable_client(self._http_timeout, proxy, self._tls)
        return self._clients[proxy]

    def close(self) -> None:
        for client, _backend in self._clients.values():
            client.close()

    def __enter__(self) -> OrderSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(
        self,
        request: OrderRequest,
        cancel: CancelToken | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> SendResult:
        """Send ``request`` and return what became of it.  Never raises for network trouble."""
        cancel = cancel or CancelToken()
        report = on_progress or (lambda progress: None)
        problem = url_problem(request.base_url)
        if problem:
            return SendResult(Outcome.NOT_CREATED, problem + " Nothing was sent.")
        if not _fits_a_header(self._key):
            # httpx would raise deep inside the request (a pasted curly quote, a
            # zero-width space): say so before anything is sent.
            return SendResult(
                Outcome.NOT_CREATED,
                "The API key holds characters an API key cannot have (spaces, accents, "
                "curly quotes or invisible characters); nothing was sent. Paste the key again.",
                key_problem=True,
            )
        # Only one send at a time per sender: Cancel aborts "the" connection.
        with self._lock:
            return self._send_with_retries(request, cancel, report)

    # --- the retry loop -----------------------------------------------------------

    def _send_with_retries(
        self, request: OrderRequest, cancel: CancelToken, report: Callable[[Progress], None]
    ) -> SendResult:
        connect_failures = 0
        rate_limited = 0
        attempts = 0
        while True:
            if not self._limiter.wait(cancel):
                return cancelled_before_upload(attempts)
            attempts += 1
            report(Progress(Stage.CONNECTING, 0, 0))
            result, retry_after = self._attempt(request, cancel, report, attempts)
            if result is not None:
                return result
            if retry_after is None:  # the connection failed before any byte of the body
                if connect_failures >= len(self._connect_retry_delays):
                    from desktop_app.api.failures import could_not_connect

                    host = urlsplit(request.url).netloc
                    return could_not_connect(host, self._proxy_for(request.url), attempts)
                delay = self._connect_retry_delays[connect_failures]
                connect_failures += 1
                detail = f"could not connect, trying again in {delay:g} s"
            else:  # 429
                if rate_limited >= self._rate_limit_retries:
                    return SendResult(
                        Outcome.NOT_CREATED,
                        "The API's rate limit refused the order "
                        f"{rate_limited + 1} times; nothing was created. Try again in a minute.",
                        http_status=429,
                        attempts=attempts,
                    )
                rate_limited += 1
                delay = retry_after
                detail = f"rate limited, trying again in {delay:g} s"
            report(Progress(Stage.RETRYING, 0, 0, detail))
            if cancel.wait(delay):
                return cancelled_before_upload(attempts)

    def _plain_http_addresses(self, request: OrderRequest) -> tuple[list[str], str | None]:
        """For plain http: the checked loopback addresses to connect to, or why not."""
        parts = urlsplit(request.url)
        if parts.scheme.lower() != "http":
            return [], None
        return checked_loopback_addresses(parts.hostname or "", parts.port or 80, self._resolve)

    def _attempt(
        self,
        request: OrderRequest,
        cancel: CancelToken,
        report: Callable[[Progress], None],
        attempts: int,
    ) -> tuple[SendResult | None, float | None]:
        """One HTTP exchange: a final result, or (None, None) to retry a failed
        connection, or (None, seconds) to retry after a 429."""
        import httpx

        from desktop_app.api.multipart import MultipartBody

        # Resolved again for every attempt, and connected to exactly what was checked.
        addresses, problem = self._plain_http_addresses(request)
        if problem:
            return SendResult(Outcome.NOT_CREATED, problem, attempts=attempts), None
        proxy = self._proxy_for(request.url)
        try:
            client, backend = self._client_for(proxy)
        except (ssl.SSLError, OSError, ValueError) as exc:  # SSL_CERT_FILE is not certificates
            from desktop_app.api.failures import unusable_certificates

            return self._nothing_sent(unusable_certificates(exc), attempts), None
        backend.wrote = False
        host = urlsplit(request.url).hostname or ""
        if addresses:
            backend.pin(host, addresses)
        deadline = AnswerDeadline(self.timeouts.answer, backend.abort, backend.limit_reads)
        body = MultipartBody(request.fields, request.files)
        upload = Upload(
            body.iter_chunks(CHUNK_SIZE), body.content_length, cancel, report, deadline.start
        )
        headers = {
            **request.headers,
            self._key_header: self._key,
            "Content-Type": body.content_type,
            "Content-Length": str(body.content_length),
        }
        unhook = cancel.on_cancel(backend.abort)
        try:
            with client.stream(
                "POST", request.url, content=iter(upload), headers=headers
            ) as response:
                status = response.status_code
                answer, read_problem = read_answer(response)
        except Cancelled:
            return cancelled_before_upload(attempts), None
        except Unreadable as exc:
            return SendResult(
                Outcome.NOT_CREATED,
                f"Part of the order could not be read ({exc}); it was not sent and "
                "nothing was created.",
                attempts=attempts,
            ), None
        except httpx.HTTPError as exc:
            if not upload.complete:
                if cancel.cancelled:
                    return cancelled_before_upload(attempts), None
                return self._failed_before_the_whole_body(
                    exc, request, proxy, backend, upload, attempts
                ), None
            return self._unknown_after_failure(exc, cancel, deadline, attempts), None
        except Exception as exc:  # refused before a byte was written: an address too long ...
            if backend.wrote or upload.started:
                raise
            from desktop_app.api.failures import refused_before_sending

            return self._nothing_sent(refused_before_sending(exc), attempts), None
        finally:
            deadline.stop()
            unhook()
            if addresses:
                backend.unpin(host)
        if read_problem is not None and cancel.cancelled and 200 <= status < 300:
            return unknown(
                f"Cancelled while reading the answer (HTTP {status}).", status, attempts, True
            ), None
        if read_problem is not None and deadline.passed and not 400 <= status < 500:
            # A refusal's status is enough to know nothing was created; anything else is not.
            return unknown(self._no_answer_in_time(), status, attempts), None
        return classify_answer(
            status, response.headers.get("Retry-After"), answer, read_problem, attempts, self._scrub
        )

    def _failed_before_the_whole_body(
        self,
        exc: Exception,
        request: OrderRequest,
        proxy: str | None,
        backend: AbortableBackend,
        upload: Upload,
        attempts: int,
    ) -> SendResult | None:
        """A final result for a failure before the body was complete, or None to retry."""
        from desktop_app.api.failures import Attempted, final_failure

        proxy_host = urlsplit(proxy).hostname if proxy else None
        where = Attempted(
            host=urlsplit(request.url).netloc,
            proxy=proxy,
            proxy_unreachable=proxy_host is not None and backend.failed_host == proxy_host,
            body_started=upload.started,
            sent=upload.sent,
            total=upload.total,
            attempts=attempts,
        )
        return final_failure(exc, where)

    @staticmethod
    def _nothing_sent(reason: str, attempts: int) -> SendResult:
        return SendResult(
            Outcome.NOT_CREATED, f"{reason}; nothing was sent or created.", attempts=attempts
        )

    def _no_answer_in_time(self) -> str:
        return f"No answer came within {self.timeouts.answer:g} s after the order was sent."

    def _unknown_after_failure(
        self, exc: Exception, cancel: CancelToken, deadline: AnswerDeadline, attempts: int
    ) -> SendResult:
        import httpx

        if cancel.cancelled:
            return unknown(
                "Cancelled after the order was sent, before the answer came.",
                None,
                attempts,
                cancelled=True,
            )
        if deadline.passed or isinstance(exc, httpx.TimeoutException):
            reason = self._no_answer_in_time()
        else:
            reason = "The connection dropped after the order was sent, before the answer came."
        return unknown(reason, None, attempts)

    # --- reading the answer ---------------------------------------------------------

    def _scrub(self, text: str) -> str:
        """A server that echoes the request must not put the key on screen or in history,
        in any escaping."""
        from desktop_app.api.redaction import redact_answer

        return redact_answer(text, self._key)
