"""``order-desk send``, ``sandbox``, ``history`` and ``key``: the sending half of the command line.

Exit codes of ``send`` (scripts rely on them): 0 created; 1 not created
(validation errors, refused, could not connect, no key, already sent,
declined, a plain-http address); 2 the draft cannot be read; 3 the outcome is
unknown (check the CMR dashboard before sending again).

The API key never reaches stdout, stderr or any file: messages name where the
key comes from, never what it is.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app import APP_ID

if TYPE_CHECKING:
    from desktop_app.core.sender import Progress

EXIT_CREATED = 0
EXIT_NOT_CREATED = 1
EXIT_UNREADABLE = 2
EXIT_UNKNOWN = 3


def add_subcommands(subparsers: Any) -> None:
    """Register ``send``, ``sandbox``, ``history`` and ``key`` on an argparse subparsers object."""
    p = subparsers.add_parser(
        "send", help="check and send a draft; exit 0 created, 1 not, 3 unknown"
    )
    p.add_argument("file", type=Path, help="a .cmrorder draft")
    p.add_argument(
        "--base-url", help="API base URL (default: the window's setting, else the production one)"
    )
    p.add_argument("--user-id", help="the userId to send (default: the draft's)")
    p.add_argument(
        "--timeout", type=_positive_seconds, metavar="S", help="seconds to wait for the answer"
    )
    p.add_argument("--yes", action="store_true", help="send without asking (the review is printed)")
    p.add_argument(
        "--again",
        action="store_true",
        help="send even what History shows as already ordered (a second order and charge)",
    )
    p.add_argument(
        "--max-mailboxes",
        type=_mailboxes_per_request,
        metavar="N",
        help="at most N mailboxes per request; a bigger order goes out as several "
        "(default: the window's setting, else 992)",
    )
    p.set_defaults(handler=cmd_send)

    p = subparsers.add_parser("sandbox", help="run the practice server until Ctrl+C")
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    p.set_defaults(handler=cmd_sandbox)

    p = subparsers.add_parser("history", help="list every send attempt")
    p.add_argument("--search", default="", help="only attempts mentioning this text")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write them to a CSV file instead")
    p.set_defaults(handler=cmd_history)

    p = subparsers.add_parser("key", help="set, delete or check the API key in the system keyring")
    actions = p.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    actions.add_parser("set", help="store a key (asked for, or read from stdin)").set_defaults(
        handler=cmd_key_set
    )
    actions.add_parser("delete", help="forget the stored key").set_defaults(handler=cmd_key_delete)
    actions.add_parser("status", help="say whether a key is set; exit 1 when not").set_defaults(
        handler=cmd_key_status
    )


def _positive_seconds(text: str) -> float:
    from desktop_app.core.sender import parse_timeout_seconds

    try:
        return parse_timeout_seconds(text)
    except ValueError as exc:  # argparse shows only this kind's message
        raise argparse.ArgumentTypeError(str(exc)) from None


def _say(message: str) -> None:
    print(f"{APP_ID}: {message}", file=sys.stderr)


# --- send ---------------------------------------------------------------------------


def _mailboxes_per_request(text: str) -> int:
    from desktop_app.core.request_limits import (
        MAX_MAILBOXES_PER_REQUEST,
    )

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_MAILBOXES_PER_REQUEST:
        raise argparse.ArgumentTypeError(
            f"mailboxes per request must be from 1 to {MAX_MAILBOXES_PER_REQUEST}"
        )
    return value


def cmd_send(args: argparse.Namespace) -> int:
    from desktop_app.core import draft_file, send_flow
    from desktop_app.core.history import HISTORY_GUARDS_SENDS, History, HistoryError
    from desktop_app.core.keystore import ENV_VAR, KeyringUnavailable, KeyStore
    from desktop_app.core.sender import url_problem

    try:
        order = draft_file.load(args.file)
    except draft_file.DraftError as exc:
        _say(str(exc))
        return EXIT_UNREADABLE
    if args.user_id is not None:
        order.user_id = args.user_id
    base_url = args.base_url or configured_base_url()
    problem = url_problem(base_url)
    if problem:
        _say(f"{problem} Nothing was sent.")
        return EXIT_NOT_CREATED
    history = History()
    destination = send_flow.Destination(base_url.strip().rstrip("/"))
    try:
        planned = send_flow.plan(
            args.file.name,
            order,
            str(args.file.resolve()),
            destination,
            history,
            args.max_mailboxes or _configured_mailboxes_per_request(),
        )
    except HistoryError as exc:
        _say(f"{exc} {HISTORY_GUARDS_SENDS}")
        return EXIT_NOT_CREATED
    for found in planned.problems:
        print(found, file=sys.stderr)
    if not planned.sendable:
        _say(f"{planned.blocked} Nothing was sent.")
        return EXIT_NOT_CREATED
    try:
        key = KeyStore().get()
    except KeyringUnavailable as exc:  # locked, or silent: not the same as no key
        _say(f"{exc} Or set {ENV_VAR}. Nothing was sent.")
        return EXIT_NOT_CREATED
    if not key:
        _say(f"No API key is set: run `{APP_ID} key set`, or set {ENV_VAR}. Nothing was sent.")
        return EXIT_NOT_CREATED
    print(_review(planned), file=sys.stderr if args.yes else sys.stdout)
    choice = _choose(planned, args)
    if choice is None:
        return EXIT_NOT_CREATED
    job = send_flow.Job(planned, choice, again_whatever=args.again)
    return _send_and_report(job, key, args, history)


def configured_base_url() -> str:
    """The API address the window is set to, else the production one."""
    from desktop_app.core.model import PRODUCTION_BASE_URL

    return _configured("sending/base_url") or PRODUCTION_BASE_URL


def _configured(setting: str) -> str:
    """A value from the window's settings (its settings.ini), or ""."""
    import configparser

    from desktop_app.paths import app_home

    section, _, key = setting.partition("/")
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(app_home() / "settings.ini", encoding="utf-8")
        value = parser.get(section, key, fallback="")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return ""
    return value.strip().strip('"').strip()


