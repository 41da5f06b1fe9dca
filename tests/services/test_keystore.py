"""The API key: OS keyring only, the environment first, a session-only key when no keyring works."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import textwrap
import threading

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.backends.SecretService
import keyring.errors
import pytest
from cli_support import order_desk
from keyring_support import gnome_keyring, lock_default_collection, private_bus
from keyring_support import silent_secret_service as silent_service
from send_support import (
    SECRET_KEY,
    WITH_MEMORY_KEYRING,
    MemoryKeyring,
    files_containing,
    memory_key_store,
)

from desktop_app.api import sender
from desktop_app.api.api_key import key_problem
from desktop_app.services.keystore import (
    ENV_VAR,
    LOCKED,
    NO_ANSWER,
    KeyringLocked,
    KeyringNoAnswer,
    KeyringUnavailable,
    KeySource,
    KeyStore,
    call_with_deadline,
)


class BrokenKeyring(MemoryKeyring):
    """A keyring whose service went away (D-Bus gone, collection locked)."""

    def get_password(self, service, username):
        raise keyring.errors.KeyringError("the collection is locked")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError(f"refused to store {password}")


BROKEN = f"{__name__}.BrokenKeyring"


class PlaintextKeyring(MemoryKeyring):
    """Shaped like keyrings.alt's file backend, which writes passwords to a file."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class Chain:
    """Like keyring's chainer: several backends, tried in order."""

    def __init__(self, *backends):
        self.backends = list(backends)


def test_set_get_replace_and_delete():
    backend = MemoryKeyring()
    store = memory_key_store(backend)
    assert store.get() is None and store.status().source is KeySource.NONE
    store.set("  first-key \n")
    assert store.get() == "first-key"
    store.set("second-key")
    assert store.get() == "second-key"
    status = store.status()
    assert status.source is KeySource.KEYRING and status.is_set
    assert "system keyring" in status.describe() and "second-key" not in status.describe()
    assert store.delete() is True
    assert store.get() is None and backend.entries == {}
    assert store.delete() is False


def test_the_environment_variable_wins():
    backend = MemoryKeyring()
    store = memory_key_store(backend, environ={ENV_VAR: "from-env"})
    store.set("from-keyring")
    assert store.get() == "from-env"
    assert store.status().source is KeySource.ENVIRONMENT
    assert ENV_VAR in store.status().describe()


@pytest.mark.parametrize("key", ["", "   ", "two words", "tab\there"])
def test_blank_or_spaced_keys_are_refused(key):
    with pytest.raises(ValueError):
        memory_key_store().set(key)


@pytest.mark.parametrize(
    "backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()]
)
def test_no_backend_says_so_and_offers_a_session_key(backend, app_home):
    store = KeyStore(backend, environ={})
    problem = store.keyring_problem()
    assert problem and "No system keyring" in problem and "this session only" in problem
    with pytest.raises(KeyringUnavailable):
        store.set(SECRET_KEY)
    assert store.get() is None
    store.set_for_session(SECRET_KEY)
    assert store.get() == SECRET_KEY
    assert store.status().source is KeySource.SESSION
    assert "this session only" in store.status().describe()
    assert store.delete() is True and store.get() is None
    assert files_containing(app_home, SECRET_KEY) == []


def test_a_failing_backend_gives_a_sentence_without_the_key():
    store = KeyStore(BrokenKeyring(), environ={}, allowed_backends=[BROKEN])
    with pytest.raises(KeyringUnavailable, match="could not be read"):
        store.get()  # a keyring that fails is not "no key"
    assert store.status().source is KeySource.UNKNOWN
    assert "No API key is set" not in store.status().describe()
    with pytest.raises(KeyringUnavailable) as caught:
        store.set(SECRET_KEY)
    assert "could not store the key" in str(caught.value)
    assert SECRET_KEY not in str(caught.value) and "<api-key>" in str(caught.value)


def test_a_plaintext_file_keyring_is_refused_and_never_written():
    plaintext = PlaintextKeyring()
    store = KeyStore(plaintext, environ={})
    with pytest.raises(KeyringUnavailable, match="stores passwords in a file"):
        store.set(SECRET_KEY)
    assert plaintext.entries == {}


