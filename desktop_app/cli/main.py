"""The ``order-desk`` command line.

Scripts depend on these names and exit codes, so they are part of the
product: ``validate`` exits 0 (no errors), 1 (errors) or 2 (not a readable
draft).  Every failure is one sentence on stderr, never a traceback.

Modules are imported inside the handlers: ``order-desk validate`` must not
pay for Qt, and opening the window must not pay for httpx.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desktop_app import APP_ID, __version__
from desktop_app.cli.common import CommandError, load_draft
from desktop_app.services.paths import HomeUnusable

if TYPE_CHECKING:
    from desktop_app.order.model import Order
    from desktop_app.order.problems import Problem

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNREADABLE = 2


def _print_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    from desktop_app.order.names import printable

    # Looked up when called, not bound at import: a redirected stdout is honoured.
    for problem in problems:
        print(printable(str(problem)), file=stream or sys.stdout)


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _summary(problems: Sequence[Problem]) -> str:
    from desktop_app.order.validation import Severity

    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def cmd_validate(args: argparse.Namespace) -> int:
    from desktop_app.order.problems import Table, error
    from desktop_app.order.validation import has_errors, validate

    order = load_draft(args.file)
    bought, refused = _bought(order, args.env, args.base_url)
    problems = validate(order, bought, _mailboxes_per_domain())
    if refused:  # `send` with the same options would refuse: so does the check
        from desktop_app.services.environments import Environment

        label = (args.env or Environment.PRODUCTION).label
        problems.insert(0, error(Table.SETTINGS, refused, column=f"{label} address"))
    _print_problems(problems)
    from desktop_app.order.names import printable

    print(printable(f"{args.file.name}: {_summary(problems)}"))
    return EXIT_PROBLEMS if has_errors(problems) else EXIT_OK


def _bought(order: Any, environment: Any, base_url: str | None) -> tuple[dict[str, Any], str]:
    """What History shows as ordered where ``send`` with the same ``--env`` and ``--base-url``
    would send, for the draft's user ID; and why ``send`` would refuse that place ("" if not).
    """
    from desktop_app.cli.common import settings
    from desktop_app.services.destinations import (
        PRACTICE,
        PRODUCTION,
        Destination,
        DestinationRefused,
        resolve,
    )
    from desktop_app.services.history import History, HistoryError

    environment = environment or PRODUCTION
    try:
        if environment is PRACTICE and not base_url:  # one place, whatever its server's port
            where = Destination("", PRACTICE)
        else:
            where = resolve(environment, settings(), base_url)
    except DestinationRefused as exc:
        return {}, str(exc)
    try:
        return History().bought(where.base_url, order.user_id, where.environment.value), ""
    except HistoryError as exc:
        print(f"warning: {exc} Domains already ordered are not checked.", file=sys.stderr)
        return {}, ""


def _mailboxes_per_domain() -> Any:
    """The mailboxes per domain the settings allow, as the window reads them."""
    from desktop_app.cli.common import settings
    from desktop_app.services.settings import mailboxes_per_domain

    return mailboxes_per_domain(settings())


def cmd_import(args: argparse.Namespace) -> int:
    from desktop_app.cli.draft_fields import apply_fields, field_values
    from desktop_app.draft import csv_io, draft_file
    from desktop_app.order.model import Order
    from desktop_app.order.validation import validate

    fields = field_values(args)  # a bad value is refused before any file is read
    if args.output.exists() and not args.replace:  # a draft's own edits would be lost
        raise CommandError(
            f"{args.output} exists: nothing was written. Change it with `order-desk set`, "
            "or add --replace to write a new draft over it."
        )
    order = Order(name=args.output.stem)
    apply_fields(order, fields)
    try:
        order.domains = csv_io.read_domains(args.domains)
        if args.mailboxes:
            order.mailboxes = csv_io.read_mailboxes(args.mailboxes)
    except csv_io.CsvError as exc:
        raise CommandError(str(exc)) from None
    # The limits of opening a draft, checked before the pictures are read.
    too_big = draft_file.limits_problem(order)
    if too_big is not None:
        raise CommandError(f"{args.output.name} was not written: {too_big}.")
    if args.avatars:
        _attach_picture_folder(order, args.avatars)
    try:
        draft_file.save(order, args.output)
    except draft_file.DraftError as exc:
        raise CommandError(str(exc)) from None
    problems = validate(order, None, _mailboxes_per_domain())
    _print_problems(problems)
    print(
        f"Wrote {args.output}: {_count(len(order.domains), 'domain')}, "
        f"{_count(len(order.mailboxes), 'mailbox', 'mailboxes')}, "
        f"{_count(order.avatar_count(), 'avatar')} ({_summary(problems)})."
    )
    return EXIT_OK


def _attach_picture_folder(order: Order, folder: Path) -> None:
    """Give the order the pictures of ``folder`` by the app's one picture-folder rule."""
    from desktop_app.draft.picture_folder import read_named_pictures
    from desktop_app.order.names import printable

    if not folder.is_dir():
        raise CommandError(f"{folder} is not a folder of pictures.")
    pictures = read_named_pictures([folder], {m.key for m in order.mailboxes})
    if pictures.unreadable:
        raise CommandError(pictures.unreadable[0])
    pictures.attach_to(order)
    for sentence in [*pictures.warnings, *pictures.unassigned_lines()]:
        print(f"warning: {printable(sentence)}", file=sys.stderr)
    skipped = pictures.skipped_line()
    if skipped:
        print(f"note: {skipped}", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from desktop_app.draft import csv_io

    order = load_draft(args.file)
    try:
        csv_io.write_domains(order, args.domains)
        csv_io.write_mailboxes(order, args.mailboxes)
    except csv_io.CsvError as exc:
        raise CommandError(str(exc)) from None
    print(f"Wrote {args.domains} and {args.mailboxes}.")
    return EXIT_OK


def cmd_curl(args: argparse.Namespace) -> int:
    from desktop_app.api.curl import curl_command, write_avatar_files
    from desktop_app.api.payload import OrderNotReady, build_request
    from desktop_app.order.model import PRODUCTION_BASE_URL

    order = load_draft(args.file)
    try:
        request = build_request(order, args.base_url or PRODUCTION_BASE_URL)
    except OrderNotReady as exc:
        _print_problems(exc.problems, sys.stderr)
        raise CommandError(str(exc), EXIT_PROBLEMS) from None
    folder = args.avatars_dir or args.file.with_name(args.file.stem + "-avatars")
    try:
        paths = write_avatar_files(request, folder) if request.files else {}
    except OSError as exc:
        raise CommandError(
            f"Cannot write the avatars to {folder}: {exc.strerror or exc}."
        ) from None
    print(curl_command(request, paths))
    if paths:
        print(f"# {_count(len(paths), 'avatar file')} written to {folder}", file=sys.stderr)
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    problem = _display_problem()
    if problem:
        raise CommandError(problem)
    try:
        from desktop_app.ui.window.app import run_window
    except ImportError as exc:  # a system library Qt links to is missing
        raise CommandError(
            f"Qt cannot start ({exc}). Install the system libraries it needs: "
            "see the README's Quick start."
        ) from None

    draft = getattr(args, "file", None)
    return run_window(
        draft,
        screenshot=getattr(args, "screenshot", None),
        practice=getattr(args, "practice", False) or args.practice_window,
    )


def _display_problem() -> str | None:
    """Why no window can be shown here, or None.

    Without a display Qt aborts the whole process with a core dump; a sentence
    saying what to do instead is kinder.
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is "
        "set). Run it in a desktop session, use the commands (order-desk --help), or set "
        "QT_QPA_PLATFORM=offscreen to render with --screenshot."
    )


def build_parser(window_only: bool = False) -> argparse.ArgumentParser:
    """The whole command line, or with ``window_only`` just what opening the window needs."""
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description=(
            "Draft, check and send ColdMailReseller orders. Without a command, opens the window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="check that this installation works, then exit"
    )
    parser.add_argument(
        "--practice",
        dest="practice_window",
        action="store_true",
        help="open the window in practice mode (as `open --practice`)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_open(commands)
    if window_only:
        return parser

    p = commands.add_parser("validate", help="check a draft; exit 0 clean, 1 errors, 2 unreadable")
    p.add_argument("file", type=Path, help="a .cmrorder draft")
    p.add_argument(
        "--base-url",
        help="warn about what History shows as ordered there (default: the window's setting)",
    )
    from desktop_app.cli.common import add_environment_option

    add_environment_option(p, "whose History shows what was ordered, as for send")
    p.set_defaults(handler=cmd_validate)

    p = commands.add_parser("import", help="build a draft from CSV files and an avatar folder")
    p.add_argument(
        "--domains", type=Path, required=True, help="CSV: domain,years,forwardTo,maskForwarding"
    )
    p.add_argument(
        "--mailboxes",
        type=Path,
        help="CSV: email,firstName,lastName or domain,username,firstName,lastName",
    )
    p.add_argument("--avatars", type=Path, help="folder of pictures named username@domain.png/.jpg")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .cmrorder file to write")
    p.add_argument(
        "--replace", action="store_true", help="write over FILE when it exists (its draft is lost)"
    )
    from desktop_app.cli.draft_fields import add_field_options, add_set_command

    add_field_options(p)
    p.set_defaults(handler=cmd_import)
    add_set_command(commands)

    p = commands.add_parser("export", help="write a draft's domains and mailboxes as CSV files")
    p.add_argument("file", type=Path)
    p.add_argument("--domains", type=Path, required=True)
    p.add_argument("--mailboxes", type=Path, required=True)
    p.set_defaults(handler=cmd_export)

    p = commands.add_parser("curl", help="print the equivalent curl command (the key as <api-key>)")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--avatars-dir",
        type=Path,
        help="where to write the avatar files (default: beside the draft)",
    )
    p.add_argument("--base-url", help="API base URL (default: the production one)")
    p.set_defaults(handler=cmd_curl)

    from desktop_app.cli.send import add_subcommands

    add_subcommands(commands)
    return parser


def _add_open(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("open", help="open the window, optionally with a draft")
    p.add_argument("file", type=Path, nargs="?")
    p.add_argument(
        "--screenshot", type=Path, metavar="PNG", help="render the window to PNG and exit"
    )
    p.add_argument(
        "--practice", action="store_true", help="start in practice mode (local practice server)"
    )
    p.set_defaults(handler=cmd_open)


def main(argv: Sequence[str] | None = None) -> int:
    from desktop_app.cli.streams import prepare

    prepare()  # before anything is printed: output that can never silently stop
    owns_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    # Opening the window is what people do most, and its start-up is measured:
    # it skips building (and importing) the parsers of the other commands.
    parser = build_parser(window_only=not argv or argv[0] == "open" or argv == ["--practice"])
    args = parser.parse_args(argv)
    # Run as the program (not called with arguments from other code): the process is ours
    # until it exits, and Ctrl+C handling may stay as a send set it.
    args.owns_process = owns_process
    a_command = owns_process and getattr(args, "handler", cmd_open) is not cmd_open
    if a_command:
        from desktop_app.cli import interrupts

        interrupts.interrupt_once()
    try:
        if args.practice_window and getattr(args, "handler", cmd_open) is not cmd_open:
            raise CommandError(
                "--practice before a command opens the window; "
                "to use the practice server, give the command --env practice."
            )
        if args.self_test:
            from desktop_app.self_check.checks import run_self_test

            return run_self_test()
        handler = getattr(args, "handler", cmd_open)
        return int(handler(args))
    except CommandError as exc:
        print(f"{APP_ID}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{APP_ID}: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except HomeUnusable as exc:
        print(f"{APP_ID}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the last line of defence: a sentence, never a traceback
        from desktop_app.services import crash_log

        log = crash_log.record(exc, "order-desk command")
        print(
            f"{APP_ID}: something unexpected went wrong ({type(exc).__name__}: {exc}). "
            f"Details are in {log}.",
            file=sys.stderr,
        )
        return 70
    finally:
        if a_command:
            interrupts.ignore_from_now()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
