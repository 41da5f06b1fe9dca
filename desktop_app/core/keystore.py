"""Where the API key lives: the OS keyring, the environment, or this session's memory.

The key spends the operator's money, so it is kept only where the operating
system keeps secrets (Keychain, Windows Credential Locker, Secret Service).
``CMR_API_KEY`` in the environment wins, for scripts.  When no keyring works
(a headless Linux box) the caller is told so in plain words and may keep a
key in memory for this session only.  There is never a plaintext fallback:
file-based keyrings are refused, and the key is never written anywhere else.

``keyring`` is imported on first use: its backend discovery talks to D-Bus
and would slow every start-up.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SERVICE = "order-desk"
ACCOUNT = "cmr-api-key"
ENV_VAR = "CMR_API_KEY"

# Backends that "work" without keeping anything secret: the fail and null
# backends do nothing, and the keyrings.alt file backends write the key to a
# file in the home folder (in plain text, or behind a password prompt on stdin).
_USELESS_BACKENDS = {"keyring.backends.fail", "keyring.backends.null"}
_FILE_BACKEND_PACKAGE = "keyrings.alt"


class KeySource(str, enum.Enum):
    """Where the key in use comes from."""

    ENVIRONMENT = "environment"
    KEYRING = "keyring"
    SESSION = "session"
    NONE = "none"


class KeyringUnavailable(RuntimeError):
    """No keyring that keeps secrets is usable; the message is one plain sentence."""


@dataclass(frozen=True)
class KeyStatus:
    """What a settings pane or ``order-desk key status`` shows; never the key itself."""

    source: KeySource
    keyring_problem: str | None  # None when the OS keyring works

    @property
    def is_set(self) -> bool:
        return self.source is not KeySource.NONE

    def describe(self) -> str:
        text = {
            KeySource.ENVIRONMENT: f"An API key is set by the {ENV_VAR} environment variable.",
            KeySource.KEYRING: "An API key is set in the system keyring.",
            KeySource.SESSION: "An API key is set for this session only (kept in memory).",
            KeySource.NONE: "No API key is set.",
        }[self.source]
        if self.keyring_problem and self.source is not KeySource.KEYRING:
            text += " " + self.keyring_problem
        return text


class KeyStore:
    """Reads, stores and forgets the CMR API key.

    ``backend`` is a keyring backend to use instead of the one ``keyring``
    detects (tests, or an application that configured its own);
    ``environ`` is where ``CMR_API_KEY`` is looked up; ``service`` names the
    keyring entry (tests use their own, never touching a real key).
    """

    def __init__(
        self,
        backend: Any = None,
        environ: Mapping[str, str] | None = None,
        service: str = SERVICE,
    ) -> None:
        self._backend = backend
        self._service = service
        self._environ = os.environ if environ is None else environ
        self._session_key: str | None = None

    # --- reading ------------------------------------------------------------

    def get(self) -> str | None:
        """The key to send with, or None.  Never raises: a broken keyring means no key."""
        key, _ = self._lookup()
        return key

    def status(self) -> KeyStatus:
        _, source = self._lookup()
        return KeyStatus(source, self.keyring_problem())

    def _lookup(self) -> tuple[str | None, KeySource]:
        env_key = self._environ.get(ENV_VAR, "").strip()
        if env_key:
            return env_key, KeySource.ENVIRONMENT
        if self._session_key:
            return self._session_key, KeySource.SESSION
        try:
            stored = self._keyring().get_password(self._service, ACCOUNT)
        except Exception:  # no keyring, or one that fails (locked, D-Bus gone): no usable key
            return None, KeySource.NONE
        if stored:
            return stored, KeySource.KEYRING
        return None, KeySource.NONE

    def keyring_problem(self) -> str | None:
        """None when the OS keyring can be used, else why not, in one sentence."""
        try:
            self._keyring()
        except KeyringUnavailable as exc:
            return str(exc)
        return None

    # --- writing -------------------------------------------------------------

    def set(self, key: str) -> None:
        """Store ``key`` in the OS keyring (replacing any earlier one).

        Raises :class:`KeyringUnavailable` when no keyring can keep it; the
        caller may then offer :meth:`set_for_session`.
        """
        key = _clean(key)
        backend = self._keyring()
        try:
            backend.set_password(self._service, ACCOUNT, key)
        except Exception as exc:
            raise KeyringUnavailable(_failure("could not store the key", exc, key)) from None
        self._session_key = None

    def set_for_session(self, key: str) -> None:
        """Keep ``key`` in memory until this process ends; nothing is written."""
        self._session_key = _clean(key)

    def delete(self) -> bool:
        """Forget the key (session and keyring).  True when there was one to forget."""
        had_session = self._session_key is not None
        self._session_key = None
        try:
            backend = self._keyring()
        except KeyringUnavailable:
            return had_session
        try:
            if backend.get_password(self._service, ACCOUNT) is None:
                return had_session
            backend.delete_password(self._service, ACCOUNT)
        except Exception as exc:
            raise KeyringUnavailable(_failure("could not delete the key", exc)) from None
        return True

    # --- the backend -----------------------------------------------------------

    def _keyring(self) -> Any:
        """The backend that keeps secrets, or :class:`KeyringUnavailable`."""
        backend = self._backend
        if backend is None:
            try:
                import keyring
            except ImportError:  # pragma: no cover - keyring is a dependency
                raise KeyringUnavailable(_NO_KEYRING) from None
            try:
                backend = keyring.get_keyring()
            except Exception as exc:
                raise KeyringUnavailable(_failure("could not be opened", exc)) from None
        candidates = list(getattr(backend, "backends", None) or [backend])
        usable = [b for b in candidates if _keeps_secrets(b)]
        if not usable:
            refused = [b for b in candidates if _is_file_backend(b)]
            if refused:
                raise KeyringUnavailable(
                    "The only keyring available stores passwords in a file, which Order Desk "
                    "refuses to use for the API key."
                )
            raise KeyringUnavailable(_NO_KEYRING)
        # A chain of backends writes to the first that accepts: pick the first
        # safe one ourselves so a file backend later in the chain is never used.
        return usable[0]


NO_KEYRING = "No system keyring is available on this computer, so the API key cannot be stored."
SESSION_OFFER = (
    "You can use a key for this session only (kept in memory, forgotten when Order Desk closes)."
)
_NO_KEYRING = f"{NO_KEYRING} {SESSION_OFFER}"


def _backend_module(backend: Any) -> str:
    return str(type(backend).__module__)


def _is_file_backend(backend: Any) -> bool:
    module = _backend_module(backend)
    return module == _FILE_BACKEND_PACKAGE or module.startswith(_FILE_BACKEND_PACKAGE + ".")


def _keeps_secrets(backend: Any) -> bool:
    module = _backend_module(backend)
    if module in _USELESS_BACKENDS or _is_file_backend(backend):
        return False
    # keyring's own test of viability: reading ``priority`` raises when the
    # backend cannot work here (the Secret Service one, without D-Bus).
    try:
        getattr(type(backend), "priority", 0)
    except Exception:
        return False
    return True


def _failure(what: str, exc: BaseException, key: str = "") -> str:
    """One sentence about a keyring failure, with the key scrubbed from the reason."""
    reason = str(exc).strip() or type(exc).__name__
    if key:
        reason = reason.replace(key, "<api-key>")
    return f"The system keyring {what} ({reason})."


def _clean(key: str) -> str:
    key = key.strip()
    if not key:
        raise ValueError("The API key is empty.")
    if any(ch.isspace() for ch in key) or not key.isprintable():
        raise ValueError("The API key cannot contain spaces or control characters.")
    return key
