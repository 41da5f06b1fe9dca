"""The HTTP plumbing under the sender: a client whose blocked reads can be cut short.

httpx has no way to interrupt a request that is waiting for the server's
answer from another thread.  The operator's Cancel must not wait out a
two-minute read timeout, so the client is built on a network backend that
remembers the sockets it opened and can shut them down: a blocked ``recv``
then returns at once and the request fails, which the sender reports as
cancelled.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx


class _TrackedStream(httpcore.NetworkStream):
    """A network stream that tells its backend which socket it is using."""

    def __init__(self, inner: httpcore.NetworkStream, backend: AbortableBackend) -> None:
        self._inner = inner
        self._backend = backend
        self._socket: socket.socket | None = inner.get_extra_info("socket")
        backend._track(self._socket)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        deadline = self._backend.read_deadline
        if deadline is not None:  # one deadline for the whole answer: only the time left
            left = max(0.001, deadline - time.monotonic())  # 0 would mean "do not block"
            timeout = left if timeout is None else min(timeout, left)
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._backend.wrote = True
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._backend._forget(self._socket)
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # Wrapping a socket in TLS detaches the plain socket object: follow the new one.
        self._backend._forget(self._socket)
        return _TrackedStream(
            self._inner.start_tls(ssl_context, server_hostname, timeout), self._backend
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AbortableBackend(httpcore.SyncBackend):
    """httpcore's blocking backend, plus :meth:`abort` to cut every open socket."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._pinned: dict[str, list[str]] = {}
        # The host of the last connection that could not be opened (a proxy, or the API).
        self.failed_host: str | None = None
        # time.monotonic() by which every read must be done (the answer's deadline).
        self.read_deadline: float | None = None
        # Whether any byte went to a socket since last cleared: before that, a failure
        # of any kind left nothing at the server.
        self.wrote = False

    def limit_reads(self, deadline: float | None) -> None:
        self.read_deadline = deadline

    def pin(self, host: str, addresses: list[str]) -> None:
        """Connect to ``host`` only at ``addresses`` (already checked), never asking DNS again."""
        with self._lock:
            self._pinned[host.strip("[]").lower()] = list(addresses)

    def unpin(self, host: str) -> None:
        with self._lock:
            self._pinned.pop(host.strip("[]").lower(), None)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        with self._lock:
            addresses = self._pinned.get(host.strip("[]").lower(), [host])
        self.failed_host = None
        for index, address in enumerate(addresses):
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                if index == len(addresses) - 1:
                    self.failed_host = host
                    raise
            else:
                return _TrackedStream(stream, self)
        raise httpcore.ConnectError(f"{host} has no address to connect to")

    def abort(self) -> None:
        """Shut down every socket in use, from any thread; blocked reads return at once."""
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            # Already closed, or never connected: then nothing is waiting on it.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _track(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self._lock:
                self._sockets.add(sock)

    def _forget(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self._lock:
                self._sockets.discard(sock)


def abortable_client(
    timeout: httpx.Timeout, proxy: str | None = None, verify: ssl.SSLContext | None = None
) -> tuple[httpx.Client, AbortableBackend]:
    """An httpx client on an :class:`AbortableBackend`, and that backend (its abort and pins).

    ``verify`` is the TLS context (:func:`desktop_app.api.tls.tls_context` by default).

    ``proxy`` (an http(s) proxy URL, see :func:`proxy_for`) carries every
    request through that proxy; Cancel then cuts the socket to the proxy.
    One connection at a time: the sender sends orders one after another, so
    the socket being aborted is always the one of the order in flight.
    """
    from desktop_app.api.tls import tls_context

    backend = AbortableBackend()
    transport = httpx.HTTPTransport(
        verify=verify if verify is not None else tls_context(),
        retries=0,  # the sender decides what may be retried, never the pool
        proxy=proxy,
        # A fresh connection per order: a kept-alive one the server closed
        # while idle would take the whole body into kernel buffers and then
        # fail, which looks exactly like "sent, no answer" (unknown outcome).
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=0),
    )
    # httpx.HTTPTransport takes no network backend, but keeps its httpcore
    # pool (direct or proxy) in ``_pool``, which opens every connection through
    # ``_network_backend``: pointing that at ours is the smallest way to make
    # reads abortable.
    transport._pool._network_backend = backend
    client = httpx.Client(
        transport=transport,
        timeout=timeout,
        follow_redirects=False,  # a redirected POST could send the order twice
    )
    return client, backend


def proxy_for(url: str) -> str | None:
    """The http(s) proxy set for ``url`` (HTTPS_PROXY, NO_PROXY ..., or the system's).

    None means a direct connection: no proxy is set, NO_PROXY names the
    host, the host is this computer (the practice server), or the proxy is of
    a kind httpx cannot use without extra packages (SOCKS).
    """
    import urllib.request
    from urllib.parse import urlsplit

    from desktop_app.api.endpoints import is_loopback_host

    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or is_loopback_host(host):
        return None
    # The environment's settings, or the system's on Windows and macOS.
    proxies = urllib.request.getproxies()
    if not proxies or urllib.request.proxy_bypass(host):
        return None
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    if "://" not in proxy:
        proxy = "http://" + proxy  # "proxy.example.com:3128", as curl reads it
    return proxy if proxy.lower().startswith(("http://", "https://")) else None
