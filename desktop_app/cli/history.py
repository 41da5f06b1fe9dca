"""``order-desk history`` and ``status``: what was sent, and what became of an order."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.common import add_environment_option, say, seconds_argument


def add_subcommands(subparsers: Any) -> None:
    p = subparsers.add_parser("history", help="list every send attempt")
    p.add_argument("--search", default="", help="only attempts mentioning this text")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write them to a CSV file instead")
    p.set_defaults(handler=cmd_history)

    p = subparsers.add_parser(
        "status", help="ask the API what became of an order; exit 0 when it answered"
    )
    p.add_argument("order_id", metavar="ORDER_ID")
    p.add_argument("--user-id", help="the userId it was ordered for (default: History's)")
    add_environment_option(p, "where it was ordered", default="History's, else production")
    p.add_argument(
        "--base-url",
        help="API base URL to ask (default: the environment's configured address, which "
        "must be where History says the order went)",
    )
    p.add_argument("--json", action="store_true", help="print the API's raw answer")
    p.add_argument(
        "--timeout", type=seconds_argument, metavar="S", help="seconds to wait for the answer"
    )
    p.set_defaults(handler=cmd_status)


def cmd_history(args: argparse.Namespace) -> int:
    from desktop_app.services.history import History, HistoryError

    history = History()
    if args.csv:
        try:
            count = history.export_csv(args.csv, args.search)
        except HistoryError as exc:
            say(str(exc))
            return 1
        except OSError as exc:
            say(f"Cannot write {args.csv}: {exc.strerror or exc}.")
            return 1
        print(f"Wrote {count} attempt{'s' * (count != 1)} to {args.csv}.")
        return 0
    try:
        attempts = history.attempts(args.search)
    except HistoryError as exc:
        say(str(exc))
        return 1
    if not attempts:
        print("No send attempts recorded." if not args.search else "No attempt matches.")
        return 0
    from desktop_app.order.names import printable

    for attempt in attempts:
        # Every field is History's, which another program (or a server's words) may have
        # filled with escape sequences: shown escaped, never driving the terminal.
        print(
            printable(
                f"{attempt.started}  {attempt.shown_outcome:<11}  "
                f"{attempt.order_id or '-':<28}  userId={attempt.user_id or '-'}  "
                f"{_counts(attempt)}  {attempt.endpoint}"
            )
        )
        print(printable(f"    {attempt.shown_message}"))
        environment = attempt.environment if attempt.environment != "production" else ""
        labels = [attempt.part_label, environment]
        if attempt.status_text:
            labels.append(f"status: {attempt.status_text} ({attempt.status_checked})")
        if any(labels):
            print(printable(f"    {', '.join(label for label in labels if label)}"))
        if attempt.draft_path:
            print(printable(f"    draft: {attempt.draft_path}"))
    return 0


def _counts(attempt: Any) -> str:
    """``3 domains, 6 mailboxes, 6 pictures``."""
    return ", ".join(
        f"{number:,} {noun if number == 1 else plural}"
        for number, noun, plural in (
            (attempt.domains, "domain", "domains"),
            (attempt.mailboxes, "mailbox", "mailboxes"),
            (attempt.avatars, "picture", "pictures"),
        )
    )


def cmd_status(args: argparse.Namespace) -> int:
    from desktop_app.cli.common import settings
    from desktop_app.services.history import History
    from desktop_app.services.order_status import STATUS_TIMEOUT, StatusAsker, tree_lines

    timeout = args.timeout or STATUS_TIMEOUT
    with StatusAsker(settings(), History(), timeout=timeout) as asker:
        attempt, note = asker.find(args.order_id)
        if note:
            say(note)
        reply = asker.ask(
            args.order_id,
            attempt=attempt,
            environment=args.env,
            base_url=args.base_url,
            user_id=args.user_id,
        )
    answer = reply.answer
    if reply.note and reply.note != note:
        say(reply.note)
    if args.json and reply.asked:
        print(_raw_shown(answer.raw))
        return 0 if answer.ok else 1
    if not answer.ok:
        say(answer.message)
        return 1
    print(answer.message)
    if answer.data is not None:
        print("\n".join(tree_lines(answer.data)))
    return 0


def _raw_shown(raw: str) -> str:
    """The answer as it came when it is JSON (escapes are JSON's own), else escaped."""
    import json

    from desktop_app.order.names import printable

    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return printable(raw)
    return raw
