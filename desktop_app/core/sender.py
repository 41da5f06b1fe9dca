"""Sending one create-order request, and saying exactly what became of it.

Every send ends in one of three outcomes, chosen so the operator always knows
whether an order exists:

- CREATED: a 2xx answer carrying ``data.orderId``.
- NOT_CREATED: the server refused it (4xx), or it never got the whole request
  (could not connect, the connection failed during the upload, cancelled
  during the upload).  Safe cases are retried here: a connection that failed
  before the whole body was sent (with backoff), and 429 (after Retry-After).
- UNKNOWN: the whole request went out but no usable answer came back
  (timeout, dropped connection, any 5xx, a 2xx without an order ID, cancelled
  while waiting).  The server may have created the order, so this is *never*
  retried: the operator checks the CMR dashboard first.

The sender is synchronous and Qt-free: the window runs it on a worker thread,
the command line on a plain thread.  httpx is imported when the first sender
is built, not at start-up.
"""

from __future__ import annotations

import enum
import ipaddress
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop_app.core.keystore import key_problem
from desktop_app.core.outcome import (
    UNKNOWN_ADVICE,
    Outcome,
    SendResult,
    cancelled_before_upload,
    classify_answer,
    unknown,
)
from desktop_app.core.ratelimit import SHARED_LIMITER, CancelToken, RateLimiter

if TYPE_CHECKING:
    import httpx

    from desktop_app.core.payload import OrderRequest

CONNECT_RETRY_DELAYS = (1.0, 2.0, 4.0)  # then "could not connect"
RATE_LIMIT_RETRIES = 3
MAX_ANSWER_BYTES = 1_000_000  # an answer is a small JSON envelope; never hold more
CHUNK_SIZE = 64 * 1024
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
# The outcome types live in desktop_app.core.outcome; they are re-exported here.
__all__ = [
    "UNKNOWN_ADVICE",
    "OrderSender",
    "Outcome",
    "Progress",
    "SendResult",
    "Stage",
    "Timeouts",
    "is_loopback_host",
    "url_problem",
]
# Where the window keeps the API address in the app's settings.ini (group/key);
# the command line reads the same setting.
BASE_URL_SETTING = "sending/base_url"


class Stage(str, enum.Enum):
    CONNECTING = "connecting"
    UPLOADING = "uploading"
    WAITING = "waiting for the answer"
    RETRYING = "retrying"


@dataclass(frozen=True)
class Progress:
    """Where a send is: bytes of the body handed to the network, out of ``total``."""

    stage: Stage
    sent: int
    total: int
    detail: str = ""


@dataclass(frozen=True)
class Timeouts:
    """Seconds the sender waits at each step; ``answer`` is the wait once the order is sent."""

    connect: float = 10.0
    upload: float = 60.0  # one write stalling this long means the server stopped reading
    answer: float = 120.0  # creating an order with many mailboxes can take a while


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the names that always mean this computer."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _fits_a_header(key: str) -> bool:
    """True when ``key`` is plain printable ASCII without spaces, as a header value must be."""
    return key_problem(key) is None


