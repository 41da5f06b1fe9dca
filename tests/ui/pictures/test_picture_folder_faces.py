"""One folder through both faces: ``order-desk import --avatars`` and a drop on the window."""

from __future__ import annotations

import os

import pytest
from cli_support import order_desk
from factories import make_jpeg, make_png

from desktop_app.draft import csv_io, draft_file
from desktop_app.order.avatars import avatar_from_file
from desktop_app.order.model import Order

pytestmark = pytest.mark.gui

KEPT = "kept as an unassigned picture."


@pytest.fixture
def mixed_folder(tmp_path):
    """Duplicates (case, IDN), an unmatched picture, hidden files, junk, a bad picture, a pipe."""
    folder = tmp_path / "faces"
    folder.mkdir()
    pictures = {
        "ann@alpha.com.png": make_png((200, 40, 40), 80),
        "Ann@Alpha.com.jpg": make_jpeg((40, 40, 200), 80),  # first by name: "A" before "a"
        "bo@bücher.de.png": make_png((10, 200, 10), 60),
        "bo@xn--bcher-kva.de.jpg": make_jpeg((10, 10, 10), 60),  # after "bü…": "x" comes later
        "nobody@alpha.com.png": make_png((90, 90, 90), 50),
        "cat@beta.org.png": b"\x89PNG\r\n\x1a\nthis is not really a picture",
        "portrait.jpg": make_jpeg(),
        ".hidden@alpha.com.png": make_png(),
        ".DS_Store": b"\0\0\0\1Bud1",
        "notes.txt": b"not a picture",
        "Thumbs.db": b"\0",
    }
    for name, data in pictures.items():
        (folder / name).write_bytes(data)
    os.mkfifo(folder / "dan@alpha.com.png")
    (folder / "nested").mkdir()
    return folder


@pytest.fixture
def csv_files(tmp_path):
    domains = tmp_path / "domains.csv"
    domains.write_text("domain\nalpha.com\nbeta.org\nbücher.de\n", encoding="utf-8")
    mailboxes = tmp_path / "mailboxes.csv"
    mailboxes.write_text(
        "email,firstName,lastName\n"
        "ann@alpha.com,Ann,Archer\ncat@beta.org,Cat,Cole\ndan@alpha.com,Dan,Dale\n"
        "bo@bücher.de,Bo,Berg\n",
        encoding="utf-8",
    )
    return domains, mailboxes


def assignment(order: Order) -> dict[str, str | None]:
    return {m.key: m.avatar.digest if m.avatar else None for m in order.mailboxes}


def digest_of(path) -> str:
    return avatar_from_file(path).digest


def unassigned(order: Order) -> dict[str, str]:
    return {key: avatar.digest for key, avatar in order.unassigned_avatars.items()}


def test_the_command_line_and_the_window_read_a_folder_alike(
    window, tmp_path, mixed_folder, csv_files, wait_for_pictures, fails_after
):
    fails_after(120, "reading the picture folder hung")
    domains, mailboxes = csv_files
    out = tmp_path / "imported.cmrorder"
    result = order_desk(
        "import",
        "--domains",
        domains,
        "--mailboxes",
        mailboxes,
        "--avatars",
        mixed_folder,
        "-o",
        out,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    said = result.stderr.splitlines()
    cli_warnings = [
        line.removeprefix("warning: ")
        for line in said
        if line.startswith("warning: ") and not line.endswith(KEPT)
    ]
    cli_kept = [line.removeprefix("warning: ") for line in said if line.endswith(KEPT)]
    imported = draft_file.load(out)

    order = Order(domains=csv_io.read_domains(domains), mailboxes=csv_io.read_mailboxes(mailboxes))
    window.document.replace(order, None)
    undo_before = window.document.undo_stack.count()
    window.avatars.set_from_paths([], [str(mixed_folder)])
    wait_for_pictures(window)
    message = window.avatar_pane.message_text()

    # The same pictures for the same mailboxes, the same ones kept unassigned.
    assert assignment(window.document.order) == assignment(imported)
    assert unassigned(window.document.order) == unassigned(imported)
    # And what that is, so neither face can agree with the other by losing pictures.
    got = assignment(window.document.order)
    assert got == {
        "ann@alpha.com": digest_of(mixed_folder / "Ann@Alpha.com.jpg"),
        "cat@beta.org": None,
        "dan@alpha.com": None,
        "bo@xn--bcher-kva.de": digest_of(mixed_folder / "bo@bücher.de.png"),
    }
    assert list(imported.unassigned_avatars) == ["nobody@alpha.com"]

    # The same warnings, in the same order, each naming its file.
    assert cli_warnings == [
        "ann@alpha.com.png is a second picture for ann@alpha.com after Ann@Alpha.com.jpg; skipped.",
        "bo@xn--bcher-kva.de.jpg is a second picture for bo@xn--bcher-kva.de after "
        "bo@bücher.de.png; skipped.",
        "cat@beta.org.png is not an image Order Desk can read (PNG, JPEG, GIF, WebP, BMP or "
        "TIFF); skipped.",
        "dan@alpha.com.png is a pipe, not a picture file; skipped.",
        "portrait.jpg is not named username@domain; skipped.",
    ]
    assert " ".join(cli_warnings) in message
    assert cli_kept == [f"nobody@alpha.com.png matches no mailbox in the order; {KEPT}"]
    assert "1 picture matched no mailbox and is kept as unassigned" in message
    assert "nobody@alpha.com.png" in message
    assert "note: Skipped 2 files that are not pictures." in said
    assert message.endswith("Skipped 2 files that are not pictures.")
    assert ".hidden" not in result.stderr + message and ".DS_Store" not in result.stderr + message
    assert "Traceback" not in result.stderr

    # In the window it is one step, the unassigned picture included.
    assert window.document.undo_stack.count() == undo_before + 1
    window.document.undo_stack.undo()
    assert window.document.order.avatar_count() == 0
    assert window.document.order.unassigned_avatars == {}
