"""The operator's settings: one declared list, read and written by the window and the command line.

Every setting is declared once below (its key in ``settings.ini``, its type,
default and valid values, and what it is for), as Picard declares its options
and napari its settings model.  The file is ``settings.ini`` in the app's
home, in the INI flavour ``QSettings`` wrote before this store existed
(:mod:`desktop_app.services.settings_ini`), so an operator's settings are kept.

A value that is not valid (wrong type, out of range, garbage, not UTF-8) is
replaced by its default and said in one sentence, through ``report``; every
other value is read all the same.  A file that cannot be read at all (a
folder, no permission, not text) gives the defaults and is never written
over; a save that fails keeps the value for as long as the app runs.  Saves
are atomic and merge into what is on disk under a lock, so two windows, or a
window and a command, never undo each other's changes.

The window's geometry and splitter positions are not settings but Qt's own
binary state: ``QSettings`` keeps them in ``window-state.ini`` beside this
file (``WINDOW_STATE_FILE``), so each file has one writer.

Never holds a secret: the API keys live in the OS keyring.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from desktop_app.order.model import PRODUCTION_BASE_URL
from desktop_app.order.operator_warnings import (
    NO_LIMIT,
    USUAL_GOOGLE_MAILBOXES_PER_DOMAIN,
    USUAL_MICROSOFT_MAILBOXES_PER_DOMAIN,
    MailboxesPerDomain,
)
from desktop_app.order.request_limits import MAX_MAILBOXES_PER_REQUEST
from desktop_app.services.environments import Environment
from desktop_app.services.paths import app_home
from desktop_app.services.settings_ini import IniDocument, read_text, write_text
from desktop_app.services.settings_migrations import VERSION, migrate, stored_version

SETTINGS_FILE = "settings.ini"
WINDOW_STATE_FILE = "window-state.ini"
MOST_RECENT_FILES = 10
# Larger than any settings file this app writes by far; a bigger one is not read into memory.
MAX_FILE_BYTES = 1 << 20

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    """One setting: where it is kept, its default, and how its stored text is read."""

    key: str  # group/name in settings.ini
    default: T
    purpose: str
    # Stored text -> value; ValueError (the end of a sentence: "is not …") when not valid.
    parse: Callable[[str], T]
    # Value -> stored text.
    text: Callable[[T], str]
    accepts: str  # the valid values, for the operator ("a whole number from 1 to 992")
    # Why a value may not be saved (the window's rule for an address), or None.
    refuse: Callable[[T], str | None] | None = None


def _text(key: str, purpose: str) -> Option[str]:
    return Option(key, "", purpose, lambda text: text, str, "any text")


def _address(key: str, purpose: str) -> Option[str]:
    def refuse(text: str) -> str | None:
        from desktop_app.api.endpoints import url_problem

        return url_problem(text.strip()) if text.strip() else None

    return Option(key, "", purpose, lambda text: text, str, "an API address", refuse)


def _whole_number(
    key: str, default: int, low: int, high: int, purpose: str, accepts: str = ""
) -> Option[int]:
    accepts = accepts or f"a whole number from {low:,} to {high:,}"

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"is not {accepts}") from None
        if not low <= value <= high:
            raise ValueError(f"is not {accepts}")
        return value

    return Option(key, default, purpose, parse, str, accepts)


def _environment(key: str, purpose: str) -> Option[Environment]:
    names = ", ".join(e.value for e in Environment)

    def parse(text: str) -> Environment:
        try:
            return Environment(text.strip())
        except ValueError:
            raise ValueError(f"is not one of {names}") from None

    return Option(key, Environment.PRODUCTION, purpose, parse, lambda e: e.value, f"one of {names}")


def _choice(key: str, choices: tuple[str, ...], purpose: str) -> Option[str]:
    names = ", ".join(choices)

    def parse(text: str) -> str:
        if text.strip() not in choices:
            raise ValueError(f"is not one of {names}")
        return text.strip()

    return Option(key, choices[0], purpose, parse, str, f"one of {names}")


def _file_list(key: str, most: int, purpose: str) -> Option[tuple[str, ...]]:
    # Stored as a JSON list in one string, as the window always has.
    def parse(text: str) -> tuple[str, ...]:
        import json  # when there is a list to read: the window starts without it

        try:
            names = json.loads(text or "[]")
        except (ValueError, RecursionError):  # RecursionError: nested past Python's stack
            raise ValueError("is not a list of files") from None
        if not isinstance(names, list):
            raise ValueError("is not a list of files")
        return tuple(n for n in names if isinstance(n, str))[:most]

    def text(names: tuple[str, ...]) -> str:
        import json

        return json.dumps(list(names))

    return Option(key, (), purpose, parse, text, "a JSON list")


# An address is text when read, and checked where it is used, as one typed on the command line
# is: a wrong one refuses to send, where its default would send to CMR's production address.
BASE_URL = _address(
    "sending/base_url",
    "The API address real orders go to; empty for CMR's production address.",
)
SANDBOX_BASE_URL = _address(
    "sending/sandbox_base_url", "The address of CMR's sandbox; empty until it is entered."
)
MAILBOXES_PER_REQUEST = _whole_number(
    "sending/max_mailboxes",
    MAX_MAILBOXES_PER_REQUEST,
    1,
    MAX_MAILBOXES_PER_REQUEST,
    "At most this many mailboxes go in one request; a bigger order goes out as several.",
)


def _per_domain(key: str, default: int, provider: str) -> Option[int]:
    return _whole_number(
        key,
        default,
        NO_LIMIT,
        MAX_MAILBOXES_PER_REQUEST,
        f"Warn when a domain has more {provider} mailboxes than this; 0 never warns.",
        f"a whole number from 0 (no limit) to {MAX_MAILBOXES_PER_REQUEST:,}",
    )


GOOGLE_MAILBOXES_PER_DOMAIN = _per_domain(
    "drafting/google_mailboxes_per_domain", USUAL_GOOGLE_MAILBOXES_PER_DOMAIN, "Google Workspace"
)
MICROSOFT_MAILBOXES_PER_DOMAIN = _per_domain(
    "drafting/microsoft_mailboxes_per_domain",
    USUAL_MICROSOFT_MAILBOXES_PER_DOMAIN,
    "Microsoft 365",
)
ENVIRONMENT = _environment(
    "sending/environment", "The environment chosen last; a new window starts with it."
)
LAST_FOLDER = _text("files/last_folder", "The folder the window's file dialogs open in.")
RECENT_FILES = _file_list(
    "files/recent", MOST_RECENT_FILES, "The drafts File ▸ Open Recent offers, newest first."
)
THEMES = ("system", "light", "dark")
THEME = _choice(
    "view/theme", THEMES, "The window's colours: the system's, or a light or dark palette."
)
OPTIONS: tuple[Option[Any], ...] = (
    BASE_URL,
    SANDBOX_BASE_URL,
    MAILBOXES_PER_REQUEST,
    GOOGLE_MAILBOXES_PER_DOMAIN,
    MICROSOFT_MAILBOXES_PER_DOMAIN,
    ENVIRONMENT,
    LAST_FOLDER,
    RECENT_FILES,
    THEME,
)


def option_named(key: str) -> Option[Any]:
    """The option kept under ``key``; ValueError (a sentence) for any other name."""
    for option in OPTIONS:
        if option.key == key:
            return option
    names = ", ".join(o.key for o in OPTIONS)
    raise ValueError(f"There is no setting {key!r}: the settings are {names}.")


class Settings:
    """The settings in ``settings.ini`` of ``home`` (the app's home by default).

    ``report(sentence)`` hears of every value replaced by its default, a file
    that cannot be read, and a save that failed; until a reporter is given,
    the sentences wait in :attr:`waiting` (see :meth:`set_reporter`).
    """

    def __init__(self, home: Path | None = None, report: Callable[[str], None] | None = None):
        folder = home or app_home()
        self.path = folder / SETTINGS_FILE
        self.window_state_path = folder / WINDOW_STATE_FILE
        self.waiting: list[str] = []
        self._report = report
        self._said: set[str] = set()
        self._document = IniDocument()
        self._stamp: tuple[int, int, int] | None = None
        self._unreadable = ""  # why the file cannot be read ("" when it can)
        self._unsaved: dict[str, object] = {}  # values a failed save keeps for this run
        self._load()

    # --- reading ----------------------------------------------------------------------

    def get(self, option: Option[T]) -> T:
        """The value of ``option``: the stored one when it is valid, else its default."""
        self._refresh()
        if option.key in self._unsaved:
            return self._unsaved[option.key]  # type: ignore[return-value]
        raw = self._document.raw(option.key)
        if raw is None:
            return option.default
        try:
            text = read_text(raw)
            return option.default if text is None else option.parse(text)
        except ValueError as exc:
            shown = raw.decode("utf-8", "replace")
            self._say(
                f"In {self.path.name}, {option.key} ({_quoted(shown)}) {exc}: "
                f"{_quoted(option.text(option.default))} is used instead."
            )
            return option.default

    def unusable(self, option: Option[T]) -> bool:
        """True when the file holds a value for ``option`` that cannot be read (so the
        default stands in): where the default would send elsewhere, that must stop a send."""
        self._refresh()
        if option.key in self._unsaved:
            return False
        raw = self._document.raw(option.key)
        if raw is None:
            return False
        try:
            text = read_text(raw)
            if text is None:
                return True
            option.parse(text)
        except ValueError:
            return True
        return False

    def version(self) -> int:
        """The version of the file's layout (1 for a file written before there were versions)."""
        return stored_version(self._document) or 1

    # --- writing ----------------------------------------------------------------------

    def set(self, option: Option[T], value: T) -> bool:
        """Keep ``value`` for ``option``; True when saved, False when kept until the app closes.

        Raises ValueError (a sentence) when ``value`` is not one the option accepts.
        """
        text = option.text(value)
        try:
            option.parse(text)  # the rule of reading: nothing is written that reads back bad
        except ValueError as exc:
            raise ValueError(f"{option.key}: {_quoted(text)} {exc}.") from None
        refused = refusal(self, option, value)
        if refused:
            raise ValueError(refused)
        self._unsaved[option.key] = value
        if self._unreadable:
            self._say(
                f"{self.path} could not be read ({self._unreadable}), so it is not written "
                "over: settings changed now last until Order Desk closes."
            )
            return False
        try:
            self._update(lambda document: document.set(option.key, write_text(text)))
        except OSError as exc:
            self._say(
                f"Settings could not be saved in {self.path} ({_reason(exc)}): "
                "the change lasts until Order Desk closes."
            )
            return False
        del self._unsaved[option.key]
        return True

    def set_reporter(self, report: Callable[[str], None]) -> None:
        """Say from now on through ``report``, starting with the sentences waiting (in one go)."""
        self._report = report
        waiting, self.waiting = self.waiting, []
        if waiting:  # one message: a status bar shows one at a time
            report(" ".join(waiting))

    # --- the file ---------------------------------------------------------------------

    def _load(self) -> None:
        data = self._read()
        if data is None:
            return
        self._document = IniDocument(data)
        number = stored_version(self._document)
        if number is None:
            self._say(f"In {self.path.name}, version is not a number: it is read as version 1.")
            number = 1
        if number > VERSION:
            self._say(
                f"{self.path.name} was written by a newer Order Desk (settings version "
                f"{number}): what this version knows of it is used."
            )
        elif number < VERSION and data:
            try:
                self._update(lambda document: None)  # migrates, under the lock
            except OSError as exc:
                self._say(
                    f"Settings could not be brought up to date in {self.path} "
                    f"({_reason(exc)}): they are used as they are."
                )

    def _read(self) -> bytes | None:
        """The file's bytes (b"" when there is none), or None when it cannot be read."""
        try:
            info = self.path.stat()
            if self.path.is_dir():
                raise IsADirectoryError("it is a folder")
            if info.st_size > MAX_FILE_BYTES:
                raise _NotASettingsFile("it is larger than any settings file")
            data = _settings_text(self.path.read_bytes())
        except FileNotFoundError:
            self._stamp = None
            return b""
        except OSError as exc:
            self._unreadable = _reason(exc)
            self._say(
                f"{self.path} could not be read ({self._unreadable}): the default settings "
                "are used, and the file is left as it is."
            )
            return None
        self._stamp = (info.st_ino, info.st_size, info.st_mtime_ns)
        return data

    def _refresh(self) -> None:
        """Read the file again when another window or command has saved it since."""
        if self._unreadable:
            return
        try:
            info = self.path.stat()
            stamp: tuple[int, int, int] | None = (info.st_ino, info.st_size, info.st_mtime_ns)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            self._load()

    def _update(self, change: Callable[[IniDocument], None]) -> None:
        """Read, migrate, change and write the file in one go, holding the settings lock."""
        with self._lock():
            try:
                # What another program wrote since is never written over if it is not ours to read.
                data = _settings_text(self.path.read_bytes())
            except FileNotFoundError:
                data = b""
            document = IniDocument(data)
            migrate(document, self.window_state_path)
            change(document)
            from desktop_app.draft.atomic_files import atomic_file  # on the first save

            with atomic_file(self.path) as stream:
                stream.write(document.to_bytes())
            info = self.path.stat()
        self._document = document
        self._stamp = (info.st_ino, info.st_size, info.st_mtime_ns)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        if os.name == "nt":  # no advisory locks; the save itself is still atomic
            yield
            return
        import fcntl

        lock = self.path.with_name(f".{SETTINGS_FILE}.lock")
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)

    def _say(self, sentence: str) -> None:
        if sentence in self._said:
            return
        self._said.add(sentence)
        if self._report is None:
            self.waiting.append(sentence)
        else:
            self._report(sentence)