def test_a_chain_uses_its_first_safe_backend_only():
    plaintext, safe = PlaintextKeyring(), MemoryKeyring()
    chain = Chain(keyring.backends.fail.Keyring(), plaintext, safe)
    store = KeyStore(chain, environ={}, allowed_backends=WITH_MEMORY_KEYRING)
    store.set("chained-key")
    assert plaintext.entries == {} and list(safe.entries.values()) == ["chained-key"]
    assert store.get() == "chained-key"


def test_the_default_backend_is_keyrings_own_choice_when_it_encrypts():
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        store = KeyStore(
            environ={}, service="order-desk-test", allowed_backends=WITH_MEMORY_KEYRING
        )
        store.set("chosen")
        assert memory.entries == {("order-desk-test", "cmr-api-key"): "chosen"}
    finally:
        keyring.set_keyring(previous)


def test_a_third_party_backend_set_through_keyrings_api_is_refused():
    previous = keyring.get_keyring()
    memory = MemoryKeyring()  # stores fine, but nobody vouched that it encrypts
    keyring.set_keyring(memory)
    try:
        store = KeyStore(environ={}, service="order-desk-test")
        problem = store.keyring_problem()
        assert problem and "send_support.MemoryKeyring" in problem
        assert "not one known to encrypt" in problem and "this session only" in problem
        with pytest.raises(KeyringUnavailable, match="not one known to encrypt"):
            store.set("never-stored")
        assert store.get() is None and memory.entries == {}
    finally:
        keyring.set_keyring(previous)


def test_a_third_party_backend_named_on_the_command_line_is_refused(tmp_path, app_home):
    # A backend package some other program installed: it writes what it gets to a file.
    (tmp_path / "leaky_keyring.py").write_text(
        textwrap.dedent(
            f"""
            import pathlib
            from keyring.backend import KeyringBackend

            class Keyring(KeyringBackend):
                priority = 1
                def get_password(self, service, username):
                    return None
                def set_password(self, service, username, password):
                    pathlib.Path({str(tmp_path / "stolen.txt")!r}).write_text(password)
                def delete_password(self, service, username):
                    pass
            """
        )
    )
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "leaky_keyring.Keyring",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop(ENV_VAR, None)
    stored = order_desk("key", "set", input=SECRET_KEY + "\n", env=env, timeout=60)
    assert stored.returncode == 1
    assert "leaky_keyring.Keyring" in stored.stderr and "not one known to encrypt" in stored.stderr
    assert "Traceback" not in stored.stderr
    assert not (tmp_path / "stolen.txt").exists()
    assert files_containing(app_home, SECRET_KEY) == []


def test_importing_the_key_store_does_not_load_keyring():
    code = "import sys, desktop_app.services.keystore; print('keyring' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_backend_from_the_environment_on_the_command_line(app_home):
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env.pop(ENV_VAR, None)
    status = order_desk("key", "status", env=env)
    assert status.returncode == 1
    assert "No API key is set." in status.stdout and "No system keyring" in status.stdout
    stored = order_desk("key", "set", input=SECRET_KEY + "\n", env=env)
    assert stored.returncode == 1
    assert "No system keyring" in stored.stderr and ENV_VAR in stored.stderr
    assert SECRET_KEY not in stored.stdout + stored.stderr
    assert "Traceback" not in stored.stderr
    assert files_containing(app_home, SECRET_KEY) == []


@pytest.mark.keyring
def test_a_real_secret_service_round_trip(app_home):
    service = f"order-desk-test-{secrets.token_hex(4)}"
    store = KeyStore(environ={}, service=service)
    problem = store.keyring_problem()
    if problem:
        pytest.skip(
            "no Secret Service is reachable (run inside dbus-run-session with gnome-keyring "
            f"unlocked): {problem}"
        )
    try:
        store.set(SECRET_KEY)
        assert store.status().source is KeySource.KEYRING
        # A second store (another process would see the same) reads it back.
        assert KeyStore(environ={}, service=service).get() == SECRET_KEY
        store.set("replaced-key")
        assert store.get() == "replaced-key"
    finally:
        store.delete()
    assert store.get() is None
    assert files_containing(app_home, SECRET_KEY) == []


