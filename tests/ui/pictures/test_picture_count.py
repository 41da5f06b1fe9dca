"""The Pictures pane's count follows every picture set or cleared, and only those."""

from __future__ import annotations

import pytest
from factories import make_png

from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.ui.tables.columns import MailboxColumn

pytestmark = pytest.mark.gui


def test_the_count_follows_pictures_set_undone_and_redone(window):
    pane, model = window.avatar_pane, window.document.mailboxes
    assert pane.count_label.text() == "0 of 3 set"
    picture = avatar_from_bytes(make_png((200, 0, 0), 32))
    model.edit(model.object_at(1), [("avatar", picture)], "Set picture")
    assert pane.count_label.text() == "1 of 3 set"
    window.document.undo_stack.undo()
    assert pane.count_label.text() == "0 of 3 set"
    window.document.undo_stack.redo()
    assert pane.count_label.text() == "1 of 3 set"


def test_marks_repainted_elsewhere_do_not_recount_every_row(window, monkeypatch):
    # Making bob a second "ann" repaints ann's marks too; only bob's own row is a change of data.
    pane, model = window.avatar_pane, window.document.mailboxes
    counted = []
    monkeypatch.setattr(pane, "_on_model_changed", lambda *args: counted.append(args))
    model.setData(model.index(1, int(MailboxColumn.USERNAME)), "ann")
    assert window.document.order.mailboxes[1].username == "ann"
    assert window.document.problems.mailbox_problems(window.document.order.mailboxes[0])
    assert len(counted) == 1