def _configured_mailboxes_per_request() -> int:
    from desktop_app.core.request_limits import (
        MAILBOXES_PER_REQUEST_SETTING,
        MAX_MAILBOXES_PER_REQUEST,
    )

    try:
        return _mailboxes_per_request(_configured(MAILBOXES_PER_REQUEST_SETTING))
    except argparse.ArgumentTypeError:
        return MAX_MAILBOXES_PER_REQUEST


def _choose(planned: Any, args: argparse.Namespace) -> Any:
    """The operator's choice for ``planned``, or None (said why) when nothing is to be sent."""
    from desktop_app.core.send_flow import Choice, split_summary

    if not planned.repeats:
        if args.yes or _ask("Send this order? [y/N] "):
            return Choice.SEND
        _say("Not sent.")
        return None
    if args.again:
        if args.yes or _ask("Send it ALL again anyway (a second order and charge)? [y/N] "):
            return Choice.AGAIN
        _say("Not sent.")
        return None
    if args.yes or not planned.remaining:
        what = "Nothing was sent; add --again to send it anyway."
        if not planned.remaining:
            what = "Everything in it was ordered already. " + what
        _say(what)
        return None
    mailboxes = sum(r.counts.mailboxes for r in planned.remaining)
    domains = sum(r.counts.domains for r in planned.remaining)
    parts = split_summary(planned.remaining)
    question = (
        f"Send only what was not ordered yet ({domains:,} domains, {mailboxes:,} mailboxes"
        + (f"; {parts[:-1].lower()}" if parts else "")
        + ")? [y/N] "
    )
    if _ask(question):
        return Choice.LEAVE_OUT
    _say("Not sent.")
    return None


