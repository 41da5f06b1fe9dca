"""An autosave that fails (for want of space, or a fault of ours) says so in a sentence."""

from __future__ import annotations

import hashlib
import os

import pytest

from desktop_app.order.avatars import PNG, Avatar, MemorySource
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.ui.files.autosave import AutosaveController
from desktop_app.ui.tables.columns import MailboxColumn

pytestmark = pytest.mark.gui


def noise_avatar(size: int) -> Avatar:
    data = os.urandom(size)
    return Avatar(MemorySource(data), PNG, len(data), hashlib.sha256(data).hexdigest(), 64)


def test_an_autosave_on_a_full_disk_fails_in_a_sentence_and_leaves_nothing(
    document, qtbot, small_disk
):
    order = Order(domains=[DomainEntry("alpha.com")])
    for name in ("ann", "bob", "cat"):
        order.mailboxes.append(Mailbox("alpha.com", name, "A", "B", noise_avatar(400_000)))
    document.replace(order, None)
    autosave = AutosaveController(document, folder=small_disk, delay_ms=10)
    mailboxes = document.mailboxes
    with qtbot.waitSignal(autosave.failed, timeout=10_000) as failed:
        mailboxes.setData(mailboxes.index(0, MailboxColumn.FIRST_NAME), "Ann")
    assert "cannot be saved" in failed.args[0] and "\n" not in failed.args[0]
    autosave.shutdown()
    assert [name for name in os.listdir(small_disk) if not name.endswith(".lock")] == []


def test_a_fault_of_ours_while_autosaving_is_a_sentence_and_goes_to_the_crash_log(
    document, qtbot, tmp_path, app_home, monkeypatch
):
    from desktop_app.draft import draft_file

    def save_with_a_bug(order, path):
        raise TypeError("save() was handed a list")

    monkeypatch.setattr(draft_file, "save", save_with_a_bug)
    document.replace(Order(domains=[DomainEntry("alpha.com")]), None)
    folder = tmp_path / "autosave"
    folder.mkdir()
    autosave = AutosaveController(document, folder=folder, delay_ms=10)
    with qtbot.waitSignal(autosave.failed, timeout=10_000) as failed:
        document.domains.setData(document.domains.index(0, 0), "beta.org")
    assert failed.args == ["The autosave could not be written (TypeError)."]
    autosave.shutdown()
    log = (app_home / "crash.log").read_text(encoding="utf-8")
    assert "'autosave'" in log and "TypeError: save() was handed a list" in log
