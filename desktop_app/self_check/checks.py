"""``order-desk --self-test``: prove that this installation works, frozen or from source.

Each check exercises a part of the app the way the app uses it and prints one
line, ``ok   <check>: <what was seen>`` or ``FAIL <check>: <why>``; the exit
status is 0 only when every check passed.  It is what CI runs against the
bundle, and what support asks an operator to run.

The self-test never touches the operator's data: it runs with a temporary
app home (settings, autosaves and history go there and are deleted after),
and it only *reads* which keyring backend is active, never stores a secret.

On a Linux machine without a display the window is drawn offscreen.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from desktop_app import APP_ID, __version__
from desktop_app.self_check.failure import CheckFailed
from desktop_app.services.paths import HOME_ENV, installed_resources, resources_dir, sample_draft

BUNDLED_RESOURCES = ("icon.png", "icon.ico", "icon.icns", "sample.cmrorder", "order-desk.desktop")
# The keyring backend each platform's operators rely on; its entry point must be found.
NATIVE_KEYRING = {"linux": "SecretService", "darwin": "macOS", "win32": "Windows"}
SEND_TIMEOUT = 15.0  # seconds; the practice server is on this computer


@dataclass
class Context:
    """What one check hands to the next (the loaded draft, a normalised picture...)."""

    work: Path
    order: Any = None
    jpeg_avatar: bytes = b""
    order_id: str = ""
    notes: dict[str, str] = field(default_factory=dict)


def check_resources(ctx: Context) -> str:
    folder = resources_dir()
    missing = [name for name in BUNDLED_RESOURCES if not (folder / name).is_file()]
    if missing:
        raise CheckFailed(f"{', '.join(missing)} not found in {folder}")
    if getattr(sys, "frozen", False):
        where = "inside the bundle"
    elif installed_resources() is not None:
        where = "installed with the package"
    else:
        where = "in the source tree"
    return f"{len(BUNDLED_RESOURCES)} files found {where}"


def check_draft(ctx: Context) -> str:
    from desktop_app.draft import draft_file
    from desktop_app.order.validation import has_errors, validate

    ctx.order = draft_file.load(sample_draft())
    problems = validate(ctx.order)
    if has_errors(problems):
        raise CheckFailed(f"the sample draft has errors: {problems[0]}")
    return (
        f"sample.cmrorder loaded and valid ({len(ctx.order.domains)} domains, "
        f"{len(ctx.order.mailboxes)} mailboxes, {ctx.order.avatar_count()} avatars)"
    )


def check_pictures(ctx: Context) -> str:
    from desktop_app.self_check.pictures import check_normalise

    summary, ctx.jpeg_avatar = check_normalise()
    return summary


def check_picture_workers(ctx: Context) -> str:
    from desktop_app.self_check.pictures import check_pool

    return check_pool(ctx.work)


def check_window(ctx: Context) -> str:
    from desktop_app.self_check.pictures import check_screenshot, check_thumbnail
    from desktop_app.ui.window.app import run_window

    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no display: draw without one
    shot = ctx.work / "window.png"
    status = run_window(sample_draft(), screenshot=shot)
    if status != 0:
        raise CheckFailed(f"the window exited with status {status}")
    size = check_screenshot(shot)
    formats = check_thumbnail(ctx.jpeg_avatar)

    from PySide6.QtGui import QGuiApplication

    platform = QGuiApplication.platformName() or os.environ.get("QT_QPA_PLATFORM", "?")
    return f"opened the sample draft on the {platform} platform ({size} screenshot); {formats}"


def check_send(ctx: Context) -> str:
    from desktop_app.api.cancel import CancelToken
    from desktop_app.api.exchange import Timeouts
    from desktop_app.api.outcome import Outcome
    from desktop_app.services import practice_env, send_flow
    from desktop_app.services.destinations import practice_key
    from desktop_app.services.history import History

    if ctx.order is None:
        raise CheckFailed("there is no draft to send (see the draft check)")
    history = History()
    server = practice_env.start_server()
    try:
        destination = send_flow.Destination(server.base_url, send_flow.PRACTICE)
        planned = send_flow.plan("sample", ctx.order, str(sample_draft()), destination, history)
        if not planned.sendable or planned.repeats:
            raise CheckFailed(f"the sample cannot be sent: {planned.blocked or 'it repeats'}")
        timeouts = Timeouts(connect=SEND_TIMEOUT, upload=SEND_TIMEOUT, answer=SEND_TIMEOUT)
        job = send_flow.Job(planned, send_flow.Choice.SEND)
        [outcome] = send_flow.send_with_key([job], practice_key(), history, CancelToken(), timeouts)
        again = send_flow.plan("sample", ctx.order, "", destination, history)
        created = server.created_order_ids
        address = "{}:{}".format(*server.address)
    finally:
        server.stop()
    result = outcome.result
    if result.outcome is not Outcome.CREATED:
        raise CheckFailed(f"the practice server did not create the order: {result.message}")
    if created != [result.order_id]:
        raise CheckFailed(f"the server created {created}, the sender reported {result.order_id!r}")
    if not again.repeats or again.remaining:
        raise CheckFailed("a second send of the same order was not recognised as a repeat")
    ctx.order_id = result.order_id
    return (
        f"the practice server on {address} created order {result.order_id} over loopback; "
        "sending it again is held back"
    )


def check_history(ctx: Context) -> str:
    from desktop_app.services.history import History

    if not ctx.order_id:
        raise CheckFailed("nothing was sent (see the send check)")
    recorded = [attempt for attempt in History().attempts() if attempt.order_id == ctx.order_id]
    if len(recorded) != 1:
        raise CheckFailed(f"order {ctx.order_id} is in the history {len(recorded)} times, not once")
    return f"the attempt is recorded with its order ID ({recorded[0].outcome})"


def check_keyring(ctx: Context) -> str:
    """Which keyring backends exist and which one is active.

    It fails only when this installation is broken: keyring cannot be
    imported, its backends' entry points are missing (as when a frozen app
    lacks keyring's metadata), or a backend module cannot be loaded.  No
    *usable* keyring (a headless box) is a fact about the computer, not the
    installation, so it is reported and passes: the app then offers a
    key for the session only.
    """
    return keyring_report()


def keyring_report() -> str:
    """The keyring line of the self-test, which ``tests/bootstrap/test_bundle.py`` compares
    between the frozen app and the source."""
    from importlib import metadata

    import keyring
    import keyring.backend

    from desktop_app.services.keystore import KeyStore

    found, broken = [], []
    for entry in metadata.entry_points(group="keyring.backends"):
        try:
            entry.load()
        except Exception as exc:
            broken.append(f"{entry.name} ({type(exc).__name__})")
        else:
            found.append(entry.name)
    if broken:
        raise CheckFailed(f"keyring backends that cannot be loaded: {', '.join(broken)}")
    native = NATIVE_KEYRING.get(sys.platform)
    if native and native not in found:
        raise CheckFailed(
            f"keyring does not know its {native} backend (entry points found: {found or 'none'})"
        )
    viable = sorted(_backend_name(b) for b in keyring.backend.get_all_keyring())
    active = _backend_name(keyring.get_keyring())
    problem = KeyStore().keyring_problem()
    usable = (
        "usable" if problem is None else "not usable here, so a key is kept for the session only"
    )
    return (
        f"active {active} ({usable}); viable: {', '.join(viable)}; "
        f"entry points: {', '.join(sorted(found))}"
    )


def _backend_name(backend: object) -> str:
    module = type(backend).__module__.removeprefix("keyring.backends.")
    return f"{module}.{type(backend).__name__}"


def check_tls(ctx: Context) -> str:
    import ssl

    from desktop_app.api.tls import certifi_context, tls_context

    context = tls_context()  # what the sender's connection pool uses
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        raise CheckFailed("the TLS context does not verify certificates")
    try:
        from truststore import SSLContext as SystemStoreContext
    except ImportError:
        raise CheckFailed(
            "the system's certificate store is not used (truststore is missing)"
        ) from None
    if not isinstance(context, SystemStoreContext):
        raise CheckFailed("the sender's TLS context does not use the system's certificate store")
    # certifi's bundle is the fallback: it must be there and hold authorities.
    authorities = certifi_context().cert_store_stats().get("x509_ca", 0)
    if not authorities:
        raise CheckFailed("certifi's bundle holds no certificate authorities")
    return (
        f"{ssl.OPENSSL_VERSION}, the system's certificate store, "
        f"{authorities} fallback certificate authorities"
    )


CHECKS: list[tuple[str, Callable[[Context], str]]] = [
    ("resources", check_resources),
    ("draft", check_draft),
    ("pictures", check_pictures),
    ("picture workers", check_picture_workers),
    ("window", check_window),
    ("send", check_send),
    ("history", check_history),
    ("keyring", check_keyring),
    ("tls", check_tls),
]


@contextlib.contextmanager
def _private_home() -> Iterator[Path]:
    """A throwaway app home for the duration of the self-test."""
    previous = os.environ.get(HOME_ENV)
    with tempfile.TemporaryDirectory(prefix=f"{APP_ID}-self-test-") as folder:
        home = Path(folder, "home")
        home.mkdir()
        os.environ[HOME_ENV] = str(home)
        try:
            yield Path(folder)
        finally:
            if previous is None:
                os.environ.pop(HOME_ENV, None)
            else:
                os.environ[HOME_ENV] = previous


def run_self_test(out: TextIO | None = None) -> int:
    """Run every check, print one line each, return 0 when all passed, else 1."""
    out = out or sys.stdout
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"{APP_ID} {__version__} self-test ({frozen}, Python {sys.version.split()[0]})", file=out)
    failures = 0
    with _private_home() as work:
        ctx = Context(work=work)
        for name, check in CHECKS:
            try:
                with contextlib.redirect_stdout(io.StringIO()):  # keep the report to one line each
                    detail = check(ctx)
            except CheckFailed as exc:
                failures += 1
                print(f"FAIL {name}: {exc}", file=out, flush=True)
            except Exception as exc:  # whatever broke, name it in one line and go on
                failures += 1
                print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out, flush=True)
            else:
                print(f"ok   {name}: {detail}", file=out, flush=True)
    total = len(CHECKS)
    print(
        f"all {total} checks passed" if not failures else f"{failures} of {total} checks failed",
        file=out,
    )
    return 0 if not failures else 1
