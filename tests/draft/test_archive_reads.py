"""Pictures read straight from a draft's ZIP keep every check zipfile makes.

Sending reads thousands of stored pictures, so :class:`DraftArchive` reads
them without zipfile's per-member set-up; a damaged or doctored file must
still be caught exactly as zipfile would catch it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from factories import sample_order, write_zip

from desktop_app.draft import draft_file
from desktop_app.order.avatars import DraftArchive


def saved_draft(tmp_path: Path) -> tuple[Path, list[str], dict[str, bytes]]:
    order = sample_order(2, 2)
    path = tmp_path / "order.cmrorder"
    draft_file.save(order, path)
    with zipfile.ZipFile(path) as archive:
        members = [name for name in archive.namelist() if name.startswith("avatars/")]
        expected = {name: archive.read(name) for name in members}
    return path, members, expected


def test_every_stored_picture_reads_back_as_zipfile_reads_it(tmp_path):
    path, members, expected = saved_draft(tmp_path)
    archive = DraftArchive(path)
    try:
        assert len(members) == 4
        assert {name: archive.read(name) for name in members} == expected
    finally:
        archive.close()


def test_a_picture_changed_on_disk_fails_its_crc_check(tmp_path):
    path, members, expected = saved_draft(tmp_path)
    data = bytearray(path.read_bytes())
    picture = expected[members[0]]
    where = bytes(data).find(picture)
    data[where + len(picture) - 1] ^= 0xFF  # one bit of damage inside the stored picture
    path.write_bytes(bytes(data))
    archive = DraftArchive(path)
    try:
        with pytest.raises(zipfile.BadZipFile, match="CRC"):
            archive.read(members[0])
        assert archive.read(members[1]) == expected[members[1]]  # the others are intact
    finally:
        archive.close()
    damaged = draft_file.load(path)
    problems = [m.avatar.problem for m in damaged.mailboxes if m.avatar and m.avatar.problem]
    assert len(problems) == 1


def test_a_local_header_naming_another_member_is_refused(tmp_path):
    # Two entries whose local headers are swapped in name only: a reader that
    # trusted offsets without checking names would return the wrong picture.
    path = write_zip(
        tmp_path / "odd.zip", {"a.png": b"first", "b.png": b"other"}, zipfile.ZIP_STORED
    )
    data = path.read_bytes()
    first = data.find(b"a.png")  # the first local header's name, before the directory's copy
    path.write_bytes(data[:first] + b"b.png" + data[first + 5 :])
    archive = DraftArchive(path)
    try:
        with pytest.raises(zipfile.BadZipFile, match="differ"):
            archive.read("a.png")
        assert archive.read("b.png") == b"other"
    finally:
        archive.close()


def test_members_with_an_extra_field_read_as_zipfile_reads_them(tmp_path):
    # Other tools write an extra field (timestamps) between the name and the bytes.
    path = tmp_path / "other.zip"
    pictures = {
        "avatars/a.png": b"\x89PNG" + bytes(range(200)),
        "avatars/b.jpg": b"\xff\xd8" * 99,
        "avatars/ours.png": b"\x89PNG" + bytes(range(99)),  # as this app writes it: no extra
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in pictures.items():
            info = zipfile.ZipInfo(name)
            if "ours" not in name:
                info.extra = b"\x55\x54\x05\x00\x01\x00\x00\x00\x00"  # "UT": a modification time
            archive.writestr(info, data)
    archive = DraftArchive(path)
    try:
        assert {name: archive.read(name) for name in pictures} == pictures
        with zipfile.ZipFile(path) as index:  # read straight, not by zipfile's way round
            straight = [archive._read_stored(index.getinfo(name)) for name in pictures]
        assert straight == list(pictures.values())
    finally:
        archive.close()
