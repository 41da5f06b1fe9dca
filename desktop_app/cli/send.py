"""``order-desk send`` and ``practice``: sending from the command line.

Exit codes of ``send`` (scripts rely on them): 0 every order created; 1 not
created (validation errors, refused, could not connect, no key, already
ordered, declined, a plain-http address); 2 the draft cannot be read; 3 an
outcome is unknown (check the CMR dashboard before sending again).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.common import (
    EXIT_CREATED,
    EXIT_INTERRUPTED,
    EXIT_NOT_CREATED,
    EXIT_UNKNOWN,
    EXIT_UNREADABLE,
    Refused,
    add_environment_option,
    ask,
    configured_base_url,
    configured_mailboxes_per_request,
    destination,
    key_for,
    mailboxes_per_request,
    out,
    say,
    say_plain,
    seconds_argument,
    settings,
)

if TYPE_CHECKING:
    from desktop_app.api.exchange import Progress

__all__ = ["add_subcommands", "configured_base_url"]


def add_subcommands(subparsers: Any) -> None:
    """Register ``send`` and ``practice`` (and, through their modules, the rest)."""
    from desktop_app.cli import history as cli_history
    from desktop_app.cli import keys as cli_keys
    from desktop_app.cli import settings as cli_settings

    p = subparsers.add_parser(
        "send", help="check and send a draft; exit 0 created, 1 not, 3 unknown"
    )
    p.add_argument("file", type=Path, help="a .cmrorder draft")
    add_environment_option(p, "where it goes")
    p.add_argument(
        "--base-url",
        help="API base URL (default: the environment's; for production the "
        "window's setting, else CMR's)",
    )
    p.add_argument("--user-id", help="the userId to send (default: the draft's)")
    p.add_argument(
        "--timeout", type=seconds_argument, metavar="S", help="seconds to wait for the answer"
    )
    p.add_argument("--yes", action="store_true", help="send without asking (the review is printed)")
    p.add_argument(
        "--again",
        action="store_true",
        help="send even what History shows as already ordered (a second order and charge)",
    )
    p.add_argument(
        "--max-mailboxes",
        type=mailboxes_per_request,
        metavar="N",
        help="at most N mailboxes per request; a bigger order goes out as several "
        "(default: the window's setting, else 992)",
    )
    p.set_defaults(handler=cmd_send)

    # "sandbox" is the command's name from before CMR's own sandbox became an environment
    # (--env sandbox); it stays, so scripts written for it keep working.
    p = subparsers.add_parser(
        "practice", aliases=["sandbox"], help="run the practice server until Ctrl+C"
    )
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    p.set_defaults(handler=cmd_practice)

    cli_history.add_subcommands(subparsers)
    cli_keys.add_subcommands(subparsers)
    cli_settings.add_subcommands(subparsers)


def cmd_send(args: argparse.Namespace) -> int:
    from desktop_app.draft import draft_file

    try:
        order = draft_file.load(args.file)
    except draft_file.DraftError as exc:
        say(str(exc))
        return EXIT_UNREADABLE
    if args.user_id is not None:
        order.user_id = args.user_id
    try:
        with destination(args.env, args.base_url) as where:
            return _review_and_send(args, order, where)
    except Refused as exc:
        sentence = str(exc)
        said_so = "othing was sent" in sentence or "othing was asked" in sentence
        say(sentence if said_so else f"{sentence} Nothing was sent.")
        return EXIT_NOT_CREATED


def _review_and_send(args: argparse.Namespace, order: Any, where: Any) -> int:
    from desktop_app.services import send_flow
    from desktop_app.services.history import HISTORY_GUARDS_SENDS, History, HistoryError
    from desktop_app.services.settings import mailboxes_per_domain

    history = History()
    try:
        planned = send_flow.plan(
            args.file.name,
            order,
            str(args.file.resolve()),
            where,
            history,
            args.max_mailboxes or configured_mailboxes_per_request(),
            mailboxes_per_domain(settings()),
        )
    except HistoryError as exc:
        raise Refused(f"{exc} {HISTORY_GUARDS_SENDS}") from None
    for found in planned.problems:
        say_plain(str(found))
    if not planned.sendable:
        raise Refused(planned.blocked)
    key = key_for(where)
    (say_plain if args.yes else out)(_review(planned))
    choice = _choose(planned, args)
    if choice is None:
        return EXIT_NOT_CREATED
    job = send_flow.Job(planned, choice, again_whatever=args.again)
    return _send_and_report(job, key, args, history)


def _choose(planned: Any, args: argparse.Namespace) -> Any:
    """The operator's choice for ``planned``, or None (said why) when nothing is to be sent."""
    from desktop_app.services.send_flow import Choice, split_summary

    if not planned.repeats:
        if args.yes or ask("Send this order? [y/N] "):
            return Choice.SEND
        say("Not sent.")
        return None
    if args.again:
        if args.yes or ask("Send it ALL again anyway (a second order and charge)? [y/N] "):
            return Choice.AGAIN
        say("Not sent.")
        return None
    if args.yes or not planned.remaining:
        what = "Nothing was sent; add --again to send it anyway."
        if not planned.remaining:
            what = "Everything in it was ordered already. " + what
        say(what)
        return None
    mailboxes = sum(r.counts.mailboxes for r in planned.remaining)
    domains = sum(r.counts.domains for r in planned.remaining)
    parts = split_summary(planned.remaining)
    question = (
        f"Send only what was not ordered yet ({domains:,} domains, {mailboxes:,} mailboxes"
        + (f"; {parts[:-1].lower()}" if parts else "")
        + ")? [y/N] "
    )
    if ask(question):
        return Choice.LEAVE_OUT
    say("Not sent.")
    return None


