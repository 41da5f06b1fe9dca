"""An autosave that fails for want of space says so in a sentence and leaves no debris."""

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
