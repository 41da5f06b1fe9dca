"""``order-desk key``: each environment's API key, kept in the OS keyring."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from desktop_app.cli.common import add_environment_option, say

if TYPE_CHECKING:
    from desktop_app.services.keystore import KeyStore


def add_subcommands(subparsers: Any) -> None:
    p = subparsers.add_parser("key", help="set, delete or check the API key in the system keyring")
    actions = p.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    for name, text, handler in (
        ("set", "store a key (asked for, or read from stdin)", cmd_key_set),
        ("delete", "forget the stored key", cmd_key_delete),
        ("status", "say whether a key is set; exit 1 when not", cmd_key_status),
    ):
        action = actions.add_parser(name, help=text)
        add_environment_option(action, "whose key (the CMR sandbox has its own)")
        action.set_defaults(handler=handler)


def _store(args: argparse.Namespace) -> KeyStore:
    from desktop_app.services.environments import Environment, key_store_for

    if args.env is Environment.PRACTICE:
        say("The practice server needs no key of yours: nothing to do.")
        raise SystemExit(1)
    return key_store_for(args.env or Environment.PRODUCTION)


def _which(args: argparse.Namespace) -> str:
    from desktop_app.services.environments import Environment

    return "CMR sandbox " if args.env is Environment.SANDBOX else ""


def cmd_key_set(args: argparse.Namespace) -> int:
    from desktop_app.services.keystore import KeyringUnavailable

    if sys.stdin.isatty():
        import getpass

        key = getpass.getpass("CMR API key (not shown): ")
    else:
        key = sys.stdin.readline()
    store = _store(args)
    try:
        store.set(key)
    except ValueError as exc:
        say(str(exc))
        return 1
    except KeyringUnavailable as exc:
        say(_in_terminal_words(str(exc), store.env_var))
        return 1
    print(f"The {_which(args)}API key is stored in the system keyring.")
    if os.environ.get(store.env_var, "").strip():
        print(f"{store.env_var} is set in the environment and is used while it is.")
    return 0


def cmd_key_delete(args: argparse.Namespace) -> int:
    from desktop_app.services.keystore import KeyringUnavailable

    store = _store(args)
    try:
        deleted = store.delete()
    except KeyringUnavailable as exc:
        say(str(exc))
        return 1
    print(f"The {_which(args)}API key was deleted." if deleted else "No API key was stored.")
    if os.environ.get(store.env_var, "").strip():
        print(f"{store.env_var} is still set in the environment and is used while it is.")
    return 0


def cmd_key_status(args: argparse.Namespace) -> int:
    status = _store(args).status()
    from desktop_app.services.keystore import SESSION_OFFER, KeySource

    text = status.describe()
    if status.source is KeySource.ENVIRONMENT:  # scripts have what they need
        text = text.replace(SESSION_OFFER, "").strip()
    elif status.keyring_problem:
        text = _in_terminal_words(text, status.env_var)
    print(text)
    return 0 if status.is_set else 1


def _in_terminal_words(text: str, env_var: str) -> str:
    """``text`` as a command says it: a command keeps no key for a session as the window can,
    so the window's offer of one gives way to the environment variable scripts use."""
    from desktop_app.services.keystore import SESSION_OFFER

    text = text.replace(SESSION_OFFER, "").strip()
    return f"{text} For scripts, set {env_var} in the environment instead."
