"""Drops from strangers: a FIFO never freezes the window, PostScript never runs Ghostscript."""

from __future__ import annotations

import os
import socket

import pytest
from factories import make_png
from test_avatar_drops import avatars, drop, files, slot_point

pytestmark = pytest.mark.gui

EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 16 16\n%%EndComments\nshowpage\n%%EOF\n"


@pytest.fixture
def never_blocks(fails_after):
    """Fail, instead of hanging, past 5 seconds."""
    fails_after(5, "the window blocked on a file that never delivers bytes")


def test_a_fifo_dropped_on_a_slot_is_refused_without_freezing(window, tmp_path, never_blocks):
    fifo = tmp_path / "photo.png"
    os.mkfifo(fifo)
    drop(window, files(fifo), slot_point(window, 0))
    assert avatars(window)["ann"] is None
    message = window.avatar_pane.message_text()
    assert "photo.png is a pipe" in message and "nothing was changed" in message


def test_a_dropped_folder_skips_pipes_sockets_and_links_out(
    window, tmp_path, never_blocks, wait_for_pictures
):
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "ann@alpha.com.png").write_bytes(make_png())
    os.mkfifo(folder / "bob@alpha.com.png")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "cat@beta.org.png"))
    outside = tmp_path / "private.png"
    outside.write_bytes(make_png((5, 5, 5)))
    (folder / "ann@beta.org.png").symlink_to(outside)
    try:
        window.avatars.set_from_paths([], [str(folder)])
        wait_for_pictures(window)
    finally:
        server.close()
    assert {k for k, v in avatars(window).items() if v is not None} == {"ann"}
    message = window.avatar_pane.message_text()
    assert message == (
        "Set 1 picture. ann@beta.org.png is a link to outside the folder; skipped. "
        "bob@alpha.com.png is a pipe, not a picture file; skipped. "
        "cat@beta.org.png is a socket, not a picture file; skipped."
    )


def test_postscript_dropped_as_a_file_or_as_data_never_runs_ghostscript(
    window, tmp_path, ghostscript, wait_for_pictures
):
    picture = tmp_path / "ann@alpha.com.png"
    picture.write_bytes(EPS)
    drop(window, files(picture), slot_point(window, 0))
    assert "PNG, JPEG" in window.avatar_pane.message_text()
    window.avatars.set_from_paths([], [str(tmp_path)])
    wait_for_pictures(window)
    window.avatars.set_from_bytes(["ann@alpha.com"], EPS, "dropped.png")
    assert "PNG, JPEG" in window.avatar_pane.message_text()
    assert avatars(window)["ann"] is None
    assert not ghostscript.exists()
