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
    from pathlib import Path

    from desktop_app.order.model import Order
    from desktop_app.services.destinations import Destination
    from desktop_app.services.environments import Environment
    from desktop_app.services.settings import Settings

EXIT_CREATED = 0
EXIT_NOT_CREATED = 1
EXIT_UNREADABLE = 2
EXIT_UNKNOWN = 3
EXIT_INTERRUPTED = 130  # Ctrl+C before anything was sent, as shells count it


class CommandError(Exception):
    """A failure to report as one sentence, with the exit code it deserves."""

    def __init__(self, message: str, exit_code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def load_draft(path: Path) -> Order:
    """The draft at ``path``; :class:`CommandError` (exit 2) when it cannot be read."""
    from desktop_app.draft import draft_file

    try:
        return draft_file.load(path)
    except draft_file.DraftError as exc:
        raise CommandError(str(exc)) from None


class Refused(Exception):
    """A command cannot go on; the message is one sentence for stderr (exit 1)."""


def say(message: str) -> None:
    """A line on stderr.  A closed stderr (``2>&1 | head``) must not change what a send does."""
    write(f"{APP_ID}: {message}", to_stderr=True)


def say_plain(text: str) -> None:
    """Text on stderr as it is (a problem list, the review), closed or not."""
    write(text, to_stderr=True)


def out(line: str, end: str = "\n") -> None:
    """A line on stdout (``orderId: …``) that a closed pipe cannot turn into another outcome.

    What stdout cannot take (closed, full, missing) goes to stderr instead: an
    order ID is never lost while any stream can show it.
    """
    from desktop_app.cli.streams import stdout_failed

    if not stdout_failed():
        write(line, to_stderr=False, end=end)
        if not stdout_failed():
            return
    write(line, to_stderr=True, end=end)


def write(text: str, to_stderr: bool, end: str = "\n") -> None:
    """Print ``text``; once a stream is closed, the rest goes to the null device.

    A reader that went away (``| head``, a closed terminal) must not end a
    send half-way or change its exit code, not even at exit, where Python
    flushes its streams once more.  The streams escape what the terminal
    cannot encode (see :mod:`desktop_app.cli.streams`).
    """
    import os

    stream = sys.stderr if to_stderr else sys.stdout
    try:
        print(text, end=end, file=stream, flush=True)
    except (OSError, ValueError, AttributeError):  # AttributeError: no stream at all
        quiet = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit
        if to_stderr:
            sys.stderr = quiet
        else:
            sys.stdout = quiet


def ask(question: str) -> bool:
    """A yes/no question; no answer (no stdin, end of input) is no."""
    out(question, end="")
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError, AttributeError):  # no stdin at all
        answer = ""
    if not answer:
        out("")
    return answer.strip().lower() in ("y", "yes")


def seconds_argument(text: str) -> float:
    """``--timeout``: seconds from 1 to 3600, by the sender's one rule."""
    from desktop_app.api.exchange import parse_timeout_seconds

    try:
        return parse_timeout_seconds(text)
    except ValueError as exc:  # argparse shows only this kind's message
        raise argparse.ArgumentTypeError(str(exc)) from None


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

    Practice without an address runs a practice server (over the practice
    orders kept in the app's home) while the command runs.  Raises
    :class:`Refused` when the environment's address cannot be used.
    """
    from desktop_app.services import practice_env
    from desktop_app.services.destinations import DestinationRefused, resolve
    from desktop_app.services.environments import Environment

    environment = environment or Environment.PRODUCTION
    if environment is Environment.PRACTICE and not base_url:
        try:
            with practice_env.running() as where:
                yield where
        except OSError as exc:
            raise Refused(f"The practice server cannot start: {exc.strerror or exc}.") from None
        return
    try:
        where = resolve(environment, settings(), base_url)
    except DestinationRefused as exc:
        raise Refused(str(exc)) from None
    yield where


def key_for(where: Destination) -> str:
    """The API key for ``where``; raises :class:`Refused` when none can be had."""
    from desktop_app.services.destinations import DestinationRefused, key_store, read_key

    try:
        return read_key(where, key_store(where.environment))
    except DestinationRefused as exc:
        raise Refused(str(exc)) from None
