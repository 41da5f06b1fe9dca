"""Where the API key lives: the OS keyring, the environment, or this session's memory.

The key spends the operator's money, so it is kept only where the operating
system keeps secrets encrypted (Keychain, Windows Credential Locker, Secret
Service, KWallet): an allow-list of backend classes, so a keyring backend
nobody here has vetted is refused, not only the plaintext ones known by name.
``CMR_API_KEY`` in the environment wins, for scripts, and while it is set the
keyring is never asked.  When no keyring works (a headless Linux box) the
caller is told so in plain words and may keep a key in memory for this
session only.  There is never a plaintext fallback.

Every call into the keyring has a deadline (:data:`KEYRING_DEADLINE`): a
keyring that takes the call and never answers (a hung D-Bus service, an
unlock prompt nobody sees) becomes one sentence, never a frozen program.  A
locked keyring is said to be locked; it is never reported as "no key".

``keyring`` is imported on first use: its backend discovery talks to D-Bus
and would slow every start-up.
"""

from __future__ import annotations

import enum
import os
import sys
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from desktop_app.api.api_key import key_problem

SERVICE = "order-desk"
ACCOUNT = "cmr-api-key"
ENV_VAR = "CMR_API_KEY"
KEYRING_DEADLINE = 5.0  # seconds any keyring call may take before it counts as no answer

# The keyring backends known to keep secrets encrypted, by class (module and
# name).  Anything else -- keyrings.alt's files, a backend some other package
# registers, one set through keyring's API or PYTHON_KEYRING_BACKEND -- is refused.
ENCRYPTING_BACKENDS = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)
# keyring's own markers for "there is no keyring here": they get the plain
# "no keyring" sentence rather than "refused".
_NO_KEYRING_BACKENDS = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}
_FILE_BACKEND_PACKAGE = "keyrings.alt"
_SECRET_SERVICE = "keyring.backends.SecretService.Keyring"

NO_KEYRING = "No system keyring is available on this computer, so the API key cannot be stored."
SESSION_OFFER = (
    "You can use a key for this session only (kept in memory, forgotten when Order Desk closes)."
)
NO_ANSWER = "The system keyring did not answer."
LOCKED = (
    "The system keyring is locked: unlock it (log in again, or open your desktop's "
    "passwords and keys manager), then try again."
)
_NO_KEYRING = f"{NO_KEYRING} {SESSION_OFFER}"

T = TypeVar("T")


class KeySource(str, enum.Enum):
    """Where the key in use comes from."""

    ENVIRONMENT = "environment"
    KEYRING = "keyring"
    SESSION = "session"
    NONE = "none"
    UNKNOWN = "unknown"  # the keyring could not be read (locked, or it did not answer)


class KeyringUnavailable(RuntimeError):
    """No keyring that keeps secrets is usable; the message is one plain sentence."""


class KeyringLocked(KeyringUnavailable):
    """The keyring is there but locked: whether it holds a key cannot be known."""


class KeyringNoAnswer(KeyringUnavailable):
    """The keyring took the call and did not answer within the deadline."""


@dataclass(frozen=True)
class KeyStatus:
    """What a settings pane or ``order-desk key status`` shows; never the key itself."""

    source: KeySource
    keyring_problem: str | None  # None when the OS keyring works (or was not asked)
    env_var: str = ENV_VAR  # the variable that sets this key for scripts

    @property
    def is_set(self) -> bool:
        return self.source not in (KeySource.NONE, KeySource.UNKNOWN)

    def describe(self) -> str:
        text = {
            KeySource.ENVIRONMENT: f"An API key is set by the {self.env_var} environment variable.",
            KeySource.KEYRING: "An API key is set in the system keyring.",
            KeySource.SESSION: "An API key is set for this session only (kept in memory).",
            KeySource.NONE: "No API key is set.",
            KeySource.UNKNOWN: "Whether an API key is stored cannot be told.",
        }[self.source]
        if self.keyring_problem and self.source is not KeySource.KEYRING:
            text += " " + self.keyring_problem
        return text


def call_with_deadline(call: Callable[[], T], deadline: float = KEYRING_DEADLINE) -> T:
    """``call()``'s result (or exception), run on a daemon thread; past ``deadline``
    seconds, :class:`KeyringNoAnswer`.

    A keyring that never answers cannot be interrupted, so the thread is left
    behind (a daemon: it never keeps the program from exiting) and the caller
    gets the sentence instead.
    """
    outcome: list[tuple[bool, Any]] = []
    finished = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the caller, on its own thread
            outcome.append((False, exc))
        finally:
            finished.set()

    threading.Thread(target=run, name="keyring-call", daemon=True).start()
    if not finished.wait(deadline):
        raise KeyringNoAnswer(NO_ANSWER)
    ok, value = outcome[0]
    if not ok:
        raise value
    result: T = value
    return result


