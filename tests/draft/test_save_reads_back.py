"""After a save, pictures read from the new file: its index as written, its CRCs known."""

from __future__ import annotations

import dataclasses
import zipfile

import pytest
from factories import sample_order

from desktop_app.draft import draft_file
from desktop_app.draft.draft_file import DraftError, load, save
from desktop_app.order.avatars import ArchiveSource


def test_a_saved_draft_holds_every_picture_with_its_crc(tmp_path):
    order = load(_saved(sample_order(3, 2), tmp_path / "first.cmrorder"))
    save(order, tmp_path / "second.cmrorder")  # pictures copied from the first file
    with zipfile.ZipFile(tmp_path / "second.cmrorder") as archive:
        assert archive.testzip() is None  # every stored CRC matches its bytes
    reopened = load(tmp_path / "second.cmrorder")
    assert [m.avatar.read() for m in reopened.mailboxes] == [
        m.avatar.read() for m in sample_order(3, 2).mailboxes
    ]


def test_after_saving_pictures_read_from_the_saved_file(tmp_path):
    order = sample_order(2, 2)
    expected = [m.avatar.read() for m in order.mailboxes]
    path = _saved(order, tmp_path / "d.cmrorder")
    sources = [m.avatar.source for m in order.mailboxes]
    assert all(isinstance(s, ArchiveSource) and s.archive.path == path for s in sources)
    assert [m.avatar.read() for m in order.mailboxes] == expected
    assert sources[0].archive.info("order.json") is not None


def test_a_file_that_is_not_the_one_written_is_read_as_it_is(tmp_path):
    # The index written is taken only for a file of the size written; any other is parsed.
    order = sample_order(1, 2)
    path = _saved(order, tmp_path / "d.cmrorder")
    other = sample_order(2, 1)
    save(other, tmp_path / "other.cmrorder")
    with zipfile.ZipFile(path) as archive:
        index = archive.infolist()
    opened = draft_file._OpenArchive(tmp_path / "other.cmrorder", (index, path.stat().st_size))
    member = draft_file.avatar_member(other.mailboxes[0].avatar)
    assert opened.read(member) == other.mailboxes[0].avatar.read()
    opened.close()


def test_a_picture_damaged_in_the_draft_is_not_saved(tmp_path):
    order = sample_order(1, 2)
    path = _saved(order, tmp_path / "d.cmrorder")
    member = draft_file.avatar_member(order.mailboxes[1].avatar)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[at] ^= 0xFF  # one byte of the picture changed: its CRC no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(DraftError, match="cannot be read"):
        save(order, tmp_path / "again.cmrorder")
    assert not (tmp_path / "again.cmrorder").exists()


def _saved(order, path):
    save(order, path)
    return path


def test_a_picture_moved_to_the_saved_file_is_the_same_picture_with_its_checks(tmp_path):
    from desktop_app.order.avatars import broken_avatar

    order = load(_saved(sample_order(1, 2), tmp_path / "first.cmrorder"), pixels_later=True)
    order.mailboxes[1].avatar = broken_avatar(b"not a picture", "not an image", "x.heic")
    before = [m.avatar for m in order.mailboxes]
    save(order, tmp_path / "second.cmrorder")
    for old, new in zip(before, (m.avatar for m in order.mailboxes), strict=True):
        assert new is not old and new.source.archive.path == tmp_path / "second.cmrorder"
        expected = dataclasses.replace(old, source=new.source)
        assert [getattr(new, f.name) for f in dataclasses.fields(new)] == [
            getattr(expected, f.name) for f in dataclasses.fields(expected)
        ]
        assert new.pixels is old.pixels and new.problem == old.problem
        assert new.read() == old.read()


@pytest.mark.parametrize("collecting", [True, False])
def test_a_save_pauses_cycle_collection_and_leaves_it_as_it_found_it(tmp_path, collecting):
    import gc

    from desktop_app.order.avatars import Avatar

    order = sample_order(1, 2)
    seen = []
    read = Avatar.read

    def reading(avatar):
        seen.append(gc.isenabled())
        return read(avatar)

    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Avatar, "read", reading)
            save(order, tmp_path / "d.cmrorder")
            with pytest.raises(DraftError):  # a save that fails restores it too
                save(order, tmp_path / "missing" / "e.cmrorder")
        assert seen and not any(seen)
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
