"""A folder of large phone photos: loaded in worker processes while the window stays live."""

from __future__ import annotations

import gc
import multiprocessing
import time
from pathlib import Path

import pytest
from factories import make_jpeg_with_exif_gps
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.ui.pictures.picture_import import CANCEL_NOTE, PictureProgressDialog

pytestmark = pytest.mark.gui

PHOTOS = 40
LONGEST_FRAME = 0.100  # seconds the GUI thread may go without turning its event loop


@pytest.fixture(scope="module")
def phone_photo() -> bytes:
    """One 4000×3000 JPEG turned by EXIF, as a phone writes it (made once: it takes a while)."""
    return make_jpeg_with_exif_gps((180, 90, 40), (4000, 3000), orientation=6)


@pytest.fixture
def photo_folder(tmp_path, phone_photo) -> Path:
    folder = tmp_path / "phone"
    folder.mkdir()
    for number in range(PHOTOS):
        (folder / f"user{number}@phone.com.jpg").write_bytes(phone_photo)
    return folder


@pytest.fixture
def big_window(window):
    order = Order(
        domains=[DomainEntry("phone.com", 1)],
        mailboxes=[Mailbox("phone.com", f"user{n}", "Ann", "Lee") for n in range(PHOTOS)],
    )
    window.document.replace(order, None)
    return window


def settle(qtbot) -> None:
    """Let what came before finish first: earlier tests' windows being deleted, a first paint.

    The objects the rest of the test run left alive are frozen out of the
    collector too: a full collection of them is not a frame the load made long.
    """
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(300)
    gc.collect()
    gc.freeze()