def _review(planned: Any) -> str:
    from desktop_app.order.model import PROVIDER_NAMES
    from desktop_app.services.send_flow import split_summary

    order = planned.order
    counts = [r.counts for r in planned.parts]
    mailboxes = sum(c.mailboxes for c in counts)
    avatars = sum(c.avatars for c in counts)
    missing = mailboxes - avatars
    provider = PROVIDER_NAMES[order.provider]
    lines = [
        f"Order:      {_escaped(planned.label)}",
        f"Where:      {planned.destination.environment.describe()}",
        f"Endpoint:   {_escaped(planned.destination.base_url)}",
        f"User ID:    {order.user_id.strip() or '(none)'}",
        f"Provider:   {provider}",
        f"Domains:    {sum(c.domains for c in counts):,}",
        f"Mailboxes:  {mailboxes:,}",
        f"Pictures:   {avatars:,}" + (f" ({missing:,} mailboxes without one)" if missing else ""),
        f"Warnings:   {planned.warnings:,}",
    ]
    split = split_summary(planned.parts)
    if split:
        lines.append(split)
    if planned.repeats:
        lines += ["", "Already ordered (or maybe ordered) at this endpoint for this user ID:"]
        lines += [f"  {line}" for line in planned.repeat_lines(20)]
    if order.confirm:
        lines += [
            "",
            "!!! Process at once is on: the wallet is charged when the order is created. !!!",
        ]
    return "\n".join(lines)


def _send_and_report(job: Any, key: str, args: argparse.Namespace, history: Any) -> int:
    from desktop_app.api.cancel import CancelToken
    from desktop_app.api.exchange import Timeouts
    from desktop_app.cli import interrupts
    from desktop_app.services import send_flow

    timeouts = Timeouts(answer=args.timeout) if args.timeout else Timeouts()
    cancel = CancelToken()
    outcomes: list[send_flow.PartOutcome] = []
    failures: list[str] = []
    done = threading.Event()
    progress = _ProgressLine()

    def run() -> None:
        try:
            send_flow.send_with_key(
                [job],
                key,
                history,
                cancel,
                timeouts,
                lambda name, step: progress(step),
                outcomes.append,
            )
        except Exception as exc:  # a fault of ours, not the network's: the order may be out
            failures.append(type(exc).__name__)
        finally:
            done.set()

    with interrupts.noted(keep=getattr(args, "owns_process", False)) as interrupted:
        # The send runs on a thread so Ctrl+C (always delivered to the main
        # thread, where it is only noted) can cancel it cleanly and still
        # report the outcome, however many times it comes.
        worker = threading.Thread(target=run, name="order-send")
        worker.start()
        while not done.wait(0.1):
            if interrupted and not cancel.cancelled:
                progress.end_line()
                say("cancelling...")
                cancel.cancel()
        worker.join()
        progress.end_line()
        return _report(outcomes, failures, bool(interrupted))


