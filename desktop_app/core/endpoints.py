"""Which API a base URL names, however it is spelled.

The never-twice guard compares earlier attempts with a new one "at the same
endpoint": ``HTTPS://Example.com:443/`` and ``https://example.com`` are one
endpoint, and so is every spelling of this computer (``localhost``,
``127.0.0.1``, ``::1``) on one port.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def endpoint_identity(base_url: str) -> str:
    """One text for every spelling of ``base_url``'s scheme, host, port and path."""
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    host = _host_identity(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    port_text = "" if port is None or port == DEFAULT_PORTS.get(scheme) else f":{port}"
    path = parts.path.rstrip("/")
    return f"{scheme}://{host}{port_text}{path}"


def _host_identity(host: str) -> str:
    host = host.strip("[]").rstrip(".").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "loopback" if address.is_loopback else address.compressed
    try:
        import idna

        return idna.encode(host, uts46=True).decode("ascii")
    except (UnicodeError, ValueError):
        return host