class FrameClock:
    """Ticks every 20 ms on the GUI thread and keeps the longest gap between ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.longest_ended = 0.0  # seconds after start()
        self.ticks = 0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._started = self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        # One last reading: a freeze that lasts until the load ends (the last results applied
        # in one go, or the whole load on the GUI thread) has no tick after it otherwise.
        self._tick()
        self.timer.stop()

    def froze(self) -> str:
        ended = self.longest_ended
        return f"the window froze for {self.longest * 1000:.0f} ms, until {ended:.2f} s"

    def _tick(self) -> None:
        now = time.perf_counter()
        if now - self._last > self.longest:
            self.longest, self.longest_ended = now - self._last, now - self._started
        self._last = now
        self.ticks += 1


def progress_dialog(window) -> PictureProgressDialog | None:
    dialogs = [d for d in window.findChildren(PictureProgressDialog) if d.isVisible()]
    return dialogs[0] if dialogs else None


def test_forty_phone_photos_load_while_the_window_keeps_painting(qtbot, big_window, photo_folder):
    window = big_window
    undo_before = window.document.undo_stack.count()
    clock = FrameClock()
    seen_counts: list[str] = []

    def look_at_dialog() -> None:
        dialog = progress_dialog(window)
        if dialog is not None:
            seen_counts.append(dialog.count_label.text())

    looker = QTimer()
    looker.timeout.connect(look_at_dialog)
    looker.start(50)
    settle(qtbot)
    clock.start()
    try:
        with qtbot.waitSignal(window.avatars.loaded, timeout=120_000):
            window.avatars.set_from_paths([], [str(photo_folder)])
    finally:
        clock.stop()
        looker.stop()
        gc.unfreeze()

    assert clock.ticks > 10
    assert clock.longest < LONGEST_FRAME, clock.froze()
    order = window.document.order
    assert order.avatar_count() == PHOTOS
    assert all(m.avatar.width == 640 for m in order.mailboxes)
    assert window.document.undo_stack.count() == undo_before + 1  # one step for all of them
    assert f"Set {PHOTOS} pictures." in window.avatar_pane.message_text()
    counted = [t for t in seen_counts if t != "Looking for pictures…"]  # before the first count
    assert counted and all(t.endswith(f"of {PHOTOS} pictures…") for t in counted)
    assert progress_dialog(window) is None  # gone when done
    window.document.undo_stack.undo()
    assert order.avatar_count() == 0


def test_cancel_changes_nothing_and_says_so(qtbot, big_window, photo_folder):
    window = big_window
    undo_before = window.document.undo_stack.count()
    window.avatars.set_from_paths([], [str(photo_folder)])
    qtbot.waitUntil(lambda: progress_dialog(window) is not None, timeout=30_000)
    dialog = progress_dialog(window)
    assert CANCEL_NOTE in [label.text() for label in dialog.findChildren(type(dialog.count_label))]
    with qtbot.waitSignal(window.avatars.loaded, timeout=60_000):
        dialog.cancel_button.click()
    assert window.document.order.avatar_count() == 0
    assert window.document.undo_stack.count() == undo_before
    assert window.avatar_pane.message_text() == "Cancelled; nothing was changed."
    assert multiprocessing.active_children() == []


def test_closing_the_window_stops_the_workers(qtbot, big_window, photo_folder):
    window = big_window
    window.avatars.set_from_paths([], [str(photo_folder)])
    qtbot.waitUntil(lambda: bool(multiprocessing.active_children()), timeout=30_000)
    window.close()
    assert not window.avatars.busy
    assert multiprocessing.active_children() == []
    assert window.document.order.avatar_count() == 0


def test_a_second_folder_while_one_loads_is_refused_in_a_sentence(
    qtbot, big_window, photo_folder, wait_for_pictures
):
    window = big_window
    window.avatars.set_from_paths([], [str(photo_folder)])
    window.avatars.set_from_paths([], [str(photo_folder)])
    assert window.avatar_pane.message_text() == (
        "Pictures are still loading; wait for them or cancel."
    )
    wait_for_pictures(window)
    assert window.document.order.avatar_count() == PHOTOS


def test_a_killed_worker_is_one_sentence_and_the_rest_is_one_step(qtbot, big_window, photo_folder):
    import os
    import signal

    window = big_window
    undo_before = window.document.undo_stack.count()
    killed: list[int] = []

    def kill_a_worker(done: int, _total: int) -> None:
        if done and not killed:
            child = multiprocessing.active_children()[0]
            os.kill(child.pid, signal.SIGKILL)
            killed.append(child.pid)

    window.avatars.loader.progress.connect(kill_a_worker)
    with qtbot.waitSignal(window.avatars.loaded, timeout=120_000):
        window.avatars.set_from_paths([], [str(photo_folder)])

    assert killed
    message = window.avatar_pane.message_text()
    assert "was not loaded: a picture worker stopped unexpectedly" in message
    assert "Traceback" not in message and "\n" not in message
    loaded = window.document.order.avatar_count()
    assert loaded < PHOTOS
    assert window.document.undo_stack.count() == undo_before + (1 if loaded else 0)
    assert multiprocessing.active_children() == []


def test_a_thousand_small_pictures_never_hold_up_a_frame(qtbot, window, tmp_path):
    from factories import make_png

    count = 1000
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(count):
        (folder / f"u{number}@d{number % 100}.com.png").write_bytes(
            make_png((number % 256, number // 256, 9), 32)
        )
    window.document.replace(
        Order(
            domains=[DomainEntry(f"d{n}.com", 1) for n in range(100)],
            mailboxes=[Mailbox(f"d{n % 100}.com", f"u{n}", "Ann", "Lee") for n in range(count)],
        ),
        None,
    )
    clock = FrameClock()
    settle(qtbot)  # the table's first paint of a thousand rows is not the load's frame
    clock.start()
    try:
        with qtbot.waitSignal(window.avatars.loaded, timeout=120_000):
            window.avatars.set_from_paths([], [str(folder)])
    finally:
        clock.stop()
        gc.unfreeze()
    assert window.document.order.avatar_count() == count
    assert clock.longest < LONGEST_FRAME, clock.froze()


def test_a_folder_without_pictures_says_so_and_changes_nothing(
    qtbot, window, tmp_path, wait_for_pictures
):
    import os

    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello")
    os.mkfifo(folder / "pipe.png")
    window.avatars.set_from_paths([], [str(folder)])
    wait_for_pictures(window)
    assert window.avatar_pane.message_text() == (
        "There is no picture in what was dropped; nothing was changed. "
        "pipe.png is a pipe, not a picture file; skipped. "
        "Skipped 1 file that is not a picture."
    )
    assert window.document.undo_stack.count() == 0