class KeyStore:
    """Reads, stores and forgets the CMR API key.

    ``backend`` is a keyring backend to use instead of the one ``keyring``
    detects (an application that configured its own, or tests); either way it
    must be one of ``allowed_backends`` (default :data:`ENCRYPTING_BACKENDS`,
    names ``module.Class``).  ``environ`` is where ``CMR_API_KEY`` is looked
    up; ``service`` names the keyring entry (tests use their own, never
    touching a real key); ``deadline`` bounds every keyring call, in seconds.
    ``account`` and ``env_var`` name one environment's key (the CMR sandbox
    has its own: :func:`desktop_app.services.environments.key_store_for`).

    Every method here waits at most ``deadline`` for the keyring; none of them
    may run on a GUI thread all the same (a deadline is a long freeze).  With
    ``CMR_API_KEY`` set, :meth:`get` and :meth:`status` never ask the keyring;
    :meth:`set` and :meth:`delete` still do what they are asked to.
    """

    def __init__(
        self,
        backend: Any = None,
        environ: Mapping[str, str] | None = None,
        service: str = SERVICE,
        *,
        allowed_backends: Collection[str] | None = None,
        deadline: float = KEYRING_DEADLINE,
        account: str = ACCOUNT,
        env_var: str = ENV_VAR,
    ) -> None:
        self._backend = backend
        self._account = account
        self.env_var = env_var
        self._service = service
        self._environ = os.environ if environ is None else environ
        self._allowed = allowed_backends
        self.deadline = deadline
        self._session_key: str | None = None

    # --- reading ------------------------------------------------------------

    def get(self) -> str | None:
        """The key to send with, or None when none is set.

        ``CMR_API_KEY`` first (the keyring is then not asked at all), then a
        session key, then the keyring.  None also when no usable keyring
        exists (so none can hold a key).  Raises :class:`KeyringLocked` when
        the keyring is locked and :class:`KeyringNoAnswer` when it does not
        answer in time (both :class:`KeyringUnavailable`, with a sentence to
        show): a keyring that cannot be read is never taken for "no key".
        """
        env_key = self._env_key()
        if env_key:
            return env_key
        if self._session_key:
            return self._session_key
        return call_with_deadline(self._read_stored, self.deadline)

    def status(self) -> KeyStatus:
        """Where the key is, as far as can be told; never raises, never the key itself."""
        if self._env_key():
            return KeyStatus(KeySource.ENVIRONMENT, None, self.env_var)
        try:
            return call_with_deadline(self._status_now, self.deadline)
        except KeyringUnavailable as exc:
            source = KeySource.SESSION if self._session_key else KeySource.UNKNOWN
            return KeyStatus(source, str(exc), self.env_var)

    def keyring_problem(self) -> str | None:
        """None when the OS keyring can be used, else why not, in one sentence."""
        try:
            call_with_deadline(self._keyring, self.deadline)
        except KeyringUnavailable as exc:
            return str(exc)
        return None

    def _env_key(self) -> str:
        return self._environ.get(self.env_var, "").strip()

    def _status_now(self) -> KeyStatus:
        try:
            backend = self._keyring()
        except KeyringUnavailable as exc:
            source = KeySource.SESSION if self._session_key else KeySource.NONE
            return KeyStatus(source, str(exc), self.env_var)
        if self._session_key:
            return KeyStatus(KeySource.SESSION, None, self.env_var)
        try:
            stored = self._read(backend)
        except KeyringUnavailable as exc:
            return KeyStatus(KeySource.UNKNOWN, str(exc), self.env_var)
        return KeyStatus(KeySource.KEYRING if stored else KeySource.NONE, None, self.env_var)

    def _read_stored(self) -> str | None:
        try:
            backend = self._keyring()
        except KeyringUnavailable:
            return None  # nowhere a key could be stored: truly none
        return self._read(backend)

    def _read(self, backend: Any) -> str | None:
        self._refuse_if_locked(backend)
        try:
            stored = backend.get_password(self._service, self._account)
        except Exception as exc:
            raise _as_unavailable("could not be read", exc) from None
        return str(stored) if stored else None

    # --- writing -------------------------------------------------------------

    def set(self, key: str) -> None:
        """Store ``key`` in the OS keyring (replacing any earlier one).

        Raises ``ValueError`` (a sentence) for a key the sender would refuse
        (:func:`~desktop_app.api.api_key.key_problem`), and :class:`KeyringUnavailable` when
        no keyring can keep it; the caller may then offer :meth:`set_for_session`.
        """
        key = _clean(key)

        def store() -> None:
            backend = self._keyring()
            self._refuse_if_locked(backend)
            try:
                backend.set_password(self._service, self._account, key)
            except Exception as exc:
                raise _as_unavailable("could not store the key", exc, key) from None

        call_with_deadline(store, self.deadline)
        self._session_key = None

    def set_for_session(self, key: str) -> None:
        """Keep ``key`` in memory until this process ends; nothing is written."""
        self._session_key = _clean(key)

    def delete(self) -> bool:
        """Forget the key (session and keyring).  True when there was one to forget."""
        had_session = self._session_key is not None
        self._session_key = None

        def forget() -> bool:
            try:
                backend = self._keyring()
            except KeyringUnavailable:
                return had_session
            self._refuse_if_locked(backend)
            try:
                if backend.get_password(self._service, self._account) is None:
                    return had_session
                backend.delete_password(self._service, self._account)
            except Exception as exc:
                raise _as_unavailable("could not delete the key", exc) from None
            return True

        return call_with_deadline(forget, self.deadline)

    # --- the backend -----------------------------------------------------------

    def _keyring(self) -> Any:
        """The backend that keeps secrets, or :class:`KeyringUnavailable`."""
        backend = self._backend
        if backend is None:
            skip_macos_bindings_elsewhere()
            try:
                import keyring
            except ImportError:  # pragma: no cover - keyring is a dependency
                raise KeyringUnavailable(_NO_KEYRING) from None
            try:
                backend = keyring.get_keyring()
            except Exception as exc:
                raise KeyringUnavailable(_failure("could not be opened", exc)) from None
        allowed = ENCRYPTING_BACKENDS if self._allowed is None else self._allowed
        candidates = list(getattr(backend, "backends", None) or [backend])
        usable = [b for b in candidates if backend_name(b) in allowed and _viable(b)]
        if usable:
            # A chain of backends writes to the first that accepts: pick the first
            # safe one ourselves so no other backend in the chain is ever used.
            return usable[0]
        names = [backend_name(b) for b in candidates]
        if any(_is_file_backend(name) for name in names):
            raise KeyringUnavailable(
                "The only keyring available stores passwords in a file, which Order Desk "
                f"refuses to use for the API key. {SESSION_OFFER}"
            )
        foreign = [n for n in names if n not in _NO_KEYRING_BACKENDS and n not in allowed]
        if foreign:
            raise KeyringUnavailable(
                f"The keyring in use ({foreign[0]}) is not one known to encrypt what it keeps "
                "(Secret Service, KWallet, macOS Keychain, Windows Credential Locker), so "
                f"Order Desk does not store the API key there. {SESSION_OFFER}"
            )
        raise KeyringUnavailable(_NO_KEYRING)

    def _refuse_if_locked(self, backend: Any) -> None:
        """Raise :class:`KeyringLocked` when the Secret Service collection is locked.

        keyring would ask the desktop to show an unlock prompt and wait for it;
        a prompt nobody sees (a remote session, a headless box) would only run
        into the deadline and be reported as silence instead of as locked.
        """
        if backend_name(backend) != _SECRET_SERVICE:
            return  # the other backends raise keyring's KeyringLocked themselves
        from contextlib import closing

        import secretstorage
        from secretstorage.exceptions import ItemNotFoundException

        try:
            with closing(secretstorage.dbus_init()) as bus:
                path = getattr(backend, "preferred_collection", None)
                try:
                    if path:
                        collection = secretstorage.Collection(bus, path)
                    else:
                        collection = secretstorage.Collection(bus)  # the default alias
                except ItemNotFoundException:
                    return  # no collection yet: keyring creates one when storing
                locked = collection.is_locked()
        except Exception as exc:
            raise _as_unavailable("could not be opened", exc) from None
        if locked:
            raise KeyringLocked(LOCKED)


