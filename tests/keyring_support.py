"""Real Secret Services for the keyring tests: each on a private D-Bus session bus.

``private_bus`` starts a real ``dbus-daemon``; on it, ``gnome_keyring`` runs a
real gnome-keyring (unlocked with a password of its own, in its own folders)
and ``silent_secret_service`` a service that owns the Secret Service's name,
takes every call and never answers, as a hung keyring daemon does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SECRETS_NAME = "org.freedesktop.secrets"

_SILENT_SERVICE = f"""
import sys
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

bus = open_dbus_connection(bus=sys.argv[1])
daemon = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                     interface="org.freedesktop.DBus")
bus.send_and_get_reply(new_method_call(daemon, "RequestName", "su", ("{SECRETS_NAME}", 4)))
print("ready", flush=True)
while True:
    bus.receive()  # every call is taken and none is ever answered
"""


def _stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def private_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real session bus of this test's own; ``DBUS_SESSION_BUS_ADDRESS`` points at it."""
    if not shutil.which("dbus-daemon"):
        pytest.skip("dbus-daemon is not installed (apt-get install dbus)")
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address, "dbus-daemon printed no address"
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address
    finally:
        _stop(daemon)


@contextmanager
def silent_secret_service(address: str) -> Iterator[None]:
    """Own the Secret Service's name on ``address``, take every call, never answer."""
    service = subprocess.Popen(
        [sys.executable, "-c", _SILENT_SERVICE, address], stdout=subprocess.PIPE, text=True
    )
    try:
        assert service.stdout is not None
        assert service.stdout.readline().strip() == "ready"
        yield
    finally:
        _stop(service)


@contextmanager
def gnome_keyring(address: str, folder: Path) -> Iterator[None]:
    """A real gnome-keyring on ``address``, its login keyring unlocked, kept under ``folder``."""
    if not shutil.which("gnome-keyring-daemon"):
        pytest.skip("gnome-keyring is not installed (apt-get install gnome-keyring)")
    data, runtime = folder / "data", folder / "runtime"
    data.mkdir(parents=True)
    runtime.mkdir(mode=0o700)
    env = {
        "DBUS_SESSION_BUS_ADDRESS": address,
        "XDG_DATA_HOME": str(data),
        "XDG_RUNTIME_DIR": str(runtime),  # its control socket: never another daemon's
        "PATH": "/usr/bin:/bin",
    }
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert daemon.stdin is not None
        daemon.stdin.write(b"order-desk-test-password")
        daemon.stdin.close()
        _wait_for_name(address, SECRETS_NAME)
        yield
    finally:
        _stop(daemon)


def _wait_for_name(address: str, name: str) -> None:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    daemon = DBusAddress(
        "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
    )
    with open_dbus_connection(bus=address) as bus:
        # Owning a name is a signal on the bus: wait for it, not for a clock.
        match = new_method_call(
            daemon,
            "AddMatch",
            "s",
            (f"type='signal',member='NameOwnerChanged',arg0='{name}'",),
        )
        bus.send_and_get_reply(match, timeout=10)
        owned = bus.send_and_get_reply(new_method_call(daemon, "NameHasOwner", "s", (name,)))
        if owned.body[0]:
            return
        while True:
            message = bus.receive(timeout=10)
            if message.header.fields.get(3) == "NameOwnerChanged" and message.body[0] == name:
                return


def lock_default_collection() -> None:
    """Lock the Secret Service's default collection, as a screen lock or a timeout does."""
    from contextlib import closing

    import secretstorage

    with closing(secretstorage.dbus_init()) as bus:
        collection = secretstorage.Collection(bus)
        collection.lock()
        assert collection.is_locked()