# --- one rule for a key: the window, `order-desk key set` and the sender ------------------


@pytest.mark.parametrize(
    "key",
    [
        "ключ-api",  # not ASCII
        "sk-\u201ccurly\u201d",  # curly quotes from a word processor
        "sk-live\u200b123",  # a zero-width space
        "sk-caf\u00e9",
        "sk-\x7f",
    ],
)
def test_a_key_the_sender_would_refuse_is_never_stored(key):
    backend = MemoryKeyring()
    store = memory_key_store(backend)
    with pytest.raises(ValueError) as caught:
        store.set(key)
    assert str(caught.value) == key_problem(key.strip())
    with pytest.raises(ValueError):
        store.set_for_session(key)
    assert backend.entries == {} and store.get() is None
    assert not sender._fits_a_header(key)  # the sender's check is the same rule


@pytest.mark.parametrize("key", ["sk-live-7Qw9Zp2Lx5Vb8Nc3", "a!~#$%&'()*+,-./:;<=>?@[]^_`{|}"])
def test_every_printable_ascii_key_is_accepted_by_both(key):
    assert key_problem(key) is None and sender._fits_a_header(key)
    store = memory_key_store()
    store.set(key)
    assert store.get() == key


# --- the deadline ---------------------------------------------------------------------------


class BlockedKeyring(MemoryKeyring):
    """Takes every call and answers only when ``release`` is set (a hung keyring daemon)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls: list[str] = []

    def get_password(self, service, username):
        self.calls.append("get")
        self.release.wait()
        return None

    def set_password(self, service, username, password):
        self.calls.append("set")
        self.release.wait()

    def delete_password(self, service, username):
        self.calls.append("delete")
        self.release.wait()


def blocked_store(backend: BlockedKeyring, **environ: str) -> KeyStore:
    allowed = [f"{__name__}.BlockedKeyring"]
    return KeyStore(backend, environ=environ, allowed_backends=allowed, deadline=0.3)


def test_a_keyring_that_never_answers_is_one_sentence_at_the_deadline():
    backend = BlockedKeyring()
    store = blocked_store(backend)
    try:
        with pytest.raises(KeyringNoAnswer, match=NO_ANSWER):
            store.get()
        status = store.status()
        assert status.source is KeySource.UNKNOWN and status.keyring_problem == NO_ANSWER
        assert "No API key is set" not in status.describe()
        with pytest.raises(KeyringNoAnswer):
            store.set(SECRET_KEY)
        with pytest.raises(KeyringNoAnswer):
            store.delete()
        assert backend.calls == ["get", "get", "set", "get"]
    finally:
        backend.release.set()


def test_the_deadline_helper_passes_results_and_errors_through():
    assert call_with_deadline(lambda: 42, 5) == 42
    with pytest.raises(ZeroDivisionError):
        call_with_deadline(lambda: 1 / 0, 5)
    gate = threading.Event()
    try:
        with pytest.raises(KeyringNoAnswer):
            call_with_deadline(gate.wait, 0.1)
    finally:
        gate.set()


def test_a_real_secret_service_that_never_answers(monkeypatch):
    with private_bus(monkeypatch) as address, silent_service(address):
        store = KeyStore(keyring.backends.SecretService.Keyring(), environ={}, deadline=1.0)
        with pytest.raises(KeyringNoAnswer):
            store.get()
        assert store.status().keyring_problem == NO_ANSWER
        with pytest.raises(KeyringNoAnswer):
            store.set(SECRET_KEY)


def test_the_command_line_gives_up_on_a_silent_secret_service(monkeypatch, app_home):
    with private_bus(monkeypatch) as address, silent_service(address):
        env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}
        env.pop(ENV_VAR, None)
        status = run_cli(["key", "status"], env)
        assert status.returncode == 1 and NO_ANSWER in status.stdout
        assert "No API key is set" not in status.stdout
        stored = run_cli(["key", "set"], env, SECRET_KEY + "\n")
        assert stored.returncode == 1 and NO_ANSWER in stored.stderr
        assert "Traceback" not in stored.stderr and SECRET_KEY not in stored.stderr
        # With the key in the environment the keyring is not asked: no deadline to wait for.
        env[ENV_VAR] = SECRET_KEY
        status = run_cli(["key", "status"], env, timeout=4)
        assert status.returncode == 0
        assert status.stdout.strip() == f"An API key is set by the {ENV_VAR} environment variable."


def run_cli(args, env, stdin="", timeout=60):
    return order_desk(*args, env=env, input=stdin, timeout=timeout)


# --- the environment variable: the keyring is not touched at all ------------------------------


def test_with_the_environment_variable_keyring_is_never_even_imported():
    code = textwrap.dedent(
        """
        import sys
        from desktop_app.services.keystore import KeyStore, KeySource
        store = KeyStore(environ={"CMR_API_KEY": "from-env"})
        assert store.get() == "from-env"
        assert store.status().source is KeySource.ENVIRONMENT
        assert store.status().keyring_problem is None
        print("keyring" in sys.modules, "secretstorage" in sys.modules)
        """
    )
    env = {**os.environ}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["False", "False"]


def test_with_the_environment_variable_the_backend_gets_no_call():
    backend = BlockedKeyring()  # any call would hang until the deadline and be recorded
    store = blocked_store(backend, **{ENV_VAR: "from-env"})
    assert store.get() == "from-env"
    assert store.status().source is KeySource.ENVIRONMENT
    assert backend.calls == []


# --- a locked keyring says it is locked --------------------------------------------------------


@pytest.mark.keyring
def test_a_locked_secret_service_says_locked_not_no_key(monkeypatch, tmp_path):
    with private_bus(monkeypatch) as address, gnome_keyring(address, tmp_path / "keyring"):
        store = KeyStore(keyring.backends.SecretService.Keyring(), environ={})
        store.set(SECRET_KEY)
        assert store.get() == SECRET_KEY
        lock_default_collection()
        with pytest.raises(KeyringLocked, match="locked"):
            store.get()
        status = store.status()
        assert status.source is KeySource.UNKNOWN and status.keyring_problem == LOCKED
        assert not status.is_set and "No API key is set" not in status.describe()
        with pytest.raises(KeyringLocked):
            store.set("another-key")
        with pytest.raises(KeyringLocked):
            store.delete()


class LockedKeyring(MemoryKeyring):
    """As KWallet, macOS and libsecret report a locked keyring: keyring's KeyringLocked."""

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the keyring!")


