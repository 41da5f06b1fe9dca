"""The picture pool: real worker processes normalising real files, killed, cancelled, fed junk."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import struct
import zlib
from pathlib import Path

import pytest
from cli_support import order_desk
from factories import make_jpeg_with_exif_gps, make_png

from desktop_app.draft.picture_folder import read_named_pictures
from desktop_app.draft.picture_pool import (
    IN_PROCESS_UP_TO,
    WORKER_STOPPED,
    normalise_files,
    worker_count,
)
from desktop_app.order.avatars import MAX_SIDE, avatar_from_file, normalised_shape
from desktop_app.order.model import Mailbox, Order

EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"


@pytest.fixture
def never_hangs(fails_after):
    """Fail, instead of hanging, past 60 seconds."""
    fails_after(60, "the picture pool hung")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels, with almost no image data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def photos(folder: Path, count: int, size=(1600, 1200)) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"user{number}@photos.com.jpg"
        colour = (number * 9 % 256, 120, 200 - number * 5 % 200)
        path.write_bytes(make_jpeg_with_exif_gps(colour, size, orientation=6))
        paths.append(path)
    return paths


def test_the_pool_gives_what_one_process_gives_in_the_order_asked(tmp_path, never_hangs):
    paths = photos(tmp_path / "in", 6)
    children_seen: list[int] = []
    progress: list[tuple[int, int]] = []

    def on_progress(done: int, total: int) -> None:
        progress.append((done, total))
        children_seen.append(len(multiprocessing.active_children()))

    outcome = normalise_files(paths, on_progress=on_progress, processes=2)

    assert not outcome.cancelled
    assert [r.path for r in outcome.results] == paths
    expected = [avatar_from_file(p) for p in paths]
    assert [r.avatar.digest for r in outcome.results] == [a.digest for a in expected]
    for result in outcome.results:
        shape = normalised_shape(result.avatar.read())
        assert shape is not None and shape.width == MAX_SIDE
    assert progress == [(n, 6) for n in range(1, 7)]
    assert max(children_seen) >= 1  # the work ran in worker processes
    assert multiprocessing.active_children() == []  # and they were shut down


def test_a_few_files_stay_in_this_process(tmp_path):
    paths = photos(tmp_path / "in", IN_PROCESS_UP_TO)
    children: list[int] = []
    outcome = normalise_files(
        paths, on_progress=lambda *_: children.append(len(multiprocessing.active_children()))
    )
    assert all(r.avatar is not None for r in outcome.results)
    assert children == [0] * IN_PROCESS_UP_TO


def test_there_is_a_worker_per_core_and_never_more_than_files():
    cores = len(os.sched_getaffinity(0))
    assert worker_count(1) == 1
    assert worker_count(10_000) == cores


def test_junk_is_one_sentence_per_file_and_nothing_hangs(tmp_path, never_hangs):
    folder = tmp_path / "junk"
    paths = photos(folder, 2)
    eps = folder / "eps@photos.com.png"
    eps.write_bytes(EPS)
    huge = folder / "huge@photos.com.png"
    huge.write_bytes(png_header_only(13_000, 12_000))  # 156 megapixels
    fifo = folder / "pipe@photos.com.png"
    os.mkfifo(fifo)
    empty = folder / "empty@photos.com.jpg"
    empty.write_bytes(b"")
    asked = [*paths, eps, huge, fifo, empty]

    outcome = normalise_files(asked, processes=2)

    problems = {r.path.name: r.problem for r in outcome.results}
    assert [r.path for r in outcome.results] == asked
    assert problems[paths[0].name] is None and problems[paths[1].name] is None
    assert "is not an image Order Desk can read" in problems[eps.name]
    assert "13000×12000 pixels, too large" in problems[huge.name]
    assert problems[fifo.name] == "pipe@photos.com.png is a pipe, not a picture file"
    assert problems[empty.name] == "empty@photos.com.jpg is empty"
    for text in filter(None, problems.values()):
        assert "\n" not in text and "Traceback" not in text


def test_a_killed_worker_costs_its_files_one_sentence_each_and_raises_nothing(
    tmp_path, never_hangs
):
    paths = photos(tmp_path / "in", 24)
    killed: list[int] = []

    def kill_one(done: int, _total: int) -> None:
        if not killed:
            child = multiprocessing.active_children()[0]
            os.kill(child.pid, signal.SIGKILL)
            killed.append(child.pid)

    outcome = normalise_files(paths, on_progress=kill_one, processes=2)

    assert killed
    assert [r.path for r in outcome.results] == paths
    lost = [r for r in outcome.results if r.avatar is None]
    assert lost, "killing a worker lost no file"
    for result in lost:
        assert result.problem == f"{result.path.name} was not loaded: {WORKER_STOPPED}"
    assert multiprocessing.active_children() == []


def test_cancel_stops_starting_files_and_returns_what_was_finished(tmp_path, never_hangs):
    paths = photos(tmp_path / "in", 30)
    seen: list[int] = []
    outcome = normalise_files(
        paths, on_progress=lambda done, _t: seen.append(done), cancelled=lambda: bool(seen)
    )
    assert outcome.cancelled
    assert 1 <= len(outcome.results) < len(paths)
    assert all(r.avatar is not None for r in outcome.results)
    assert multiprocessing.active_children() == []


def test_a_folder_import_uses_the_pool_and_keeps_the_folders_rules(tmp_path, never_hangs):
    folder = tmp_path / "pictures"
    paths = photos(folder, 8)
    # The first picture for ann cannot be used, so the second one is.
    (folder / "ann@a.com.gif").write_bytes(b"GIF89a not really")
    (folder / "ann@a.com.png").write_bytes(make_png((2, 2, 2), 20))
    (folder / "ann@a.com.tif").write_bytes(make_png((3, 3, 3), 20))
    (folder / "notes.txt").write_text("hello")
    os.mkfifo(folder / "pipe@a.com.png")
    order = Order(
        mailboxes=[
            Mailbox("a.com", "ann", "Ann", "Lee"),
            *(Mailbox("photos.com", f"user{n}", "U", "Ser") for n in range(8)),
        ]
    )

    pictures = read_named_pictures([folder], {m.key for m in order.mailboxes})
    pictures.attach_to(order)

    assert order.mailboxes[0].avatar.read() == make_png((2, 2, 2), 20)
    assert [m.avatar.digest for m in order.mailboxes[1:]] == [
        avatar_from_file(p).digest for p in paths
    ]
    assert pictures.report_lines() == [
        "ann@a.com.gif is not an image Order Desk can read (PNG, JPEG, GIF, WebP, BMP or TIFF); "
        "skipped.",
        "ann@a.com.tif is a second picture for ann@a.com after ann@a.com.png; skipped.",
        "pipe@a.com.png is a pipe, not a picture file; skipped.",  # noted while listing
        "Skipped 1 file that is not a picture.",
    ]


def test_the_command_line_import_runs_the_pool_from_its_entry_point(tmp_path):

    from desktop_app.draft import draft_file

    (tmp_path / "mailboxes.csv").write_text(
        "email,firstName,lastName\n" + "".join(f"user{n}@photos.com,U,Ser\n" for n in range(8))
    )
    (tmp_path / "domains.csv").write_text("domain\nphotos.com\n")
    pictures = photos(tmp_path / "pictures", 8)
    out = tmp_path / "photos.cmrorder"
    result = order_desk(
        "import",
        "--domains",
        tmp_path / "domains.csv",
        "--mailboxes",
        tmp_path / "mailboxes.csv",
        "--avatars",
        pictures[0].parent,
        "-o",
        out,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    order = draft_file.load(out)
    assert [m.avatar.digest for m in order.mailboxes] == [
        avatar_from_file(p).digest for p in pictures
    ]


def test_workers_behind_a_window_run_at_a_lower_priority(tmp_path, never_hangs):
    from desktop_app.draft.picture_pool import BACKGROUND_NICENESS

    paths = photos(tmp_path / "in", 6)
    niceness: dict[str, list[int]] = {"background": [], "foreground": []}
    mine = os.getpriority(os.PRIO_PROCESS, 0)

    def look(kind: str):
        def on_progress(_done: int, _total: int) -> None:
            for child in multiprocessing.active_children():
                with contextlib.suppress(ProcessLookupError):  # it has just finished
                    niceness[kind].append(os.getpriority(os.PRIO_PROCESS, child.pid))

        return on_progress

    normalise_files(paths, on_progress=look("background"), processes=2, background=True)
    normalise_files(paths, on_progress=look("foreground"), processes=2)
    assert set(niceness["background"]) == {mine + BACKGROUND_NICENESS}
    assert set(niceness["foreground"]) == {mine}


def test_named_pictures_are_listed_matched_and_reported_at_a_bounded_rate(tmp_path, never_hangs):
    from desktop_app.draft.picture_folder import read_named_pictures

    folder = tmp_path / "drop"
    folder.mkdir()
    keys = set()
    for number in range(300):
        (folder / f"u{number}@a.com.png").write_bytes(make_png((number % 256, 1, 2), 16))
        keys.add(f"u{number}@a.com")
    (folder / "stranger@a.com.png").write_bytes(make_png())
    (folder / "portrait.jpg").write_bytes(make_png())
    os.mkfifo(folder / "pipe@a.com.png")
    calls: list[tuple[int, int]] = []

    loaded = read_named_pictures([folder], keys, on_progress=lambda d, t: calls.append((d, t)))

    assert loaded.found == 302
    assert [p.file for p in loaded.unassigned] == ["stranger@a.com.png"]
    assert loaded.warnings == [
        "pipe@a.com.png is a pipe, not a picture file; skipped.",
        "portrait.jpg is not named username@domain; skipped.",
    ]
    assert len(loaded.assigned) == 300
    assert {p.canonical_key for p in loaded.assigned} == keys
    assert calls[-1] == (301, 301)  # the unmatched picture is read too: it is kept
    assert len(calls) < 300  # not one report per file: each one is work for the window
