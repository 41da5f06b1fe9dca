"""Opening a draft in the window: it shows at once, its pictures' image data checked after."""

from __future__ import annotations

import pytest
from factories import save_draft_with_damaged_pixels

from desktop_app.order.validation import Severity, Table

pytestmark = pytest.mark.gui


def test_a_picture_failing_its_background_check_becomes_a_problem_of_its_row(
    qtbot, window, tmp_path
):
    path = save_draft_with_damaged_pixels(tmp_path / "damaged.cmrorder")
    assert window.files.open_path(path, confirmed=True) is None
    document = window.document
    mailbox = document.order.mailboxes[1]
    assert mailbox.avatar.pixels is not None  # opened without inflating its image data
    with qtbot.waitSignal(document.problems_changed, timeout=10_000):
        qtbot.waitUntil(lambda: mailbox.avatar.checked, timeout=10_000)
    errors = [p for p in document.problems.all_problems() if p.severity is Severity.ERROR]
    assert [(p.table, p.row) for p in errors] == [(Table.AVATARS, 1)]
    assert "damaged or truncated" in errors[0].message
    assert document.problems.mailbox_problems(mailbox)  # the row's own mark follows
    assert document.finish_picture_checks() == 1  # nothing left to check: the same answer
