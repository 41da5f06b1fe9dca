"""The order's fields on the command line: ``import``'s options and ``order-desk set``.

Names, values and refusals come from :mod:`desktop_app.order.order_fields`,
as the window's panes take theirs: a draft made here is the draft the window
saves for the same input.  A refused name or value is one sentence and exit 2,
and the draft is not touched.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.order.model import Order

EXIT_REFUSED = 2


def add_field_options(parser: argparse.ArgumentParser) -> None:
    """``--provider``, ``--client-id``, ``--process-at-once`` … on ``import``."""
    from desktop_app.order.order_fields import FIELDS

    group = parser.add_argument_group(
        "the order's fields", "as the window's Provider and Order panes set them"
    )
    for field in FIELDS:
        if field.kind == "switch":
            group.add_argument(
                field.option,
                dest=_dest(field.attribute),
                action="store_const",
                const="on",
                help=f"turn {field.name} on ({field.api})",
            )
            continue
        metavar = "google|microsoft" if field.kind == "provider" else "TEXT"
        what = f"{field.name} ({field.api})"
        if field.attribute == "name":
            what = "the order's name, not sent (default: the draft file's name)"
        group.add_argument(field.option, dest=_dest(field.attribute), metavar=metavar, help=what)


def _dest(attribute: str) -> str:
    return "field_" + attribute.replace(".", "_")


def field_values(args: argparse.Namespace) -> list[tuple[str, Any]]:
    """``(attribute, value)`` for each field option given; CommandError for a bad value."""
    from desktop_app.cli.common import CommandError
    from desktop_app.order.order_fields import FIELDS, parse_value

    values = []
    for field in FIELDS:
        text = getattr(args, _dest(field.attribute), None)
        if text is None:
            continue
        try:
            values.append((field.attribute, parse_value(field, text)))
        except ValueError as exc:
            raise CommandError(f"{field.option}: {_printable(str(exc))}", EXIT_REFUSED) from None
    return values


def apply_fields(order: Order, values: list[tuple[str, Any]]) -> None:
    from desktop_app.order.order_fields import put_value

    for attribute, value in values:
        put_value(order, attribute, value)


# --- order-desk set ----------------------------------------------------------------------


def add_set_command(commands: Any) -> None:
    from desktop_app.order.order_fields import FIELDS

    names = ", ".join(f"{f.name} ({f.api or 'not sent'})" for f in FIELDS)
    p = commands.add_parser(
        "set",
        help="show the order's fields of a draft, or change one as the window does",
        description=(
            "Without NAME, list the draft's fields with their values. With NAME and VALUE, "
            f"change one and save the draft as the window does. The fields: {names}. "
            "Names may be written in any case, with or without spaces (user-id, userId)."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE", help="a .cmrorder draft")
    p.add_argument(
        "name", nargs="?", metavar="NAME", help='the field, such as "User ID" or client-id'
    )
    p.add_argument(
        "value",
        nargs="?",
        metavar="VALUE",
        help='its new value ("" for none; on or off for a switch)',
    )
    p.set_defaults(handler=cmd_set)


def cmd_set(args: argparse.Namespace) -> int:
    from desktop_app.cli.common import CommandError, load_draft
    from desktop_app.draft import draft_file
    from desktop_app.order.order_fields import field_named, get_value, parse_value, put_value

    if args.name is None:
        _list_fields(load_draft(args.file))
        return 0
    try:
        field = field_named(args.name)
    except ValueError as exc:
        raise CommandError(_printable(str(exc)), EXIT_REFUSED) from None
    if args.value is None:
        raise CommandError(
            f"Give {field.name} a value: set FILE NAME VALUE ('' for none).", EXIT_REFUSED
        )
    try:
        value = parse_value(field, args.value)
    except ValueError as exc:
        raise CommandError(_printable(str(exc)), EXIT_REFUSED) from None
    order = load_draft(args.file)
    if get_value(order, field) == value:
        print(f"{field.name} is already {_shown(order, field)}: {args.file.name} is unchanged.")
        return 0
    put_value(order, field.attribute, value)
    try:
        draft_file.save(order, args.file)
    except draft_file.DraftError as exc:
        raise CommandError(str(exc)) from None
    sent_as = f"sent as {field.api}" if field.api else "not sent"
    print(f"{field.name} ({sent_as}) is now {_shown(order, field)} in {args.file.name}.")
    return 0


def _list_fields(order: Order) -> None:
    from desktop_app.order.order_fields import FIELDS

    width = max(len(f.name) for f in FIELDS)
    api_width = max(len(f.api_shown) for f in FIELDS)
    for field in FIELDS:
        print(f"{field.name:<{width}}  {field.api_shown:<{api_width}}  {_shown(order, field)}")


def _shown(order: Order, field: Any) -> str:
    from desktop_app.order.order_fields import shown_value

    text = shown_value(order, field)
    return _printable(text) if text else "(none)"


def _printable(text: str) -> str:
    from desktop_app.order.names import printable

    return printable(text)