def skip_macos_bindings_elsewhere() -> None:
    """Off macOS, importing keyring's macOS bindings fails at once, as it would anyway,
    not after ctypes has looked for the Security framework (on Linux ~50-150 ms of
    ldconfig and a compiler).  That backend refuses to run off macOS either way."""
    if sys.platform != "darwin":
        sys.modules.setdefault("keyring.backends.macOS.api", None)  # type: ignore[arg-type]


def backend_name(backend: Any) -> str:
    """``module.Class`` of a keyring backend, as :data:`ENCRYPTING_BACKENDS` names them."""
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_file_backend(name: str) -> bool:
    return name.startswith(_FILE_BACKEND_PACKAGE + ".")


def _viable(backend: Any) -> bool:
    # keyring's own test of viability: reading ``priority`` raises when the
    # backend cannot work here (the Secret Service one, without D-Bus).
    try:
        getattr(type(backend), "priority", 0)
    except Exception:
        return False
    return True


def _as_unavailable(what: str, exc: BaseException, key: str = "") -> KeyringUnavailable:
    """keyring's error as ours: locked says locked, anything else one sentence."""
    from keyring.errors import KeyringLocked as LockedByKeyring  # loaded: a backend raised

    if isinstance(exc, KeyringUnavailable):
        return exc
    if isinstance(exc, LockedByKeyring):
        return KeyringLocked(LOCKED)
    return KeyringUnavailable(_failure(what, exc, key))


def _failure(what: str, exc: BaseException, key: str = "") -> str:
    """One sentence about a keyring failure, with the key scrubbed from the reason."""
    reason = str(exc).strip() or type(exc).__name__
    if key:
        reason = reason.replace(key, "<api-key>")
    return f"The system keyring {what} ({reason})."


def _clean(key: str) -> str:
    key = key.strip()
    problem = key_problem(key)
    if problem:
        raise ValueError(problem)
    return key
