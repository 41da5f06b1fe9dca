"""Fixtures for the window's tests: a document, a window, real picture files."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_jpeg, make_png

from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.window.main_window import MainWindow


def small_order() -> Order:
    """Two domains, three mailboxes, no pictures."""
    return Order(
        domains=[DomainEntry("alpha.com", 1), DomainEntry("beta.org", 2)],
        mailboxes=[
            Mailbox("alpha.com", "ann", "Ann", "Archer"),
            Mailbox("alpha.com", "bob", "Bob", "Baker"),
            Mailbox("beta.org", "cat", "Cat", "Cole"),
        ],
    )


@pytest.fixture
def document(qtbot):
    doc = OrderDocument()
    doc.replace(small_order(), None)
    yield doc
    doc.deleteLater()


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    win.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(win)
    win.document.replace(small_order(), None)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def small_draft(tmp_path) -> Path:
    """The small order saved as a draft file, one mailbox with a picture."""
    from desktop_app.draft import draft_file
    from desktop_app.order.avatars import avatar_from_bytes

    order = small_order()
    order.mailboxes[1].avatar = avatar_from_bytes(make_png((0, 90, 200), 64))
    path = tmp_path / "small.cmrorder"
    draft_file.save(order, path)
    return path


@pytest.fixture
def pictures(tmp_path) -> Path:
    """A folder of real pictures named for the small order's mailboxes, plus junk."""
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "ann@alpha.com.png").write_bytes(make_png((200, 40, 40), 120))
    (folder / "BOB@Alpha.com.jpg").write_bytes(make_jpeg((40, 200, 40), 90))
    (folder / "nobody@alpha.com.png").write_bytes(make_png((40, 40, 200), 50))
    (folder / "cat@beta.org.png").write_bytes(b"\x89PNG\r\n\x1a\nthis is not really a picture")
    (folder / "notes.txt").write_text("not a picture", encoding="utf-8")
    return folder


@pytest.fixture
def wait_for_pictures(qtbot):
    """Wait until the window's background picture load (a folder, several files) has ended."""

    def wait(window) -> None:
        assert window.avatars.busy  # the load runs in the background: it cannot be done yet
        # Returns as soon as the results are applied, before the window repaints.
        with qtbot.waitSignal(window.avatars.loaded, timeout=60_000):
            pass

    return wait
