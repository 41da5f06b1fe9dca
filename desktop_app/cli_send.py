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
    from desktop_app.core.history import Attempt
    from desktop_app.core.payload import OrderRequest
    from desktop_app.core.sender import Progress, SendResult

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
    p.add_argument("--yes", action="store_true", help="send without showing the review")
    p.add_argument("--again", action="store_true", help="send even if this exact order was sent")
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
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the timeout must be more than 0 seconds")
    return value


def _say(message: str) -> None:
    print(f"{APP_ID}: {message}", file=sys.stderr)


# --- send ---------------------------------------------------------------------------


def cmd_send(args: argparse.Namespace) -> int:
    from desktop_app.core import draft_file
    from desktop_app.core.keystore import ENV_VAR, KeyringUnavailable, KeyStore
    from desktop_app.core.model import PRODUCTION_BASE_URL
    from desktop_app.core.payload import OrderNotReady, build_request
    from desktop_app.core.sender import url_problem
    from desktop_app.core.validation import Severity, validate

    try:
        order = draft_file.load(args.file)
    except draft_file.DraftError as exc:
        _say(str(exc))
        return EXIT_UNREADABLE
    if args.user_id is not None:
        order.user_id = args.user_id
    problems = validate(order)
    for problem in problems:
        print(problem, file=sys.stderr)
    base_url = args.base_url or _configured_base_url() or PRODUCTION_BASE_URL
    try:
        request = build_request(order, base_url)
    except OrderNotReady as exc:
        _say(f"{exc} Nothing was sent.")
        return EXIT_NOT_CREATED
    problem = url_problem(request.url)
    if problem:
        _say(f"{problem} Nothing was sent.")
        return EXIT_NOT_CREATED
    try:
        key = KeyStore().get()
    except KeyringUnavailable as exc:  # locked, or silent: not the same as no key
        _say(f"{exc} Or set {ENV_VAR}. Nothing was sent.")
        return EXIT_NOT_CREATED
    if not key:
        _say(f"No API key is set: run `{APP_ID} key set`, or set {ENV_VAR}. Nothing was sent.")
        return EXIT_NOT_CREATED

    from desktop_app.core.history import HISTORY_GUARDS_SENDS, History, HistoryError

    history = History()
    try:
        earlier = history.earlier_attempts(request.fingerprint)
    except HistoryError as exc:
        _say(f"{exc} {HISTORY_GUARDS_SENDS}")
        return EXIT_NOT_CREATED
    if earlier and not args.again:
        _say(_already_sent(earlier[0]) + " Nothing was sent; add --again to send it anyway.")
        return EXIT_NOT_CREATED
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    if not args.yes:
        print(_review(args.file, order.confirm, request, len(warnings), earlier))
        if not _ask("Send this order? [y/N] "):
            _say("Not sent.")
            return EXIT_NOT_CREATED
    return _send_and_report(request, key, args, history)


def _configured_base_url() -> str:
    """The API address set in the window's settings (its settings.ini), or ""."""
    import configparser

    from desktop_app.core.sender import BASE_URL_SETTING
    from desktop_app.paths import app_home

    section, _, key = BASE_URL_SETTING.partition("/")
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(app_home() / "settings.ini", encoding="utf-8")
        value = parser.get(section, key, fallback="")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return ""
    return value.strip().strip('"').strip()


def _review(
    path: Path, confirm: bool, request: OrderRequest, warnings: int, earlier: list[Attempt]
) -> str:
    counts = request.counts
    missing = counts.mailboxes - counts.avatars
    lines = [
        f"Order:      {path.name}",
        f"Endpoint:   {request.url}",
        f"Provider:   {request.field('serviceProvider')}",
        f"Domains:    {counts.domains}",
        f"Mailboxes:  {counts.mailboxes}",
        f"Avatars:    {counts.avatars}"
        + (f" ({missing} mailboxes without one)" if missing else ""),
        f"Warnings:   {warnings}",
    ]
    if earlier:
        lines.append("")
        lines.append("NOTE: " + _already_sent(earlier[0]))
    if confirm:
        lines += [
            "",
            "!!! CONFIRM IS ON: the order is processed at once and charged to your wallet. !!!",
        ]
    return "\n".join(lines)


def _already_sent(attempt: Attempt) -> str:
    if attempt.order_id:
        return f"This exact order was already sent on {attempt.started} (order {attempt.order_id})."
    return (
        f"This exact order was already sent on {attempt.started} and its outcome is unknown; "
        "check the CMR dashboard."
    )


def _ask(question: str) -> bool:
    try:
        print(question, end="", flush=True)
        answer = sys.stdin.readline()
    except (OSError, ValueError):  # no stdin at all
        answer = ""
    if not answer:
        print()
    return answer.strip().lower() in ("y", "yes")


def _send_and_report(
    request: OrderRequest, key: str, args: argparse.Namespace, history: Any
) -> int:
    from desktop_app.core.history import HISTORY_GUARDS_SENDS, HistoryError
    from desktop_app.core.ratelimit import CancelToken
    from desktop_app.core.sender import UNKNOWN_ADVICE, OrderSender, Outcome, Timeouts

    timeouts = Timeouts(answer=args.timeout) if args.timeout else Timeouts()
    cancel = CancelToken()
    results: list[SendResult] = []
    failures: list[str] = []
    try:
        attempt_id = history.begin(request, str(args.file.resolve()))
    except HistoryError as exc:
        _say(f"{exc} {HISTORY_GUARDS_SENDS}")
        return EXIT_NOT_CREATED
    done = threading.Event()

    def run() -> None:
        try:
            results.append(sender.send(request, cancel, _ProgressLine()))
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
    if not results:  # the history row stays "sending", which reads as unknown
        _say(f"Sending stopped unexpectedly ({failures[0]}). {UNKNOWN_ADVICE}")
        return EXIT_UNKNOWN
    result = results[0]
    try:
        history.finish(attempt_id, result)
    except HistoryError as exc:  # the outcome below still stands: say it, and say this
        _say(f"{exc} This outcome is not in the history: keep a note of it.")
    if result.outcome is Outcome.CREATED:
        print(f"orderId: {result.order_id}")
        if result.unavailable_domains:
            print("unavailableDomains: " + ", ".join(result.unavailable_domains))
        return EXIT_CREATED
    _say(result.message)
    return EXIT_UNKNOWN if result.outcome is Outcome.UNKNOWN else EXIT_NOT_CREATED


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
    from desktop_app.core.history import History

    history = History()
    if args.csv:
        try:
            count = history.export_csv(args.csv, args.search)
        except OSError as exc:
            _say(f"Cannot write {args.csv}: {exc.strerror or exc}.")
            return 1
        print(f"Wrote {count} attempt{'s' * (count != 1)} to {args.csv}.")
        return 0
    try:
        attempts = history.attempts(args.search)
    except OSError as exc:
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
