"""The window refuses a draft whose order.json names a key twice, and keeps what is open."""

from __future__ import annotations

import zipfile

import pytest

pytestmark = pytest.mark.gui


def test_opening_a_draft_naming_a_domain_twice_is_one_sentence_and_nothing_half_read(
    window, tmp_path
):
    twice = tmp_path / "twice.cmrorder"
    mailbox = '{"username": "%s", "firstName": "A", "lastName": "L"}'
    text = (
        '{"domains": [{"domain": "example.com", "years": 1}], "mailboxes": {'
        f'"example.com": [{mailbox % "ann"}], "example.com": [{mailbox % "bob"}]}}}}'
    )
    with zipfile.ZipFile(twice, "w") as archive:
        archive.writestr("order.json", text)
    before = [m.email for m in window.document.order.mailboxes]
    problem = window.files.open_path(twice, confirmed=True, quiet=True)
    assert problem == (
        'twice.cmrorder cannot be opened: its order.json names the key mailboxes["example.com"] '
        "twice, so other tools could read a different order from it."
    )
    assert [m.email for m in window.document.order.mailboxes] == before
    assert window.document.path is None
    assert window.statusBar().currentMessage() == problem