def test_keyrings_own_locked_error_is_reported_as_locked():
    store = KeyStore(LockedKeyring(), environ={}, allowed_backends=[f"{__name__}.LockedKeyring"])
    with pytest.raises(KeyringLocked):
        store.get()
    assert store.status().keyring_problem == LOCKED


BACKENDS_SEEN = """
import sys
from desktop_app.services.keystore import KeyStore
if sys.argv[1] == "store":
    KeyStore().status()  # keyring imported the key store's way
import keyring.backend
print(sorted(f"{type(b).__module__}.{type(b).__name__}" for b in keyring.backend.get_all_keyring()))
print("ctypes.util" in sys.modules)
"""


@pytest.mark.skipif(sys.platform == "darwin", reason="on macOS the bindings are the keyring")
def test_off_macos_the_store_sees_keyrings_backends_without_loading_the_macos_bindings():
    def seen(how: str) -> list[str]:
        env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
        result = subprocess.run(
            [sys.executable, "-c", BACKENDS_SEEN, how],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split("\n")[:2]

    as_keyring_finds, looked_for_frameworks = seen("keyring")
    as_the_store_finds, looked_for_frameworks_then = seen("store")
    assert as_the_store_finds == as_keyring_finds and "macOS" not in as_the_store_finds
    assert looked_for_frameworks == "True" and looked_for_frameworks_then == "False"
