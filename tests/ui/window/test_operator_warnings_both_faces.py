"""An experienced operator's warnings, word for word in the Problems pane and ``validate``.

No User ID, and more mailboxes on one domain than the provider's usual limit,
which both faces read from the one settings store.
"""

from __future__ import annotations

import pytest
from cli_support import order_desk
from factories import sample_order

from desktop_app.draft import draft_file
from desktop_app.order.model import Mailbox, Provider
from desktop_app.order.operator_warnings import NO_USER_ID
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def crowded_draft(tmp_path):
    """Six mailboxes on brand0.example.com (with pictures), two on brand1, and no User ID."""
    order = sample_order(2, 2)
    order.user_id = ""
    template = order.mailboxes[0]
    for number in range(4):
        order.mailboxes.insert(
            2,
            Mailbox(template.domain, f"extra{number}", "Ann", "Lee", template.avatar),
        )
    path = tmp_path / "crowded.cmrorder"
    draft_file.save(order, path)
    return path


def open_window(qtbot, path):
    """A new window (it reads the settings as they are now) showing the draft at ``path``."""
    window = MainWindow()
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    assert window.files.open_path(path, confirmed=True) is None
    window.problems_pane.refresh()
    return window


def window_warnings(window) -> list[str]:
    model = window.problems_pane.model
    return [
        model.index(row, 2).data()
        for row in range(model.rowCount())
        if model.index(row, 0).data() == "Warning"
    ]


def validate_warnings(path) -> list[str]:
    result = order_desk("validate", path)
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("warning: ")]


def crowded(domain: str, count: int, provider: str, most: int) -> str:
    return (
        f"{domain} has {count} {provider} mailboxes, more than the {most} per domain that "
        "Settings allow (Mailboxes per domain): mailboxes on one domain share its sending "
        "reputation"
    )


def test_no_user_id_and_a_crowded_domain_say_the_same_in_both_faces(qtbot, crowded_draft):
    printed = validate_warnings(crowded_draft)
    shown = window_warnings(open_window(qtbot, crowded_draft))
    expected = crowded("brand0.example.com", 6, "Google Workspace", 5)
    ours = [NO_USER_ID, expected + ", and providers commonly cap Google Workspace at 5."]
    assert [m for m in shown if m in ours] == ours
    assert "warning: userId: " + NO_USER_ID in printed
    assert "warning: mailboxes row 1 (domain): " + ours[1] in printed
    # Everything the window warns about, the command line prints, word for word, and back.
    assert sorted(line.split(": ", 2)[2] for line in printed) == sorted(shown)


def test_the_limits_are_settings_both_faces_read_and_change(qtbot, crowded_draft):
    window = open_window(qtbot, crowded_draft)
    google = window.settings_pane.per_domain.boxes[Provider.GOOGLE]
    assert google.value() == 5
    google.setValue(6)  # as an operator steps it up
    window.problems_pane.refresh()
    assert not [m for m in window_warnings(window) if "per domain" in m]
    assert not [m for m in validate_warnings(crowded_draft) if "per domain" in m]
    assert order_desk("settings").stdout.count("drafting/google_mailboxes_per_domain=6\n") == 1

    # Microsoft 365 warns about nothing by default; a limit set on the command line counts.
    assert order_desk("set", crowded_draft, "provider", "microsoft").returncode == 0
    assert not [m for m in validate_warnings(crowded_draft) if "per domain" in m]
    changed = order_desk("settings", "set", "drafting/microsoft_mailboxes_per_domain", "1")
    assert changed.returncode == 0, changed.stderr
    expected = [
        crowded("brand0.example.com", 6, "Microsoft 365", 1) + ".",
        crowded("brand1.example.com", 2, "Microsoft 365", 1) + ".",
    ]
    printed = validate_warnings(crowded_draft)
    assert [line.split(": ", 2)[2] for line in printed if "per domain" in line] == expected
    window = open_window(qtbot, crowded_draft)
    assert window.settings_pane.per_domain.boxes[Provider.MICROSOFT].value() == 1
    assert [m for m in window_warnings(window) if "per domain" in m] == expected


def test_warnings_never_stop_a_send_and_the_review_lists_them(crowded_draft):
    result = order_desk("send", crowded_draft, "--env", "practice", "--yes")
    assert result.returncode == 0, result.stderr
    assert "warning: userId: " + NO_USER_ID in result.stderr.splitlines()
    assert result.stdout.startswith("orderId: ")


def test_double_clicking_the_user_id_warning_goes_to_the_user_id_field(qtbot, crowded_draft):
    from PySide6.QtCore import Qt

    window = open_window(qtbot, crowded_draft)
    window.show()
    qtbot.waitExposed(window)
    pane = window.problems_pane
    row = next(i for i, p in enumerate(pane.model.problems) if p.message == NO_USER_ID)
    assert pane.model.index(row, 1).data() == "Settings, User ID"
    pane.view.scrollTo(pane.model.index(row, 2))
    rect = pane.view.visualRect(pane.model.index(row, 2))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.focusWidget() is window.settings_pane.options.user_id
