"""A malformed autosave note hides no other autosave, prints no traceback, and is left alone."""

from __future__ import annotations

import pytest

from desktop_app.draft import draft_file
from desktop_app.order.model import DomainEntry, Order
from desktop_app.ui.files.autosave import find_orphans

pytestmark = pytest.mark.gui

DAMAGED_NOTES = {
    "a0": b"[1, 2, 3]",  # JSON, but not an object
    "a1": b"null",
    "a2": b'"just text"',
    "a3": b'{"original": 5, "saved_at": "", "name": ""}',
    "a4": b'{"original": "", "saved_at": [], "name": ""}',
    "a5": b"\xff\xfe not UTF-8",
    "a6": b'{"original": ',
    "a7": b"[" * 100_000,  # nested too deeply for the parser
}


@pytest.fixture
def autosaves(tmp_path):
    """An autosave folder: one good autosave among several with damaged notes."""
    folder = tmp_path / "autosave"
    folder.mkdir()
    for session, note in DAMAGED_NOTES.items():
        draft_file.save(Order(name=f"broken {session}"), folder / f"{session}.cmrorder")
        (folder / f"{session}.json").write_bytes(note)
    draft_file.save(Order(domains=[DomainEntry("good.com")]), folder / "b9.cmrorder")
    (folder / "b9.json").write_text(
        '{"original": "", "saved_at": "2026-01-02T03:04:05", "name": "Good"}'
    )
    return folder


def test_damaged_notes_hide_no_other_autosave_and_are_left_alone(autosaves, qtbot):
    before = sorted(p.name for p in autosaves.iterdir())
    problems: list[str] = []
    orphans = find_orphans(autosaves, problems)
    assert [o.session for o in orphans] == ["b9"]
    assert len(problems) == len(DAMAGED_NOTES)
    assert all(p.startswith("The autosave note a") and "left as" in p for p in problems)
    for orphan in orphans:
        orphan.release()
    assert sorted(p.name for p in autosaves.iterdir()) == before
    again: list[str] = []
    for orphan in find_orphans(autosaves, again):
        orphan.release()
    assert again == problems  # still there, still told


def test_the_window_offers_the_good_autosave_and_reports_a_damaged_note(window, qtbot, app_home):
    folder = window.autosave.folder
    draft_file.save(Order(domains=[DomainEntry("good.com")]), folder / "b9.cmrorder")
    (folder / "b9.json").write_text('{"original": "", "saved_at": "", "name": "<b>Good</b>"}')
    draft_file.save(Order(), folder / "a0.cmrorder")
    (folder / "a0.json").write_text("[]")
    box = window.offer_restore()
    assert box is not None and "<b>Good</b>" in box.text()
    assert "a0.json is damaged" in window.statusBar().currentMessage()
    box.reject()
    assert (folder / "a0.json").exists() and (folder / "a0.cmrorder").exists()
