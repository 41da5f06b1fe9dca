"""The API key: OS keyring only, the environment first, a session-only key when no keyring works."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import pytest
from send_support import SECRET_KEY, MemoryKeyring, files_containing

from desktop_app.core.keystore import (
    ENV_VAR,
    KeyringUnavailable,
    KeySource,
    KeyStore,
)


class BrokenKeyring(MemoryKeyring):
    """A keyring whose service went away (D-Bus gone, collection locked)."""

    def get_password(self, service, username):
        raise keyring.errors.KeyringError("the collection is locked")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError(f"refused to store {password}")


class PlaintextKeyring(MemoryKeyring):
    """Shaped like keyrings.alt's file backend, which writes passwords to a file."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class Chain:
    """Like keyring's chainer: several backends, tried in order."""

    def __init__(self, *backends):
        self.backends = list(backends)


def test_set_get_replace_and_delete():
    backend = MemoryKeyring()
    store = KeyStore(backend, environ={})
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
    store = KeyStore(backend, environ={ENV_VAR: "from-env"})
    store.set("from-keyring")
    assert store.get() == "from-env"
    assert store.status().source is KeySource.ENVIRONMENT
    assert ENV_VAR in store.status().describe()


@pytest.mark.parametrize("key", ["", "   ", "two words", "tab\there"])
def test_blank_or_spaced_keys_are_refused(key):
    with pytest.raises(ValueError):
        KeyStore(MemoryKeyring(), environ={}).set(key)


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
    store = KeyStore(BrokenKeyring(), environ={})
    assert store.get() is None  # a locked keyring means "no key", never a crash
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
    store = KeyStore(Chain(keyring.backends.fail.Keyring(), plaintext, safe), environ={})
    store.set("chained-key")
    assert plaintext.entries == {} and list(safe.entries.values()) == ["chained-key"]
    assert store.get() == "chained-key"


def test_the_default_backend_is_keyrings_own_choice():
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        store = KeyStore(environ={}, service="order-desk-test")
        store.set("chosen")
        assert memory.entries == {("order-desk-test", "cmr-api-key"): "chosen"}
    finally:
        keyring.set_keyring(previous)


def test_importing_the_key_store_does_not_load_keyring():
    code = "import sys, desktop_app.core.keystore; print('keyring' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_backend_from_the_environment_on_the_command_line(app_home):
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env.pop(ENV_VAR, None)
    status = subprocess.run(
        [sys.executable, "-m", "desktop_app", "key", "status"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert status.returncode == 1
    assert "No API key is set." in status.stdout and "No system keyring" in status.stdout
    stored = subprocess.run(
        [sys.executable, "-m", "desktop_app", "key", "set"],
        input=SECRET_KEY + "\n",
        capture_output=True,
        text=True,
        env=env,
    )
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
