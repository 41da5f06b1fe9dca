"""What the command line's sending commands share: messages, answers, settings, where to send.

The API key never reaches stdout, stderr or any file: messages name where the
key comes from, never what it is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from desktop_app import APP_ID

if TYPE_CHECKING:
    from desktop_app.services.environments import Environment
    from desktop_app.services.send_flow import Destination
    from desktop_app.services.settings import Settings

EXIT_CREATED = 0
EXIT_NOT_CREATED = 1
EXIT_UNREADABLE = 2
EXIT_UNKNOWN = 3


class Refused(Exception):
    """A command cannot go on; the message is one sentence for stderr (exit 1)."""


def say(message: str) -> None:
    """A line on stderr.  A closed stderr (``2>&1 | head``) must not change what a send does."""
    write(f"{APP_ID}: {message}", to_stderr=True)


def say_plain(text: str) -> None:
    """Text on stderr as it is (a problem list, the review), closed or not."""
    write(text, to_stderr=True)


def out(line: str) -> None:
    """A line on stdout (``orderId: …``) that a closed pipe cannot turn into another outcome."""
    write(line, to_stderr=False)


def write(text: str, to_stderr: bool) -> None:
    """Print ``text``; once a stream is closed, the rest goes to the null device.

    A reader that went away (``| head``, a closed terminal) must not end a
    send half-way or change its exit code, not even at exit, where Python
    flushes its streams once more.
    """
    import os

    stream = sys.stderr if to_stderr else sys.stdout
    try:
        print(text, file=stream, flush=True)
    except (OSError, ValueError):
        quiet = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit
        if to_stderr:
            sys.stderr = quiet
        else:
            sys.stdout = quiet


def ask(question: str) -> bool:
    try:
        print(question, end="", flush=True)
        answer = sys.stdin.readline()
    except (OSError, ValueError):  # no stdin at all
        answer = ""
    if not answer:
        print()
    return answer.strip().lower() in ("y", "yes")


def environment_argument(text: str) -> Environment:
    from desktop_app.services.environments import parse

    try:
        return parse(text)
    except ValueError as exc:  # argparse shows only this kind's message
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_environment_option(
    parser: argparse.ArgumentParser, what: str, default: str = "production"
) -> None:
    parser.add_argument(
        "--env",
        type=environment_argument,
        metavar="ENV",
        help=f"practice, sandbox or production: {what} (default: {default})",
    )


# --- the settings the window shares -----------------------------------------------------


_SETTINGS: dict[str, Settings] = {}  # one store per home: a command says each problem once


def settings() -> Settings:
    """The app's settings, as the window reads them; a value read as its default is said."""
    from desktop_app.services.paths import app_home
    from desktop_app.services.settings import Settings

    home = app_home()
    if str(home) not in _SETTINGS:
        _SETTINGS[str(home)] = Settings(home, report=say)
    return _SETTINGS[str(home)]


def configured_base_url() -> str:
    """The API address the settings give for production, else CMR's production one."""
    from desktop_app.services.settings import production_base_url

    return production_base_url(settings())


def mailboxes_per_request(text: str) -> int:
    """``--max-mailboxes``, by the rule of the setting it stands in for."""
    from desktop_app.services.settings import MAILBOXES_PER_REQUEST

    try:
        return MAILBOXES_PER_REQUEST.parse(text)
    except ValueError as exc:  # argparse shows only this kind's message
        raise argparse.ArgumentTypeError(f"{text!r} {exc}") from None


def configured_mailboxes_per_request() -> int:
    from desktop_app.services.settings import MAILBOXES_PER_REQUEST

    return settings().get(MAILBOXES_PER_REQUEST)


# --- where to send, and with which key -----------------------------------------------------


@contextmanager
def destination(environment: Environment | None, base_url: str | None) -> Iterator[Destination]:
    """Where ``--env`` and ``--base-url`` say to send, for the length of a command.

    Practice without an address runs the practice server in this process
    while the command runs.  Raises :class:`Refused` when the CMR sandbox's
    address was never set.
    """
    from desktop_app.api.endpoints import url_problem
    from desktop_app.services.environments import Environment
    from desktop_app.services.send_flow import Destination
    from desktop_app.services.settings import SANDBOX_BASE_URL

    environment = environment or Environment.PRODUCTION
    if environment is Environment.PRACTICE and not base_url:
        from desktop_app.practice.server import PracticeServer

        with PracticeServer(daemon=True) as server:
            yield Destination(server.base_url, environment)
        return
    if not base_url and environment is Environment.SANDBOX:
        base_url = settings().get(SANDBOX_BASE_URL).strip()
        if not base_url:
            raise Refused(
                "The CMR sandbox's address is not set: enter it once in the window's "
                "Settings (CMR sandbox address), or give --base-url."
            )
    address = (base_url or configured_base_url()).strip().rstrip("/")
    problem = url_problem(address)
    if problem:
        raise Refused(problem)
    yield Destination(address, environment)


def key_for(where: Destination) -> str:
    """The API key for ``where``; raises :class:`Refused` when none can be had."""
    from desktop_app.services.environments import Environment, key_store_for
    from desktop_app.services.keystore import KeyringUnavailable

    if where.practice:
        from desktop_app.practice.server import PRACTICE_KEY

        return PRACTICE_KEY
    store = key_store_for(where.environment)
    try:
        key = store.get()
    except KeyringUnavailable as exc:  # locked, or silent: not the same as no key
        raise Refused(f"{exc} Or set {store.env_var}.") from None
    if not key:
        production = where.environment is Environment.PRODUCTION
        env = "" if production else f" --env {where.environment.value}"
        raise Refused(f"No API key is set: run `{APP_ID} key set{env}`, or set {store.env_var}.")
    return key