def _report(outcomes: list[Any], failures: list[str], interrupted: bool) -> int:
    from desktop_app.api.outcome import UNKNOWN_ADVICE, Outcome
    from desktop_app.services import send_flow

    if failures:  # a history row left "sending" reads as unknown
        say(f"Sending stopped unexpectedly ({failures[0]}). {UNKNOWN_ADVICE}")
        return EXIT_UNKNOWN
    for outcome in outcomes:
        result = outcome.result
        if result.outcome is Outcome.CREATED:
            out(f"orderId: {result.order_id}")
            if result.unavailable_domains:
                out("unavailableDomains: " + ", ".join(result.unavailable_domains))
        if len(outcomes) > 1 or result.outcome is not Outcome.CREATED:
            say(f"{outcome.name}: {result.outcome.value}. {result.message}")
        elif outcome.unrecorded:
            say(outcome.unrecorded)
    overall = send_flow.overall(outcomes)
    if interrupted and not any(outcome.sent for outcome in outcomes):
        say("Interrupted before anything was sent.")
        return EXIT_INTERRUPTED
    if overall is Outcome.CREATED:
        return EXIT_CREATED
    return EXIT_UNKNOWN if overall is Outcome.UNKNOWN else EXIT_NOT_CREATED


class _ProgressLine:
    """Upload progress on stderr: a live line on a terminal, stage changes otherwise.

    The live line is ended before anything else is said, so the next message
    starts a line of its own.
    """

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last_stage: Any = None
        self._line_open = False  # a live line was drawn and not yet ended

    def __call__(self, progress: Progress) -> None:
        # Runs on the send's thread: a closed stderr must never stop the send itself.
        with contextlib.suppress(OSError, ValueError):
            self._show(progress)

    def end_line(self) -> None:
        """End the live line, if one is showing (the send is over)."""
        if self._line_open:
            self._line_open = False
            say_plain("")

    def _show(self, progress: Progress) -> None:
        from desktop_app.api.exchange import Stage

        if self._tty and progress.stage is Stage.UPLOADING and progress.total:
            percent = 100 * progress.sent // progress.total
            print(
                f"\rUploading {percent:3d}% ({_size(progress.sent)} of {_size(progress.total)})",
                end="",
                file=sys.stderr,
                flush=True,
            )
            self._line_open = True
            self._last_stage = progress.stage
            return
        if progress.stage is not self._last_stage or progress.detail:
            prefix = "\n" if self._line_open else ""
            self._line_open = False
            text = progress.detail or progress.stage.value
            print(f"{prefix}{text[0].upper()}{text[1:]}...", file=sys.stderr, flush=True)
        self._last_stage = progress.stage


def _escaped(text: str) -> str:
    """``text`` with control characters and direction overrides shown as escapes."""
    from desktop_app.order.names import printable

    return printable(text)


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


# --- the practice server -----------------------------------------------------------------


def cmd_practice(args: argparse.Namespace) -> int:
    from desktop_app.services.practice_env import serve_in_foreground

    try:
        serve_in_foreground(args.port, announce=lambda line: print(line, flush=True))
    except OSError as exc:
        say(f"Cannot start the practice server on port {args.port}: {exc.strerror or exc}.")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run just these commands (the full command line is ``desktop_app.cli.main``)."""
    from desktop_app import APP_ID

    parser = argparse.ArgumentParser(prog=APP_ID)
    add_subcommands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
