"""API addresses: which may receive the key, and when two spellings are one endpoint.

The key travels only over https, except to this computer (the practice
server).  "This computer" is decided on numbers: a numeric loopback address,
or a name whose every resolved address is loopback, and the sender then
connects to the very address that was checked, so DNS cannot change its
answer in between.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
MAX_ADDRESS_LENGTH = 2000
LOOPBACK_IDENTITY = "loopback"
DEFAULT_PORTS = {"http": 80, "https": 443}

# (host, port) -> the addresses it resolves to; socket.getaddrinfo by default.
Resolver = Callable[[str, int], list[str]]


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the names that normally mean this computer."""
    host = host.strip("[]").lower().rstrip(".")
    if host in LOOPBACK_NAMES:
        return True
    return is_loopback_address(host)


def is_loopback_address(host: str) -> bool:
    """True only for a numeric loopback address (no name is trusted here)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the API's base address, or None when the key may go there.

    The key goes only over https, except to this computer (the practice
    server).  A query, a fragment or a user name in the address would be
    dropped or sent somewhere unexpected, so they are refused; a path is kept.
    """
    text = url.strip()
    if len(text) > MAX_ADDRESS_LENGTH:
        return f"The API address is longer than {MAX_ADDRESS_LENGTH:,} characters."
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        return "The API address holds a space or an invisible character: type it again."
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        _ = parts.port  # raises for a port that is not a number
    except ValueError:
        return f"{text} is not a valid address."
    if parts.scheme.lower() not in DEFAULT_PORTS or not host:
        return f"{text} is not an http(s) address."
    if "@" in parts.netloc:
        return f"{text} holds a user name or password: give the API address without them."
    if "?" in text or "#" in text:
        return f"{text} holds a query or a fragment (? or #): give the API address without it."
    segments = unquote(parts.path).split("/")[1:]
    if any(segment in (".", "..") for segment in segments) or "" in segments[:-1]:
        # A server (and httpx) reads "/a/../b", "/./b" and "//b" as other paths than they
        # look: the same endpoint would pass for a new one.
        return f"{text} holds '.', '..' or an empty part in its path: give the plain path."
    if parts.scheme.lower() == "http" and not is_loopback_host(host):
        return (
            f"{text} is plain http: the API key is sent only over https "
            "(or to this computer, for the practice server)."
        )
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the order a connection would try them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def checked_loopback_addresses(
    host: str, port: int, resolve: Resolver = system_resolver
) -> tuple[list[str], str | None]:
    """The loopback addresses to connect to for plain http to ``host``, or why not.

    A name counts as this computer only when every address it resolves to is
    loopback: ``localhost.localdomain`` pointed elsewhere by DNS does not.
    """
    bare = host.strip("[]")
    if is_loopback_address(bare):
        return [bare], None
    try:
        addresses = resolve(bare, port)
    except OSError:
        return [], f"{host} could not be found; nothing was sent."
    if not addresses:
        return [], f"{host} could not be found; nothing was sent."
    elsewhere = [a for a in addresses if not is_loopback_address(a)]
    if elsewhere:
        return [], (
            f"{host} resolves to {elsewhere[0]}, which is not this computer: over plain http "
            "the API key is sent only to this computer, so nothing was sent."
        )
    return addresses, None


def endpoint_identity(base_url: str) -> str:
    """One spelling for every way of writing the same API address.

    Scheme and host lowercased, the host in IDNA form without a trailing dot,
    the default port dropped, every loopback spelling the same (``loopback``),
    the path kept without a trailing slash.
    """
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    host = LOOPBACK_IDENTITY if is_loopback_host(host) else _ascii_host(host)
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    # Percent-encoding decoded: "/cmr/é" and "/cmr/%C3%A9" are one path to a server.
    return f"{scheme}://{host}{unquote(parts.path).rstrip('/')}"


def _ascii_host(host: str) -> str:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"[{address.compressed}]" if address.version == 6 else address.compressed
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host.lower()
