"""The mailbox table's row order is the operator's: it survives save and reopen."""

from __future__ import annotations

import json
import zipfile

import pytest
from factories import make_png, write_zip

from desktop_app.api.payload import build_request
from desktop_app.draft.draft_file import DraftError, load, save
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, Mailbox, Order

INTERLEAVED = [("ann", "a.com"), ("bob", "b.com"), ("cat", "a.com"), ("dan", "b.com")]


def interleaved_order() -> Order:
    order = Order(domains=[DomainEntry("a.com"), DomainEntry("b.com")])
    order.mailboxes = [Mailbox(domain, user, user.title(), "X") for user, domain in INTERLEAVED]
    order.mailboxes[2].avatar = avatar_from_bytes(make_png((10, 200, 10), 64))
    return order


def test_interleaved_rows_come_back_in_the_same_order_with_their_pictures(tmp_path):
    path = tmp_path / "rows.cmrorder"
    save(interleaved_order(), path)
    loaded = load(path)
    assert [(m.username, m.domain) for m in loaded.mailboxes] == INTERLEAVED
    assert [m.avatar is not None for m in loaded.mailboxes] == [False, False, True, False]
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("order.json"))
    # The file still groups by domain, as the API does; the order is kept beside it.
    assert list(document["mailboxes"]) == ["a.com", "b.com"]
    assert document["mailboxOrder"] == [0, 2, 1, 3]


def test_rows_already_grouped_write_no_order_and_files_stay_as_before(tmp_path):
    order = interleaved_order()
    order.mailboxes.sort(key=lambda m: m.domain)
    path = tmp_path / "grouped.cmrorder"
    save(order, path)
    with zipfile.ZipFile(path) as archive:
        assert "mailboxOrder" not in json.loads(archive.read("order.json"))


def test_the_request_still_groups_mailboxes_by_domain():
    request = build_request(interleaved_order())
    fields = dict(request.fields)
    grouped = json.loads(fields["mailboxes"])
    assert {d: [m["username"] for m in ms] for d, ms in grouped.items()} == {
        "a.com": ["ann", "cat"],
        "b.com": ["bob", "dan"],
    }


@pytest.mark.parametrize("bad", ["0,1", [0, 0], [0], [0, 2], [True, False], [0.0, 1.0]])
def test_a_broken_mailbox_order_is_one_sentence(tmp_path, bad):
    document = {
        "format": "cmrorder",
        "mailboxes": {"a.com": [{"username": "ann"}, {"username": "cat"}]},
        "mailboxOrder": bad,
    }
    path = write_zip(tmp_path / "bad.cmrorder", {"order.json": json.dumps(document)})
    with pytest.raises(DraftError) as caught:
        load(path)
    assert str(caught.value) == (
        "bad.cmrorder cannot be opened: mailboxOrder should be a list of the numbers "
        "0 to 1, each once."
    )
