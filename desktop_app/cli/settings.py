"""``order-desk settings``: the settings the window uses, shown and changed in a terminal."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.common import say, settings


def add_subcommands(subparsers: Any) -> None:
    from desktop_app.services.settings import OPTIONS

    listing = "\n".join(f"  {o.key}: {o.purpose} ({o.accepts})" for o in OPTIONS)
    p = subparsers.add_parser(
        "settings",
        help="show or change the settings the window uses",
        description=f"The settings the window and the command line share:\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(handler=cmd_settings_show)
    actions = p.add_subparsers(dest="settings_action", metavar="ACTION")
    show = actions.add_parser("show", help="print each setting as NAME=VALUE (the default)")
    show.set_defaults(handler=cmd_settings_show)
    change = actions.add_parser("set", help="change one setting, as the window does")
    change.add_argument("name", help="the setting's name, such as sending/max_mailboxes")
    change.add_argument("value", help="its new value, as `settings show` prints it")
    change.set_defaults(handler=cmd_settings_set)


def cmd_settings_show(args: argparse.Namespace) -> int:
    from desktop_app.order.names import printable
    from desktop_app.services.settings import OPTIONS

    store = settings()
    for option in OPTIONS:
        print(f"{option.key}={printable(option.text(store.get(option)))}")
    return 0


def cmd_settings_set(args: argparse.Namespace) -> int:
    from desktop_app.services.settings import option_named

    try:
        option = option_named(args.name)
        saved = settings().set(option, option.parse(args.value))
    except ValueError as exc:
        message = str(exc)
        if not message.endswith("."):  # a value's rule says how it ends: "is not …"
            message = f"{args.name}: {args.value!r} {message}."
        say(message)
        return 1
    return 0 if saved else 1