class _NotASettingsFile(OSError):
    """A file that is there and readable, but not a settings file (its text says why)."""


def _settings_text(data: bytes) -> bytes:
    if len(data) > MAX_FILE_BYTES:
        raise _NotASettingsFile("it is larger than any settings file")
    if b"\0" in data:  # UTF-16, as some editors save, or not text at all
        raise _NotASettingsFile("it is not a text file in UTF-8")
    return data


def refusal(settings: Settings, option: Option[T], value: T) -> str | None:
    """Why ``value`` may not be saved for ``option`` next to the other settings, or None.

    The option's own rule first; then the CMR sandbox may not be production
    under another spelling (the sandbox key would go to production).
    """
    refused = option.refuse(value) if option.refuse is not None else None
    if refused or (option is not BASE_URL and option is not SANDBOX_BASE_URL):
        return refused
    text = str(value).strip()
    if option is SANDBOX_BASE_URL:
        return sandbox_conflict(text, production_base_url(settings))
    return sandbox_conflict(settings.get(SANDBOX_BASE_URL), text or PRODUCTION_BASE_URL)


def sandbox_conflict(sandbox: str, production: str) -> str | None:
    """Why ``sandbox`` may not be the CMR sandbox's address next to ``production``, or None.

    The same server (scheme, host and port, in any spelling) is production's whatever the
    path: a path of its own would still hand the sandbox key to the production server.
    """
    from urllib.parse import urlsplit

    from desktop_app.api.endpoints import endpoint_identity

    def server(address: str) -> str:
        parts = urlsplit(address.strip())
        return endpoint_identity(f"{parts.scheme}://{parts.netloc}")

    if not sandbox.strip() or not production.strip():
        return None
    try:
        same = server(sandbox) == server(production)
    except ValueError:  # not an address at all: its own rule says so
        return None
    if not same:
        return None
    return (
        f"The CMR sandbox address {_quoted(sandbox.strip(), 120)} is on the production server: "
        "the sandbox needs its own address, or the sandbox key would go to production."
    )


def production_base_url(settings: Settings) -> str:
    """The address production orders go to: the setting, else CMR's production address."""
    return settings.get(BASE_URL).strip() or PRODUCTION_BASE_URL


def mailboxes_per_domain(settings: Settings) -> MailboxesPerDomain:
    """The mailboxes per domain each provider is allowed before a draft is warned about."""
    return MailboxesPerDomain(
        settings.get(GOOGLE_MAILBOXES_PER_DOMAIN), settings.get(MICROSOFT_MAILBOXES_PER_DOMAIN)
    )


def _quoted(text: str, most: int = 60) -> str:
    shown = text if len(text) <= most else text[: most - 1] + "…"
    return repr(shown)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return str(exc)