def _review(planned: Any) -> str:
    from desktop_app.core.send_flow import split_summary

    order = planned.order
    counts = [r.counts for r in planned.parts]
    mailboxes = sum(c.mailboxes for c in counts)
    avatars = sum(c.avatars for c in counts)
    missing = mailboxes - avatars
    provider = "Microsoft 365" if order.provider.value == "MICROSOFT" else "Google Workspace"
    lines = [
        f"Order:      {planned.label}",
        f"Endpoint:   {planned.destination.base_url}",
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


def _ask(question: str) -> bool:
    try:
        print(question, end="", flush=True)
        answer = sys.stdin.readline()
    except (OSError, ValueError):  # no stdin at all
        answer = ""
    if not answer:
        print()
    return answer.strip().lower() in ("y", "yes")


def _send_and_report(job: Any, key: str, args: argparse.Namespace, history: Any) -> int:
    from desktop_app.core import send_flow
    from desktop_app.core.ratelimit import CancelToken
    from desktop_app.core.sender import UNKNOWN_ADVICE, OrderSender, Outcome, Timeouts

    timeouts = Timeouts(answer=args.timeout) if args.timeout else Timeouts()
    cancel = CancelToken()
    outcomes: list[send_flow.PartOutcome] = []
    failures: list[str] = []
    done = threading.Event()
    progress = _ProgressLine()

    def run() -> None:
        try:
            send_flow.send(
                [job], sender, history, cancel, lambda name, step: progress(step), outcomes.append
            )
        except Exception as exc:  # a fault of ours, not the network's: the order may be out
            failures.append(type(exc).__name__)
        finally:
            done.set()

    with OrderSender(key, timeouts=timeouts) as sender:
        # The send runs on a thread so Ctrl+C (always delivered to the main
        # thread) can cancel it cleanly and still report the outcome.  Waiting
        # on an Event, not Thread.join: an interrupted join can wrongly mark a
        # running thread as finished on older Pythons.
        worker = threading.Thread(target=run, name="order-send")
        worker.start()
        while not done.is_set():
            try:
                done.wait(0.2)
            except KeyboardInterrupt:
                if not cancel.cancelled:
                    _say("cancelling...")
                cancel.cancel()
        worker.join()
    if sys.stderr.isatty():
        print(file=sys.stderr)  # end the live progress line
    if failures:  # a history row left "sending" reads as unknown
        _say(f"Sending stopped unexpectedly ({failures[0]}). {UNKNOWN_ADVICE}")
        return EXIT_UNKNOWN
    for outcome in outcomes:
        result = outcome.result
        if result.outcome is Outcome.CREATED:
            print(f"orderId: {result.order_id}")
            if result.unavailable_domains:
                print("unavailableDomains: " + ", ".join(result.unavailable_domains))
        if len(outcomes) > 1 or result.outcome is not Outcome.CREATED:
            _say(f"{outcome.name}: {result.outcome.value}. {result.message}")
        elif outcome.unrecorded:
            _say(outcome.unrecorded)
    overall = send_flow.overall(outcomes)
    if overall is Outcome.CREATED:
        return EXIT_CREATED
    return EXIT_UNKNOWN if overall is Outcome.UNKNOWN else EXIT_NOT_CREATED


class _ProgressLine:
    """Upload progress on stderr: a live line on a terminal, stage changes otherwise."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last_stage: Any = None

    def __call__(self, progress: Progress) -> None:
        from desktop_app.core.sender import Stage

        if self._tty and progress.stage is Stage.UPLOADING and progress.total:
            percent = 100 * progress.sent // progress.total
            print(
                f"\rUploading {percent:3d}% ({_size(progress.sent)} of {_size(progress.total)})",
                end="",
                file=sys.stderr,
                flush=True,
            )
            return
        if progress.stage is not self._last_stage or progress.detail:
            prefix = "\n" if self._tty and self._last_stage is Stage.UPLOADING else ""
            text = progress.detail or progress.stage.value
            print(f"{prefix}{text[0].upper()}{text[1:]}...", file=sys.stderr, flush=True)
        self._last_stage = progress.stage


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


# --- sandbox, history, key ------------------------------------------------------------


def cmd_sandbox(args: argparse.Namespace) -> int:
    from desktop_app.core.sandbox import run_foreground

    try:
        run_foreground(args.port, announce=lambda line: print(line, flush=True))
    except OSError as exc:
        _say(f"Cannot start the practice server on port {args.port}: {exc.strerror or exc}.")
        return 1
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from desktop_app.core.history import History, HistoryError

    history = History()
    if args.csv:
        try:
            count = history.export_csv(args.csv, args.search)
        except HistoryError as exc:
            _say(str(exc))
            return 1
        except OSError as exc:
            _say(f"Cannot write {args.csv}: {exc.strerror or exc}.")
            return 1
        print(f"Wrote {count} attempt{'s' * (count != 1)} to {args.csv}.")
        return 0
    try:
        attempts = history.attempts(args.search)
    except HistoryError as exc:
        _say(str(exc))
        return 1
    if not attempts:
        print("No send attempts recorded." if not args.search else "No attempt matches.")
        return 0
    for attempt in attempts:
        print(
            f"{attempt.started}  {attempt.shown_outcome:<11}  "
            f"{attempt.order_id or '-':<28}  userId={attempt.user_id or '-'}  "
            f"{attempt.domains}d/{attempt.mailboxes}m/{attempt.avatars}a  {attempt.endpoint}"
        )
        print(f"    {attempt.shown_message}")
        labels = [attempt.part_label, "practice" if attempt.practice else ""]
        if any(labels):
            print(f"    {', '.join(label for label in labels if label)}")
        if attempt.draft_path:
            print(f"    draft: {attempt.draft_path}")
    return 0


def cmd_key_set(args: argparse.Namespace) -> int:
    from desktop_app.core.keystore import ENV_VAR, KeyringUnavailable, KeyStore

    if sys.stdin.isatty():
        import getpass

        key = getpass.getpass("CMR API key (not shown): ")
    else:
        key = sys.stdin.readline()
    store = KeyStore()
    try:
        store.set(key)
    except ValueError as exc:
        _say(str(exc))
        return 1
    except KeyringUnavailable as exc:
        _say(f"{exc} For scripts, set {ENV_VAR} in the environment instead.")
        return 1
    print("The API key is stored in the system keyring.")
    if os.environ.get(ENV_VAR, "").strip():
        print(f"{ENV_VAR} is set in the environment and is used while it is.")
    return 0


def cmd_key_delete(args: argparse.Namespace) -> int:
    from desktop_app.core.keystore import ENV_VAR, KeyringUnavailable, KeyStore

    try:
        deleted = KeyStore().delete()
    except KeyringUnavailable as exc:
        _say(str(exc))
        return 1
    print("The API key was deleted." if deleted else "No API key was stored.")
    if os.environ.get(ENV_VAR, "").strip():
        print(f"{ENV_VAR} is still set in the environment and is used while it is.")
    return 0


def cmd_key_status(args: argparse.Namespace) -> int:
    from desktop_app.core.keystore import KeyStore

    status = KeyStore().status()
    print(status.describe())
    return 0 if status.is_set else 1


def main(argv: list[str] | None = None) -> int:
    """Run just these commands (the full command line is ``desktop_app.cli``)."""
    parser = argparse.ArgumentParser(prog=APP_ID)
    add_subcommands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
