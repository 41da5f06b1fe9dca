"""CSV files and picture folders from strangers: no formula, no mojibake, nothing that blocks."""

from __future__ import annotations

import csv
import os
import socket

import pytest
from cli_support import order_desk
from factories import make_png
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.draft import csv_io
from desktop_app.draft.csv_io import CsvError, spreadsheet_cell, typed_cell
from desktop_app.draft.picture_folder import read_named_pictures
from desktop_app.order.avatars import AvatarError, avatar_from_file
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.services.history import History

# --- formulas -----------------------------------------------------------------------------


@pytest.fixture
def never_blocks(fails_after):
    """Fail, instead of hanging, past 5 seconds."""
    fails_after(5, "blocked on a file that never delivers bytes")


def test_export_never_writes_a_cell_a_spreadsheet_runs(tmp_path):
    order = Order(
        domains=[DomainEntry("a.com", 1, '=HYPERLINK("http://evil")')],
        mailboxes=[
            Mailbox("a.com", "ann", "=1+2", "@SUM(A1)"),
            Mailbox("a.com", "bob", "+cmd|' /C calc'!A0", "-2"),
            Mailbox("a.com", "cat", "\tTab", "\rReturn"),
        ],
    )
    csv_io.write_domains(order, tmp_path / "d.csv")
    csv_io.write_mailboxes(order, tmp_path / "m.csv")
    for name in ("d.csv", "m.csv"):
        with open(tmp_path / name, newline="", encoding="utf-8") as stream:
            cells = [cell for row in csv.reader(stream) for cell in row]
        assert cells and not [c for c in cells if c.startswith(csv_io.FORMULA_STARTS)]
    back = csv_io.read_mailboxes(tmp_path / "m.csv")
    assert [(m.first_name, m.last_name) for m in back] == [
        (m.first_name, m.last_name) for m in order.mailboxes
    ]
    assert csv_io.read_domains(tmp_path / "d.csv")[0].forward_to == order.domains[0].forward_to


def test_history_csv_never_writes_a_cell_a_spreadsheet_runs(tmp_path):
    from send_support import small_order

    from desktop_app.api.outcome import Outcome, SendResult
    from desktop_app.api.payload import build_request

    history = History()
    request = build_request(small_order(2), "https://api.example.com")
    answer = "=cmd|' /C calc'!A0"  # what a hostile server may answer, kept in History
    history.record(request, SendResult(Outcome.NOT_CREATED, "@SUM(1)", server_message=answer))
    target = tmp_path / "history.csv"
    assert history.export_csv(target) == 1
    with open(target, newline="", encoding="utf-8") as stream:
        cells = [cell for row in csv.reader(stream) for cell in row]
    assert "'" + answer in cells and "'@SUM(1)" in cells
    assert not [c for c in cells if c.startswith(csv_io.FORMULA_STARTS)]


# Text as typed into a cell: import trims each cell, so text typed with spaces
# around it is not text export and import can keep (as before); NUL is refused.
# Nothing typed holds a lone surrogate (it cannot be written as UTF-8 at all).
typed = st.text(
    st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12
).filter(lambda v: v == v.rstrip() and (v == v.lstrip() or v[:1] in ("\t", "\r")))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(typed, typed), min_size=1, max_size=4))
def test_export_then_import_gives_back_what_was_typed(tmp_path_factory, names):
    folder = tmp_path_factory.mktemp("csv")
    order = Order(
        mailboxes=[Mailbox("a.com", f"u{i}", first, last) for i, (first, last) in enumerate(names)]
    )
    csv_io.write_mailboxes(order, folder / "m.csv")
    back = csv_io.read_mailboxes(folder / "m.csv")
    assert [(m.first_name, m.last_name) for m in back] == names


@given(st.text(max_size=8))
def test_the_cell_prefix_comes_off_exactly(value):
    assert typed_cell(spreadsheet_cell(value)) == value
    assert not spreadsheet_cell(value).startswith(csv_io.FORMULA_STARTS)


# --- encodings ---------------------------------------------------------------------------


def test_a_utf8_file_with_a_stray_windows_byte_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(
        "email,firstName,lastName\nann@a.com,Ann,Kovács\n".encode()
        + b"bob@a.com,Bob,Lee\ncat@a.com,Ren\xe9e,Cole\n"
    )
    with pytest.raises(CsvError) as caught:
        csv_io.read_mailboxes(path)
    message = str(caught.value)
    assert "m.csv line 4" in message and "UTF-8" in message and "\n" not in message


def test_a_file_all_in_the_windows_code_page_still_reads(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("email,firstName,lastName\nann@a.com,Ann,Kovács\n".encode("cp1252"))
    assert csv_io.read_mailboxes(path)[0].last_name == "Kovács"


# --- picture folders ------------------------------------------------------------------------


@pytest.fixture
def odd_folder(tmp_path):
    """A picture folder with one good picture beside a FIFO, a socket and links out of it."""
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "ann@a.com.png").write_bytes(make_png())
    os.mkfifo(folder / "bob@a.com.png")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "cat@a.com.png"))
    outside = tmp_path / "secret.png"
    outside.write_bytes(make_png((1, 2, 3)))
    (folder / "dan@a.com.png").symlink_to(outside)
    (folder / "eve@a.com.png").symlink_to("/dev/zero")
    (folder / "fay@a.com.png").symlink_to(folder / "ann@a.com.png")  # inside: fine
    yield folder
    server.close()


def test_a_picture_folder_skips_pipes_sockets_and_links_out_with_a_note(odd_folder, never_blocks):
    order = Order(
        mailboxes=[
            Mailbox("a.com", name, "A", "B") for name in ("ann", "bob", "cat", "dan", "eve", "fay")
        ]
    )
    pictures = read_named_pictures([odd_folder], {m.key for m in order.mailboxes})
    pictures.attach_to(order)
    messages = pictures.report_lines()
    given = {m.username for m in order.mailboxes if m.avatar is not None}
    assert given == {"ann", "fay"}
    text = " ".join(messages)
    assert "bob@a.com.png is a pipe" in text and "cat@a.com.png is a socket" in text
    assert "dan@a.com.png is a link to outside the folder" in text
    assert "eve@a.com.png is a link to outside the folder" in text
    assert len(messages) == 4


def test_a_fifo_given_as_a_picture_file_is_refused_without_blocking(tmp_path, never_blocks):
    fifo = tmp_path / "ann@a.com.png"
    os.mkfifo(fifo)
    with pytest.raises(AvatarError, match="is a pipe"):
        avatar_from_file(fifo)
    with pytest.raises(AvatarError, match="is a device"):
        avatar_from_file(type(fifo)("/dev/zero"))


def test_import_with_a_fifo_in_the_picture_folder_finishes(tmp_path, odd_folder):

    (tmp_path / "d.csv").write_text("domain\na.com\n")
    (tmp_path / "m.csv").write_text("email,firstName,lastName\nann@a.com,Ann,Lee\nbob@a.com,B,C\n")
    result = order_desk(
        "import",
        "--domains",
        tmp_path / "d.csv",
        "--mailboxes",
        tmp_path / "m.csv",
        "--avatars",
        odd_folder,
        "-o",
        tmp_path / "out.cmrorder",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "bob@a.com.png is a pipe" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out.cmrorder").stat().st_size > 0
