"""Drafts are never lost: autosave after edits, and restore after a real crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from factories import make_png
from PySide6.QtWidgets import QMessageBox

from desktop_app.draft import draft_file
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.ui.files.autosave import find_orphans
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.tables.columns import DomainColumn, MailboxColumn
from desktop_app.ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui

CRASHING_WINDOW = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from desktop_app.order.model import DomainEntry
    from desktop_app.ui.tables.commands import InsertRowsCommand
    from desktop_app.ui.window.main_window import MainWindow
    window = MainWindow()
    if len(sys.argv) > 1:
        window.files.open_path(Path(sys.argv[1]))
    window.autosave.set_delay(10)

    def die():
        # A hard kill: no close event, no clean-up, the lock file left behind.
        if hasattr(signal, "SIGKILL"):
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(9)

    window.autosave.saved.connect(die)
    entry = DomainEntry("crash-test.com", 2)
    window.document.push(InsertRowsCommand(window.document.domains, [entry], "Add"))
    app.exec()
    """
)


def crash_a_window(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_WINDOW, *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


@pytest.fixture
def new_window(qtbot):
    windows = []

    def make() -> MainWindow:
        window = MainWindow()
        window.files.ask_unsaved = lambda: DISCARD
        qtbot.addWidget(window)
        windows.append(window)
        return window

    return make


def click(box: QMessageBox, text: str) -> None:
    [button] = [b for b in box.buttons() if b.text().replace("&", "") == text]
    button.click()


def test_an_edit_is_autosaved_and_saving_for_real_removes_the_copy(qtbot, new_window, tmp_path):
    window = new_window()
    window.autosave.set_delay(10)
    model = window.document.domains
    with qtbot.waitSignal(window.autosave.saved, timeout=10_000):
        window.domains_pane.add_row()
        model.setData(model.index(0, DomainColumn.DOMAIN), "kept.com")
    copy = draft_file.load(window.autosave.draft_path)
    assert [e.domain for e in copy.domains] == ["kept.com"]
    assert window.files.save_to(tmp_path / "real.cmrorder")
    assert not window.autosave.draft_path.exists()


def test_after_a_crash_the_next_start_offers_the_changes_and_restores_them(
    qtbot, new_window, tmp_path, app_home
):
    original = tmp_path / "mine.cmrorder"
    draft_file.save(Order(name="Mine"), original)
    crash_a_window(str(original))
    window = new_window()
    box = window.offer_restore()
    assert box is not None and "closed without saving" in box.text()
    with qtbot.waitSignal(window.document.replaced):
        click(box, "Restore")
    assert [e.domain for e in window.document.order.domains] == ["crash-test.com"]
    assert window.document.path == original  # Save goes back to the file it came from
    assert window.document.is_modified() and window.isWindowModified()
    # The restored copy is this window's autosave now; nobody else is offered it.
    assert find_orphans() == []
    window.close()
    assert list((app_home / "autosave").glob("*.cmrorder")) == []


def test_autosaving_a_restored_draft_keeps_its_pictures_readable(qtbot, new_window, tmp_path):
    # What a crashed window leaves: its autosave (with pictures) and the note beside it.
    window = new_window()
    order = Order(domains=[DomainEntry("alpha.com", 1)])
    for index, name in enumerate(["ann", "bob"]):
        picture = avatar_from_bytes(make_png((index * 120, 40, 40)), f"{name}.png")
        order.mailboxes.append(Mailbox("alpha.com", name, name.title(), "Lee", picture))
    folder = window.autosave.folder
    draft_file.save(order, folder / "0123abcd.cmrorder")
    (folder / "0123abcd.json").write_text('{"original": "", "saved_at": "", "name": "Mine"}')
    [orphan] = find_orphans(folder)
    assert window.restore(orphan)
    digests = [m.avatar.digest for m in window.document.order.mailboxes]
    # A slip while typing makes bob a duplicate of ann while the autosave is written:
    # bob's picture is then not in the autosave, and must still read from the restored file.
    window.autosave.set_delay(10)
    mailboxes = window.document.mailboxes
    with qtbot.waitSignal(window.autosave.saved, timeout=10_000):
        mailboxes.setData(mailboxes.index(1, MailboxColumn.USERNAME), "ann")
    window.document.undo_stack.undo()
    assert window.files.save_to(tmp_path / "mine.cmrorder"), window.files.last_error
    saved = draft_file.load(tmp_path / "mine.cmrorder")
    assert [m.avatar.digest for m in saved.mailboxes if m.avatar] == digests


def test_discarding_a_crashed_draft_deletes_it(qtbot, new_window, app_home):
    crash_a_window()
    window = new_window()
    box = window.offer_restore()
    click(box, "Discard")
    assert window.document.order.domains == []
    assert list((app_home / "autosave").glob("*.cmrorder")) == []
    assert new_window().offer_restore() is None


def test_later_keeps_it_for_the_next_start(qtbot, new_window):
    crash_a_window()
    click(new_window().offer_restore(), "Later")
    assert new_window().offer_restore() is not None


def test_a_running_windows_autosave_is_not_offered_to_another(qtbot, new_window):
    first = new_window()
    first.autosave.set_delay(10)
    with qtbot.waitSignal(first.autosave.saved, timeout=10_000):
        first.domains_pane.add_row()
    assert first.autosave.draft_path.exists()
    assert new_window().offer_restore() is None


def test_a_clean_close_leaves_no_autosave(qtbot, new_window, app_home):
    window = new_window()
    window.autosave.set_delay(10)
    with qtbot.waitSignal(window.autosave.saved, timeout=10_000):
        window.domains_pane.add_row()
    window.close()
    assert list((app_home / "autosave").iterdir()) == []
