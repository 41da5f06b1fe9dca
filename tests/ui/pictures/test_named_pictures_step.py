"""Named pictures in the window: unassigned ones kept in the undo step, the banner's report."""

from __future__ import annotations

import pytest
from factories import make_png

from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.validation import Table
from desktop_app.ui.pictures.named_pictures_step import WARNINGS_SHOWN

pytestmark = pytest.mark.gui


def unassigned_problems(window) -> list[str]:
    problems = window.document.problems.all_problems()
    return [
        p.key or ""
        for p in problems
        if p.table is Table.AVATARS and "belongs to no mailbox" in p.message
    ]


def test_pictures_for_no_mailbox_are_kept_as_one_undo_step(
    qtbot, window, tmp_path, wait_for_pictures
):
    folder = tmp_path / "strangers"
    folder.mkdir()
    (folder / "zed@alpha.com.png").write_bytes(make_png((1, 2, 3), 30))
    (folder / "yan@gamma.net.png").write_bytes(make_png((3, 2, 1), 30))
    document = window.document
    with qtbot.waitSignal(document.problems_changed, timeout=5_000):
        window.avatars.set_from_paths([], [str(folder)])
        wait_for_pictures(window)
    assert sorted(document.order.unassigned_avatars) == ["yan@gamma.net", "zed@alpha.com"]
    assert document.order.avatar_count() == 0
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Keep 2 unassigned pictures"
    assert sorted(unassigned_problems(window)) == ["yan@gamma.net", "zed@alpha.com"]
    message = window.avatar_pane.message_text()
    assert message.startswith("No picture was set. 2 pictures matched no mailbox and are kept")
    assert "yan@gamma.net.png, zed@alpha.com.png" in message
    assert window.avatar_pane.banner.warning
    with qtbot.waitSignal(document.problems_changed, timeout=5_000):
        document.undo_stack.undo()
    assert document.order.unassigned_avatars == {}
    assert unassigned_problems(window) == []
    document.undo_stack.redo()
    assert sorted(document.order.unassigned_avatars) == ["yan@gamma.net", "zed@alpha.com"]


def test_a_new_picture_for_an_unassigned_mailbox_replaces_its_old_spelling(
    window, tmp_path, wait_for_pictures
):
    document = window.document
    old = avatar_from_bytes(make_png((9, 9, 9), 20), "old")
    document.order.unassigned_avatars["ZED@Alpha.com"] = old
    picture = tmp_path / "zed@alpha.com.png"
    picture.write_bytes(make_png((1, 1, 1), 20))
    window.avatars.set_from_paths([], [str(picture), str(tmp_path / "readme.md")])
    wait_for_pictures(window)
    assert list(document.order.unassigned_avatars) == ["zed@alpha.com"]
    assert document.order.unassigned_avatars["zed@alpha.com"].read() == make_png((1, 1, 1), 20)
    document.undo_stack.undo()
    assert document.order.unassigned_avatars == {"ZED@Alpha.com": old}


def test_many_bad_pictures_are_counted_after_the_first_few(window, tmp_path, wait_for_pictures):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "ann@alpha.com.png").write_bytes(make_png())
    extra = 3
    for number in range(WARNINGS_SHOWN + extra):
        (folder / f"junk{number}.png").write_bytes(b"not a picture")
    window.avatars.set_from_paths([], [str(folder)])
    wait_for_pictures(window)
    message = window.avatar_pane.message_text()
    shown = " ".join(
        f"junk{n}.png is not named username@domain; skipped." for n in range(WARNINGS_SHOWN)
    )
    assert message == f"Set 1 picture. {shown} (And {extra} more files like these.)"
    assert window.document.order.mailboxes[0].avatar is not None
