"""The one picture-folder rule: order, duplicates, unassigned, hidden, junk, bad pictures."""

from __future__ import annotations

import io
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from factories import make_jpeg_with_exif_gps, make_png
from PIL import Image

from desktop_app.draft.picture_folder import is_hidden, read_named_pictures
from desktop_app.order.avatars import MAX_SIDE, avatar_from_bytes, normalised_shape
from desktop_app.order.model import Mailbox, Order


def keys_of(order: Order) -> set[str]:
    return {m.key for m in order.mailboxes}


def folder_of(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "pictures"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_an_avatar_folder(tmp_path):
    order = Order(
        mailboxes=[
            Mailbox("shop.com", "ann", "Ann", "Lee"),
            Mailbox("shop.com", "Bob", "Bob", "Roe"),
            Mailbox("bücher.de", "cy", "Cy", "Poe"),
        ]
    )
    folder = folder_of(
        tmp_path,
        {
            "ann@shop.com.png": make_png((1, 2, 3), 40),
            "BOB@SHOP.COM.jpg": make_jpeg_with_exif_gps(size=(900, 700)),
            "cy@xn--bcher-kva.de.png": make_png((4, 5, 6), 40),
            "dee@shop.com.png": make_png((7, 8, 9), 40),
            "notes.txt": b"hello",
            "portrait.png": make_png(),
            "eve@shop.com.png": b"\x89PNG\r\n\x1a\n not really",
            ".DS_Store": b"\0\0",
        },
    )
    (folder / "nested").mkdir()

    pictures = read_named_pictures([folder], keys_of(order))
    pictures.attach_to(order)

    ann, bob, cy = (m.avatar for m in order.mailboxes)
    assert ann.read() == make_png((1, 2, 3), 40)
    image = Image.open(io.BytesIO(bob.read()))
    assert image.size == (MAX_SIDE, MAX_SIDE) and not image.getexif()  # normalised, GPS gone
    assert normalised_shape(bob.read()) is not None
    assert cy is not None  # the punycode spelling matches the domain as typed
    assert list(order.unassigned_avatars) == ["dee@shop.com"]
    assert order.unassigned_avatars["dee@shop.com"].read() == make_png((7, 8, 9), 40)
    assert [p.file for p in pictures.unassigned] == ["dee@shop.com.png"]
    assert [(p.file, p.key) for p in pictures.assigned] == [
        ("BOB@SHOP.COM.jpg", "BOB@SHOP.COM"),
        ("ann@shop.com.png", "ann@shop.com"),
        ("cy@xn--bcher-kva.de.png", "cy@xn--bcher-kva.de"),
    ]
    assert len(pictures.warnings) == 2
    assert pictures.warnings[0].startswith("eve@shop.com.png ")
    assert pictures.warnings[1] == "portrait.png is not named username@domain; skipped."
    assert pictures.skipped == 1 and pictures.found == 6
    assert pictures.report_lines() == [
        *pictures.warnings,
        "dee@shop.com.png matches no mailbox in the order; kept as an unassigned picture.",
        "Skipped 1 file that is not a picture.",
    ]
    assert all(m.endswith(".") and "\n" not in m for m in pictures.report_lines())


def test_of_two_files_for_one_mailbox_the_first_by_name_wins(tmp_path):
    order = Order(mailboxes=[Mailbox("x.com", "ann", "Ann", "Lee")])
    # By code point "A" comes before "a": Ann@x.com.png is first on every computer.
    folder = folder_of(
        tmp_path,
        {"ann@x.com.jpg": make_png((1, 1, 1), 20), "Ann@x.com.png": make_png((2, 2, 2), 20)},
    )
    pictures = read_named_pictures([folder], keys_of(order))
    pictures.attach_to(order)
    assert order.mailboxes[0].avatar.read() == make_png((2, 2, 2), 20)
    assert pictures.warnings == [
        "ann@x.com.jpg is a second picture for ann@x.com after Ann@x.com.png; skipped."
    ]
    assert not pictures.unassigned and not order.unassigned_avatars


def test_two_spellings_of_an_international_domain_are_one_mailbox(tmp_path):
    folder = folder_of(
        tmp_path,
        {
            "user@xn--bcher-kva.de.png": make_png((1, 1, 1), 20),
            "user@bücher.de.png": make_png((2, 2, 2), 20),
        },
    )
    order = Order(mailboxes=[Mailbox("bücher.de", "user", "U", "Ser")])
    pictures = read_named_pictures([folder], keys_of(order))
    pictures.attach_to(order)
    assert order.mailboxes[0].avatar.read() == make_png((2, 2, 2), 20)
    assert pictures.warnings == [
        "user@xn--bcher-kva.de.png is a second picture for user@xn--bcher-kva.de "
        "after user@bücher.de.png; skipped."
    ]


def test_two_spellings_of_an_unmatched_mailbox_keep_one_unassigned_picture(tmp_path):
    folder = folder_of(
        tmp_path,
        {
            "USER@xn--bcher-kva.de.png": make_png((1, 1, 1), 20),
            "user@bücher.de.png": make_png((2, 2, 2), 20),
        },
    )
    order = Order()
    pictures = read_named_pictures([folder], keys_of(order))
    pictures.attach_to(order)
    assert list(order.unassigned_avatars) == ["USER@xn--bcher-kva.de"]
    assert order.unassigned_avatars["USER@xn--bcher-kva.de"].read() == make_png((1, 1, 1), 20)
    assert pictures.warnings == [
        "user@bücher.de.png is a second picture for user@bücher.de "
        "after USER@xn--bcher-kva.de.png; skipped."
    ]


def test_a_first_picture_that_cannot_be_used_gives_way_to_the_next(tmp_path):
    folder = folder_of(
        tmp_path,
        {
            "ann@a.com.gif": b"GIF89a not really",
            "ann@a.com.png": make_png((2, 2, 2), 20),
            "ann@a.com.tif": make_png((3, 3, 3), 20),
        },
    )
    order = Order(mailboxes=[Mailbox("a.com", "ann", "Ann", "Lee")])
    pictures = read_named_pictures([folder], keys_of(order))
    pictures.attach_to(order)
    assert order.mailboxes[0].avatar.read() == make_png((2, 2, 2), 20)
    assert pictures.warnings == [
        "ann@a.com.gif is not an image Order Desk can read (PNG, JPEG, GIF, WebP, BMP or TIFF); "
        "skipped.",
        "ann@a.com.tif is a second picture for ann@a.com after ann@a.com.png; skipped.",
    ]


def test_hidden_files_and_sub_folders_are_passed_over_silently(tmp_path):
    folder = folder_of(
        tmp_path,
        {
            ".ann@a.com.png": make_png((1, 1, 1), 20),
            "._ann@a.com.png": b"AppleDouble",
            ".DS_Store": b"\0\0",
        },
    )
    (folder / "sub.png").mkdir()
    (folder / "inner").mkdir()
    (folder / "inner" / "ann@a.com.png").write_bytes(make_png())
    order = Order(mailboxes=[Mailbox("a.com", "ann", "Ann", "Lee")])
    pictures = read_named_pictures([folder], keys_of(order))
    assert pictures.report_lines() == []
    assert pictures.found == 0 and not pictures.assigned and not pictures.unassigned


def test_the_windows_hidden_attribute_hides_a_file():
    hidden: Any = SimpleNamespace(st_file_attributes=0x2)
    archive: Any = SimpleNamespace(st_file_attributes=0x20)
    plain: Any = SimpleNamespace()
    assert is_hidden("ann@a.com.png", hidden)
    assert not is_hidden("ann@a.com.png", archive)
    assert not is_hidden("ann@a.com.png", plain)
    assert is_hidden(".ann@a.com.png", plain)


def test_files_that_are_not_pictures_are_one_line(tmp_path):
    folder = folder_of(
        tmp_path,
        {"notes.txt": b"hi", "ann@a.com": b"no extension", "list.csv": b"a,b", "x.PNG.bak": b""},
    )
    pictures = read_named_pictures([folder], set())
    assert pictures.warnings == []
    assert pictures.report_lines() == ["Skipped 4 files that are not pictures."]


def test_warnings_follow_the_files_order_whenever_they_were_noticed(tmp_path):
    folder = folder_of(tmp_path, {"bad@a.com.png": b"junk", "zed@a.com.png": make_png()})
    os.mkfifo(folder / "cat@a.com.png")  # noticed while listing, before any picture is read
    (folder / "aaa@a.com.png").symlink_to(folder / "missing.png")
    pictures = read_named_pictures([folder], {"zed@a.com"})
    assert [w.split(" ", 1)[0] for w in pictures.warnings] == [
        "aaa@a.com.png",
        "bad@a.com.png",
        "cat@a.com.png",
    ]
    assert pictures.warnings[2] == "cat@a.com.png is a pipe, not a picture file; skipped."
    assert [p.file for p in pictures.assigned] == ["zed@a.com.png"]


def test_several_folders_and_files_are_merged_in_one_order(tmp_path):
    first = tmp_path / "b-folder"
    second = tmp_path / "a-folder"
    first.mkdir()
    second.mkdir()
    (first / "ann@a.com.png").write_bytes(make_png((1, 1, 1), 20))
    (second / "ann@a.com.png").write_bytes(make_png((2, 2, 2), 20))
    loose = tmp_path / "Ann@a.com.jpg"
    loose.write_bytes(make_png((3, 3, 3), 20))
    order = Order(mailboxes=[Mailbox("a.com", "ann", "Ann", "Lee")])
    pictures = read_named_pictures([first, loose, second], keys_of(order))
    pictures.attach_to(order)
    # "Ann@a.com.jpg" before "ann@a.com.png"; of the two ann@a.com.png, a-folder's first.
    assert order.mailboxes[0].avatar.read() == make_png((3, 3, 3), 20)
    assert pictures.warnings == [
        "ann@a.com.png is a second picture for ann@a.com after Ann@a.com.jpg; skipped.",
        "ann@a.com.png is a second picture for ann@a.com after Ann@a.com.jpg; skipped.",
    ]


def test_a_hidden_file_given_by_name_is_taken(tmp_path):
    chosen = tmp_path / ".ann@a.com.png"
    chosen.write_bytes(make_png())
    pictures = read_named_pictures([chosen], {".ann@a.com"})
    assert [p.file for p in pictures.assigned] == [".ann@a.com.png"]


def test_placements_follow_the_mailboxes_as_they_are_now(tmp_path):
    folder = folder_of(
        tmp_path, {"ann@a.com.png": make_png((1, 1, 1), 20), "bob@a.com.png": make_png((2, 2, 2))}
    )
    pictures = read_named_pictures([folder], {"ann@a.com"})
    # Meanwhile ann's row was deleted, bob's was added twice, and an old spelling waits unassigned.
    old = avatar_from_bytes(make_png((9, 9, 9), 20), "old")
    order = Order(
        mailboxes=[Mailbox("a.com", "bob", "B", "C"), Mailbox("A.com", "Bob", "B", "C")],
        unassigned_avatars={"ANN@A.COM": old, "dee@a.com": old},
    )
    placed = pictures.attach_to(order)
    assert [m.avatar.read() for m in order.mailboxes] == [make_png((2, 2, 2))] * 2
    assert [p.file for p in placed.kept] == ["ann@a.com.png"]
    assert list(order.unassigned_avatars) == ["dee@a.com", "ann@a.com"]
    assert order.unassigned_avatars["ann@a.com"].read() == make_png((1, 1, 1), 20)


def test_a_folder_that_cannot_be_listed_is_one_sentence(tmp_path):
    pictures = read_named_pictures([tmp_path / "missing"], set())
    assert pictures.unreadable == pictures.warnings
    assert pictures.warnings == ["missing cannot be read (No such file or directory)."]


def test_progress_and_cancel(tmp_path, fails_after):
    fails_after(60, "the picture pool hung")
    folder = folder_of(tmp_path, {f"u{n}@a.com.png": make_png((n, 1, 2), 16) for n in range(12)})
    calls: list[tuple[int, int]] = []
    pictures = read_named_pictures(
        [folder], set(), on_progress=lambda d, t: calls.append((d, t)), cancelled=lambda: False
    )
    assert calls[-1] == (12, 12) and len(pictures.unassigned) == 12
    stopped = read_named_pictures([folder], set(), cancelled=lambda: True)
    assert stopped.cancelled and not stopped.unassigned and not stopped.assigned


@pytest.mark.parametrize("name", ["ann@a.com.png", "ann@a.com.JPG"])
def test_one_named_picture_given_by_name(tmp_path, name):
    (tmp_path / name).write_bytes(make_png())
    pictures = read_named_pictures([tmp_path / name], {"ann@a.com"})
    assert [p.key for p in pictures.assigned] == ["ann@a.com"]