def url_problem(url: str) -> str | None:
    """Why the API key must not be sent to ``url``, or None when it may.

    The key goes only over https, except to this computer (the practice server).
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return f"{url} is not a valid address."
    if parts.scheme not in ("http", "https") or not host:
        return f"{url} is not an http(s) address."
    if parts.scheme == "http" and not is_loopback_host(host):
        return (
            f"{url} is plain http: the API key is sent only over https "
            "(or to this computer, for the practice server)."
        )
    return None


class _Cancelled(Exception):
    """Raised from inside the body stream to stop an upload the operator cancelled."""


class _Unreadable(Exception):
    """A file part (an avatar in the draft) could not be read while uploading."""


@dataclass
class _Upload:
    """The request body as a stream that reports progress and honours Cancel."""

    chunks: Iterator[bytes]
    total: int
    cancel: CancelToken
    report: Callable[[Progress], None]
    sent: int = 0
    complete: bool = field(default=False)

    def __iter__(self) -> Iterator[bytes]:
        self.report(Progress(Stage.UPLOADING, 0, self.total))
        while True:
            try:
                chunk = next(self.chunks)
            except StopIteration:
                break
            except Exception as exc:  # the draft file vanished, an avatar went bad ...
                raise _Unreadable(str(exc) or type(exc).__name__) from exc
            # Cancel stops only a chunk not yet handed over: once the last one
            # is out, the server may act on the order, so it is not "nothing created".
            if self.cancel.cancelled:
                raise _Cancelled
            yield chunk
            # Resumed: httpcore has handed the chunk to the socket.
            self.sent += len(chunk)
            self.report(Progress(Stage.UPLOADING, self.sent, self.total))
        # Every byte is out: from here on the server may act on the order.
        self.complete = True
        self.report(Progress(Stage.WAITING, self.sent, self.total))


class OrderSender:
    """Sends create-order requests one at a time, for one API key.

    ``limiter`` keeps every sender in the process under the API's 5 requests
    a second.  ``connect_retry_delays`` are the waits before each retry of a
    connection that failed before the order was out (default
    :data:`CONNECT_RETRY_DELAYS`); ``rate_limit_retries`` bounds retries after 429.
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
    ) -> None:
        import httpx

        from desktop_app.core import network

        if not api_key.strip():
            raise ValueError("No API key is set.")
        self._key = api_key.strip()
        self.timeouts = timeouts or Timeouts()
        self._limiter = limiter or SHARED_LIMITER
        self._connect_retry_delays = (
            CONNECT_RETRY_DELAYS if connect_retry_delays is None else connect_retry_delays
        )
        self._rate_limit_retries = rate_limit_retries
        self._http_timeout = httpx.Timeout(
            connect=self.timeouts.connect,
            write=self.timeouts.upload,
            read=self.timeouts.answer,
            pool=self.timeouts.connect,
        )
        # The environment's proxy settings, as httpx itself would honour them.
        self._proxy_for = proxy_for or network.proxy_for
        self._clients: dict[str | None, tuple[httpx.Client, Callable[[], None]]] = {}
        self._lock = threading.Lock()

    def _client_for(self, url: str) -> tuple[httpx.Client, Callable[[], None]]:
        """The client (direct, or through the proxy for ``url``) and its abort function."""
        from desktop_app.core.network import abortable_client

        proxy = self._proxy_for(url)
        if proxy not in self._clients:
            self._clients[proxy] = abortable_client(self._http_timeout, proxy)
        return self._clients[proxy]

    def close(self) -> None:
        for client, _abort in self._clients.values():
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
        problem = url_problem(request.url)
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
            if retry_after is None:  # the connection failed before the body was out
                if connect_failures >= len(self._connect_retry_delays):
                    return self._could_not_connect(request, attempts)
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

    def _could_not_connect(self, request: OrderRequest, attempts: int) -> SendResult:
        host = urlsplit(request.url).netloc
        return SendResult(
            Outcome.NOT_CREATED,
            f"Could not connect to {host} after {attempts} tries; "
            "the order was not sent and nothing was created.",
            attempts=attempts,
        )

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

        from desktop_app.core.multipart import MultipartBody
        from desktop_app.core.payload import API_KEY_HEADER

        body = MultipartBody(request.fields, request.files)
        upload = _Upload(body.iter_chunks(CHUNK_SIZE), body.content_length, cancel, report)
        headers = {
            **request.headers,
            API_KEY_HEADER: self._key,
            "Content-Type": body.content_type,
            "Content-Length": str(body.content_length),
        }
        client, abort = self._client_for(request.url)
        unhook = cancel.on_cancel(abort)
        try:
            with client.stream(
                "POST", request.url, content=iter(upload), headers=headers
            ) as response:
                status = response.status_code
                answer, read_problem = _read_answer(response)
        except _Cancelled:
            return cancelled_before_upload(attempts), None
        except _Unreadable as exc:
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
                return None, None
            return self._unknown_after_failure(exc, cancel, attempts), None
        finally:
            unhook()
        if read_problem is not None and cancel.cancelled and 200 <= status < 300:
            return unknown(
                f"Cancelled while reading the answer (HTTP {status}).", status, attempts, True
            ), None
        return classify_answer(
            status, response.headers.get("Retry-After"), answer, read_problem, attempts, self._scrub
        )

    def _unknown_after_failure(
        self, exc: Exception, cancel: CancelToken, attempts: int
    ) -> SendResult:
        import httpx

        if cancel.cancelled:
            return unknown(
                "Cancelled after the order was sent, before the answer came.",
                None,
                attempts,
                cancelled=True,
            )
        if isinstance(exc, httpx.TimeoutException):
            reason = f"No answer came within {self.timeouts.answer:g} s after the order was sent."
        else:
            reason = "The connection dropped after the order was sent, before the answer came."
        return unknown(reason, None, attempts)

    # --- reading the answer ---------------------------------------------------------

    def _scrub(self, text: str) -> str:
        """A server that echoes the request must not put the key on screen or in history."""
        return text.replace(self._key, "<api-key>") if self._key else text


def _read_answer(response: httpx.Response) -> tuple[bytes, str | None]:
    """The answer's body (at most :data:`MAX_ANSWER_BYTES`) and why it is incomplete."""
    import httpx

    data = bytearray()
    try:
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > MAX_ANSWER_BYTES:
                return bytes(data[:MAX_ANSWER_BYTES]), "the answer was too large"
    except httpx.HTTPError:
        return bytes(data), "the connection dropped while the answer was read"
    return bytes(data), None
