"""Orders and pictures shared by the sending tests (plain helpers, no fixtures)."""

from __future__ import annotations

import http.server
import io
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring.backend
from PIL import Image

from desktop_app.order.avatars import Avatar, avatar_from_bytes
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.services.keystore import ENCRYPTING_BACKENDS, KeyStore, backend_name

SECRET_KEY = "sk-live-7Qw9Zp2Lx5Vb8Nc3Mk6Jh1Fd4Gs0Ty"  # a key that must never leak


def picture(color: tuple[int, int, int] = (200, 30, 30), side: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (side, side), color).save(out, "PNG")
    return out.getvalue()


def noise_avatar(seed: int = 1) -> Avatar:
    """A normalised avatar of about 480 kB: random pixels do not compress."""
    rng = random.Random(seed)
    pixels = bytes(rng.getrandbits(8) for _ in range(640 * 640 * 3))
    out = io.BytesIO()
    Image.frombytes("RGB", (640, 640), pixels).save(out, "JPEG", quality=95)
    return avatar_from_bytes(out.getvalue(), "noise.jpg")


def small_order(mailboxes: int = 2, *, confirm: bool = False, user_id: str = "42") -> Order:
    """A valid order: one domain, ``mailboxes`` mailboxes, each with a small picture."""
    order = Order(
        domains=[DomainEntry("example.com", 1), DomainEntry("second-example.net", 2)],
        confirm=confirm,
        user_id=user_id,
    )
    for index in range(mailboxes):
        avatar = avatar_from_bytes(picture((index * 40 % 256, 90, 160)), f"m{index}.png")
        order.mailboxes.append(
            Mailbox("example.com", f"user{index}", f"First{index}", f"Last{index}", avatar)
        )
    return order


def big_order(min_bytes: int) -> Order:
    """A valid order whose request body is larger than ``min_bytes``."""
    avatar = noise_avatar()
    count = min_bytes // avatar.size + 1
    order = Order(domains=[DomainEntry("big-example.com", 1)], user_id="7")
    order.mailboxes = [
        Mailbox("big-example.com", f"box{i}", "Big", f"Box{i}", avatar) for i in range(count)
    ]
    return order


def largest_send_buffer() -> int:
    """The most bytes the kernel may buffer for a sending TCP socket."""
    path = Path("/proc/sys/net/ipv4/tcp_wmem")
    return int(path.read_text().split()[-1]) if path.exists() else 8 * 1024 * 1024


def files_containing(root: Path, needle: str) -> list[Path]:
    """Every file under ``root`` whose bytes contain ``needle``."""
    data = needle.encode()
    return [p for p in root.rglob("*") if p.is_file() and data in p.read_bytes()]


def free_port() -> int:
    """A port with nothing listening on it (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps secrets in this process, standing in for the OS's."""

    # Below the fail backend's 0: keyring's own detection never picks a test class.
    priority = -1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        del self.entries[(service, username)]


# The key store refuses keyrings not known to encrypt; tests vouch for this one.
MEMORY_KEYRING = f"{__name__}.MemoryKeyring"
WITH_MEMORY_KEYRING = ENCRYPTING_BACKENDS | {MEMORY_KEYRING}


def memory_key_store(
    backend: MemoryKeyring | None = None, environ: dict[str, str] | None = None
) -> KeyStore:
    """A key store on an in-process keyring: no test touches the machine's own."""
    backend = MemoryKeyring() if backend is None else backend
    assert backend_name(backend) == MEMORY_KEYRING
    return KeyStore(
        backend, environ={} if environ is None else environ, allowed_backends=WITH_MEMORY_KEYRING
    )


@contextmanager
def serve_on_loopback(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run ``handler`` on a real HTTP server on 127.0.0.1; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
