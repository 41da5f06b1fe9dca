"""Draft files: what they hold, that saving is atomic, and that no file from a stranger hurts."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import tracemalloc
import zipfile
import zlib

import pytest
from factories import (
    GPS_LATITUDE,
    RawEntry,
    deflated_zeros,
    make_jpeg_with_exif_gps,
    make_png,
    sample_order,
    write_raw_zip,
    write_zip,
)
from PIL import Image

from desktop_app.api.payload import build_request
from desktop_app.draft import draft_file
from desktop_app.draft.draft_file import DraftError, load, save
from desktop_app.order.avatars import (
    MAX_SIDE,
    ArchiveSource,
    Avatar,
    MemorySource,
    avatar_from_bytes,
    broken_avatar,
    normalised_shape,
)
from desktop_app.order.model import DomainEntry, GoogleSettings, Mailbox, Order, Provider
from desktop_app.order.validation import Severity, Table, validate

GIB = 1024**3


def order_json(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("order.json"))


def draft(path, document, members=None):
    """A hand-made draft: ``document`` as order.json (dict, or raw text/bytes) plus members."""
    body = document if isinstance(document, str | bytes) else json.dumps(document)
    return write_zip(path, {"order.json": body, **(members or {})})


# --- what a draft holds ---------------------------------------------------------------


def test_round_trip_keeps_every_field_and_picture(tmp_path):
    order = sample_order(3, 2)
    order.domains[0].forward_to = "https://landing.example.com"
    order.domains[0].mask_forwarding = True
    order.confirm, order.auto_renew = True, True
    order.provider = Provider.MICROSOFT
    order.microsoft_oauth_route = "https://login.example.com/cb"
    path = tmp_path / "team.cmrorder"
    save(order, path)
    loaded = load(path)

    assert loaded.domains == order.domains
    assert [(m.domain, m.username, m.first_name, m.last_name) for m in loaded.mailboxes] == [
        (m.domain, m.username, m.first_name, m.last_name) for m in order.mailboxes
    ]
    assert [m.avatar.read() for m in loaded.mailboxes] == [m.avatar.read() for m in order.mailboxes]
    for field in ("name", "notes", "user_id", "provider", "google", "microsoft_oauth_route"):
        assert getattr(loaded, field) == getattr(order, field)
    assert loaded.confirm and loaded.auto_renew
    assert loaded.google.client_id == "104857600123456789012"  # every digit


def test_order_json_uses_the_api_field_names_in_draft_order(tmp_path):
    order = Order(name="Launch", notes="for Q3", user_id="7")
    order.domains = [DomainEntry("zeta.com", 2), DomainEntry("alpha.com", "ten", "alpha.org", True)]
    pic = avatar_from_bytes(make_png((1, 2, 3), 32))
    order.mailboxes = [
        Mailbox("zeta.com", "Ann", "Ann", "Lee", pic),
        Mailbox("alpha.com", "bob", "Bob", "Roe"),
        Mailbox("zeta.com", "cy", "Cy", "Poe"),
    ]
    order.google = GoogleSettings("https://o.example.com", "123", "App")
    path = tmp_path / "launch.cmrorder"
    save(order, path)
    document = order_json(path)

    assert list(document) == [
        "format", "version", "name", "notes", "userId", "domains", "mailboxes", "avatars",
        "billingCycle", "serviceProvider", "google", "microsoftOauthRoute", "confirm", "autoRenew",
        "mailboxOrder",
    ]  # fmt: skip
    assert document["mailboxOrder"] == [0, 2, 1]  # the table's rows: Ann, bob, cy
    assert document["format"] == "cmrorder" and document["version"] == 1
    assert document["domains"] == [
        {"domain": "zeta.com", "years": 2, "forwardTo": "", "maskForwarding": False},
        {"domain": "alpha.com", "years": "ten", "forwardTo": "alpha.org", "maskForwarding": True},
    ]
    assert list(document["mailboxes"]) == ["zeta.com", "alpha.com"]  # order of first appearance
    assert [m["username"] for m in document["mailboxes"]["zeta.com"]] == ["Ann", "cy"]
    assert document["mailboxes"]["alpha.com"] == [
        {"username": "bob", "firstName": "Bob", "lastName": "Roe"}
    ]
    member = f"avatars/{pic.digest[:20]}.png"
    assert document["avatars"] == {"Ann@zeta.com": member}  # keyed as typed
    assert document["google"] == {
        "googleOauthRoute": "https://o.example.com",
        "clientId": "123",
        "appName": "App",
    }
    assert document["billingCycle"] == "MONTHLY" and document["serviceProvider"] == "GOOGLE"
    assert (document["name"], document["notes"], document["userId"]) == ("Launch", "for Q3", "7")
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("order.json").compress_type == zipfile.ZIP_DEFLATED
        assert archive.getinfo(member).compress_type == zipfile.ZIP_STORED
        assert archive.read(member) == pic.read()


def test_identical_pictures_are_stored_once(tmp_path):
    order = sample_order(1, 3)
    same = avatar_from_bytes(make_png((9, 9, 9), 20))
    for mailbox in order.mailboxes:
        mailbox.avatar = avatar_from_bytes(same.read())  # equal bytes, separate objects
    path = tmp_path / "d.cmrorder"
    save(order, path)
    with zipfile.ZipFile(path) as archive:
        assert [n for n in archive.namelist() if n.startswith("avatars/")] == [
            f"avatars/{same.digest[:20]}.png"
        ]
    assert all(m.avatar.read() == same.read() for m in load(path).mailboxes)


def test_saving_twice_writes_the_same_bytes(tmp_path):
    order = sample_order(2, 2)
    save(order, tmp_path / "a.cmrorder")
    save(load(tmp_path / "a.cmrorder"), tmp_path / "b.cmrorder")
    assert (tmp_path / "a.cmrorder").read_bytes() == (tmp_path / "b.cmrorder").read_bytes()


def test_invalid_values_are_kept_as_typed(tmp_path):
    document = {
        "domains": [{"domain": "not a domain", "years": "ten", "forwardTo": "ftp://x"}],
        "mailboxes": {"not a domain": [{"username": "..bad", "firstName": "", "lastName": " "}]},
        "google": {"clientId": "12ab"},
    }
    order = load(draft(tmp_path / "d.cmrorder", document))
    assert order.domains == [DomainEntry("not a domain", "ten", "ftp://x", False)]
    assert order.mailboxes == [Mailbox("not a domain", "..bad", "", " ")]
    assert order.google.client_id == "12ab"
    columns = {p.column for p in validate(order) if p.severity is Severity.ERROR}
    assert {
        "domain",
        "years",
        "forwardTo",
        "username",
        "firstName",
        "lastName",
        "google.clientId",
    } <= columns


def test_a_draft_saved_with_a_numeric_client_id_opens_and_sends_it_exactly(tmp_path):
    # Drafts written before the client ID became a string hold a JSON number.
    text = (
        '{"domains": [{"domain": "a.com"}], "confirm": "", "autoRenew": false, "google": '
        '{"googleOauthRoute": "https://oauth.example.com", "clientId": 104857600123456789012, '
        '"appName": "App"}}'
    )
    order = load(draft(tmp_path / "d.cmrorder", text))
    assert order.google.client_id == "104857600123456789012"
    assert order.confirm is False and order.auto_renew is False  # "" is the API's "off"
    assert not [p for p in validate(order) if p.severity is Severity.ERROR]
    sent = json.loads(build_request(order).field("google"))["clientId"]
    assert sent == "104857600123456789012"
    save(order, tmp_path / "again.cmrorder")
    assert order_json(tmp_path / "again.cmrorder")["google"]["clientId"] == sent


def test_missing_optional_keys_get_defaults_and_unknown_keys_are_ignored(tmp_path):
    order = load(
        draft(tmp_path / "d.cmrorder", {"domains": [{"domain": "a.com"}], "colour": "red"})
    )
    assert order.domains == [DomainEntry("a.com", 1, "", False)]
    assert order.mailboxes == [] and order.provider is Provider.GOOGLE
    assert order.google.is_blank() and not order.confirm and order.name == ""


def test_another_tools_spellings_are_understood(tmp_path):
    document = {
        "serviceProvider": "microsoft",
        "billingCycle": "monthly",
        "confirm": "TRUE",
        "google": {"clientId": 123456789012345678901234567890},
        "domains": [{"domain": "a.com", "years": 2.5}],
    }
    order = load(draft(tmp_path / "d.cmrorder", document))
    assert order.provider is Provider.MICROSOFT and order.confirm is True
    assert order.google.client_id == "123456789012345678901234567890"
    assert order.domains[0].years == "2.5"


# --- avatars ----------------------------------------------------------------------------


def test_avatar_keys_match_exactly_first_then_ignoring_case(tmp_path):
    red, blue, green = (make_png(c, 24) for c in [(255, 0, 0), (0, 0, 255), (0, 255, 0)])
    document = {
        "mailboxes": {
            "Shop.com": [{"username": "John"}, {"username": "john"}, {"username": "amy"}]
        },
        "avatars": {
            "AMY@SHOP.COM": "avatars/green.png",  # no exact match: found ignoring case
            "john@Shop.com": "avatars/blue.png",  # exact: the second mailbox, not the first
            "John@Shop.com": "avatars/red.png",
            "nobody@shop.com": "avatars/red.png",
        },
    }
    members = {"avatars/red.png": red, "avatars/blue.png": blue, "avatars/green.png": green}
    path = draft(tmp_path / "d.cmrorder", document, members)
    order = load(path)
    assert [m.avatar.read() for m in order.mailboxes] == [red, blue, green]
    assert list(order.unassigned_avatars) == ["nobody@shop.com"]
    assert order.unassigned_avatars["nobody@shop.com"].read() == red

    save(order, path)
    saved = order_json(path)["avatars"]
    assert set(saved) == {"John@Shop.com", "john@Shop.com", "amy@Shop.com", "nobody@shop.com"}
    assert saved["nobody@shop.com"] == saved["John@Shop.com"]  # same picture, stored once
    assert load(path).unassigned_avatars.keys() == {"nobody@shop.com"}


def test_a_raw_photo_from_another_tool_is_normalised_on_load(tmp_path):
    photo = make_jpeg_with_exif_gps(size=(1600, 1000), orientation=6)
    document = {
        "mailboxes": {"a.com": [{"username": "ann"}]},
        "avatars": {"ann@a.com": "photos/ann.jpg"},
    }
    path = draft(tmp_path / "d.cmrorder", document, {"photos/ann.jpg": photo})
    order = load(path)
    avatar = order.mailboxes[0].avatar
    assert avatar.problem is None and normalised_shape(avatar.read()).width == MAX_SIDE
    save(order, path)
    with zipfile.ZipFile(path) as archive:
        stored = [archive.read(n) for n in archive.namelist() if n.startswith("avatars/")]
    assert len(stored) == 1 and normalised_shape(stored[0]) is not None
    image = Image.open(io.BytesIO(stored[0]))
    assert not image.getexif() and str(GPS_LATITUDE[0]).encode() not in stored[0]
    assert image.size == (MAX_SIDE, MAX_SIDE)


def test_a_broken_picture_is_reported_and_its_bytes_are_kept(tmp_path):
    truncated = make_png((5, 5, 5), 300)[:500]
    document = {
        "mailboxes": {"a.com": [{"username": "ann"}]},
        "avatars": {"ann@a.com": "avatars/x.png"},
    }
    path = draft(tmp_path / "d.cmrorder", document, {"avatars/x.png": truncated})
    order = load(path)
    assert order.mailboxes[0].avatar.problem
    assert any(p.table is Table.AVATARS and p.severity is Severity.ERROR for p in validate(order))
    save(order, path)
    again = load(path)
    assert again.mailboxes[0].avatar.read() == truncated and again.mailboxes[0].avatar.problem
    assert order_json(path)["avatars"]["ann@a.com"].endswith(".png")


def test_a_large_draft_opens_without_decoding_a_single_picture(tmp_path, monkeypatch):
    order = sample_order(100, 50)
    path = tmp_path / "big.cmrorder"
    save(order, path)

    def refuse(*args, **kwargs):
        raise AssertionError("a normalised picture was decoded")

    monkeypatch.setattr(Image, "open", refuse)
    loaded = load(path)
    assert loaded.avatar_count() == 5000
    assert loaded.mailboxes[4321].avatar.read() == order.mailboxes[4321].avatar.read()
    save(loaded, tmp_path / "again.cmrorder")  # copies bytes, never re-encodes
    assert order_json(tmp_path / "again.cmrorder") == order_json(path)


# --- saving -----------------------------------------------------------------------------


class FailingSource:
    """An avatar source that breaks, like a disk that fails mid-save."""

    def open(self):
        raise OSError("the disk went away")


def test_a_failed_save_leaves_the_old_file_whole_and_no_temp_files(tmp_path):
    path = tmp_path / "d.cmrorder"
    save(sample_order(1, 2), path)
    before = path.read_bytes()
    order = sample_order(2, 3)
    order.mailboxes[4].avatar = Avatar(FailingSource(), "image/png", 10, "ab" * 32, 10)
    with pytest.raises(DraftError) as caught:
        save(order, path)
    message = str(caught.value)
    assert "user1@brand1.example.com" in message and "disk went away" in message
    assert message.startswith("d.cmrorder was not saved") and message.endswith(").")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.cmrorder", "home"]


def test_saving_into_a_missing_folder_is_one_sentence(tmp_path):
    with pytest.raises(DraftError, match=r"^d\.cmrorder cannot be saved \(.+\)\.$"):
        save(sample_order(1, 1), tmp_path / "nowhere" / "d.cmrorder")
    assert not (tmp_path / "nowhere").exists()


def test_after_a_save_avatars_read_from_the_saved_file(tmp_path):
    order = sample_order(1, 2)
    kept = order.mailboxes[0].avatar  # as undo history would hold it
    assert isinstance(kept.source, MemorySource)
    path = tmp_path / "d.cmrorder"
    save(order, path)
    for mailbox in order.mailboxes:
        assert isinstance(mailbox.avatar.source, ArchiveSource)
        assert mailbox.avatar.source.archive.path == path
    assert order.mailboxes[0].avatar.read() == kept.read()

    from_first_file = order.mailboxes[0].avatar
    order.mailboxes[0].avatar = avatar_from_bytes(make_png((0, 0, 0), 30))
    save(order, path)  # replaces the file the earlier avatar reads from
    assert from_first_file.read() == kept.read()  # the old handle still reads the old file
    assert load(path).mailboxes[0].avatar.read() == order.mailboxes[0].avatar.read()


def test_before_replacing_on_windows_open_archives_move_into_memory(tmp_path):
    path = tmp_path / "d.cmrorder"
    save(sample_order(1, 1), path)
    avatar = load(path).mailboxes[0].avatar
    expected = avatar.read()
    draft_file._release_archives_of(path)
    # Overwrite the file in place: a handle still open on it would now read garbage.
    with open(path, "r+b") as stream:
        stream.write(b"\0" * path.stat().st_size)
    assert avatar.read() == expected


def test_saving_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "d.cmrorder"
    save(sample_order(1, 1), path)
    os.chmod(path, 0o640)
    save(sample_order(1, 1), path)
    assert path.stat().st_mode & 0o777 == 0o640


# --- files from strangers ---------------------------------------------------------------


def assert_one_sentence(error: DraftError, *words: str) -> None:
    message = str(error)
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ("not a ZIP",)),
        (b"domain,years\nexample.com,1\n", ("not a ZIP",)),
        (make_png(), ("not a ZIP",)),
        (b"PK\x05\x06" + b"\0" * 18, ("order.json",)),  # an empty ZIP
    ],
)
def test_not_a_draft(tmp_path, content, words):
    path = tmp_path / "x.cmrorder"
    path.write_bytes(content)
    with pytest.raises(DraftError) as caught:
        load(path)
    assert_one_sentence(caught.value, "x.cmrorder", *words)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DraftError, match="does not exist"):
        load(tmp_path / "gone.cmrorder")
    with pytest.raises(DraftError, match="folder"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", ("not valid JSON", "line 1")),
        (b'{"name": "\xff"}', ("not UTF-8",)),
        ("[" * 200_000 + "]" * 200_000, ("nested too deeply",)),
        ('{"years": ' + "9" * 5000 + "}", ("not valid JSON",)),
    ],
)
def test_broken_order_json(tmp_path, body, words):
    with pytest.raises(DraftError) as caught:
        load(draft(tmp_path / "x.cmrorder", body))
    assert_one_sentence(caught.value, "x.cmrorder", *words)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ([], "order.json should be an object, not a list"),
        ({"domains": "a.com"}, "domains should be a list, not text"),
        ({"domains": [7]}, "domains[0] should be an object, not a number"),
        ({"domains": [{"years": [1]}]}, "domains[0].years should be a number, not a list"),
        ({"domains": [{"domain": {"x": 1}}]}, "domains[0].domain should be text, not an object"),
        (
            {"domains": [{"maskForwarding": "maybe"}]},
            "domains[0].maskForwarding should be true or false",
        ),
        ({"mailboxes": ["a"]}, "mailboxes should be an object, not a list"),
        ({"mailboxes": {"a.com": 5}}, 'mailboxes["a.com"] should be a list, not a number'),
        (
            {"mailboxes": {"a.com": [{"firstName": []}]}},
            'mailboxes["a.com"][0].firstName should be text',
        ),
        ({"mailboxes": {"a.com": [3]}}, 'mailboxes["a.com"][0] should be an object, not a number'),
        ({"avatars": {"a@a.com": 1}}, 'avatars["a@a.com"] should be text, not a number'),
        ({"google": "x"}, "google should be an object, not text"),
        ({"confirm": 1}, "confirm should be true or false, not a number"),
        (
            {"serviceProvider": "YAHOO"},
            'serviceProvider should be GOOGLE or MICROSOFT, not "YAHOO"',
        ),
        ({"billingCycle": "YEARLY"}, "only be billed MONTHLY"),
        ({"version": "1"}, "version should be a whole number"),
        ({"format": "zipfile"}, 'not an Order Desk draft (its format is "zipfile")'),
    ],
)
def test_wrong_types_name_the_field(tmp_path, document, field):
    with pytest.raises(DraftError) as caught:
        load(draft(tmp_path / "x.cmrorder", document))
    assert_one_sentence(caught.value, "x.cmrorder", field)


def test_a_draft_from_a_newer_order_desk(tmp_path):
    document = {"format": "cmrorder", "version": 2, "domains": "a brand new shape"}
    with pytest.raises(DraftError) as caught:
        load(draft(tmp_path / "x.cmrorder", document))
    assert_one_sentence(caught.value, "newer Order Desk", "version 2")


def test_huge_counts_are_refused(tmp_path):
    document = {"domains": [{}] * 100_001}
    with pytest.raises(DraftError) as caught:
        load(draft(tmp_path / "x.cmrorder", document))
    assert_one_sentence(caught.value, "100,000 domains")


def test_a_password_protected_draft(tmp_path):
    body = b'{"version": 1}'
    path = write_raw_zip(tmp_path / "x.cmrorder", [RawEntry("order.json", body, flags=0x1)])
    with pytest.raises(DraftError) as caught:
        load(path)
    assert_one_sentence(caught.value, "password")


def test_an_order_json_that_declares_a_gib(tmp_path):
    entry = RawEntry("order.json", deflated_zeros(4 * 1024**2), zipfile.ZIP_DEFLATED, GIB, 0)
    path = write_raw_zip(tmp_path / "x.cmrorder", [entry])
    with pytest.raises(DraftError) as caught:
        load(path)
    assert_one_sentence(caught.value, "larger than 50 MB")


def test_an_order_json_that_lies_about_inflating_to_a_gib(tmp_path):
    # The headers claim 100 bytes; the data inflates to a GiB of zeros.
    entry = RawEntry("order.json", deflated_zeros(GIB), zipfile.ZIP_DEFLATED, 100, 0)
    path = write_raw_zip(tmp_path / "x.cmrorder", [entry])
    tracemalloc.start()
    try:
        with pytest.raises(DraftError) as caught:
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_one_sentence(caught.value, "damaged")
    assert peak < 5 * 1024**2


def avatar_document(count: int) -> bytes:
    mailboxes = [{"username": f"u{i}"} for i in range(count)]
    avatars = {f"u{i}@a.com": f"avatars/{i}.png" for i in range(count)}
    return json.dumps({"mailboxes": {"a.com": mailboxes}, "avatars": avatars}).encode()


def test_a_picture_bomb_becomes_a_problem_not_a_crash(tmp_path):
    bomb = deflated_zeros(GIB)
    entries = [
        RawEntry("order.json", avatar_document(3)),
        RawEntry("avatars/0.png", bomb, zipfile.ZIP_DEFLATED, GIB, 0),  # declared honestly
        RawEntry("avatars/1.png", bomb, zipfile.ZIP_DEFLATED, 2000, 0),  # declared small
        RawEntry("avatars/2.png", make_png((1, 1, 1), 16)),
    ]
    path = write_raw_zip(tmp_path / "x.cmrorder", entries)
    tracemalloc.start()
    try:
        order = load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024**2
    problems = [m.avatar.problem for m in order.mailboxes]
    assert problems[0] and problems[1] and problems[2] is None
    errors = [
        p for p in validate(order) if p.table is Table.AVATARS and p.severity is Severity.ERROR
    ]
    assert [p.key for p in errors] == ["u0@a.com", "u1@a.com"]


def test_many_pictures_inflating_past_a_gib_are_refused_before_reading(tmp_path):
    size = 32 * 1024**2  # each under the per-picture limit, together over a GiB
    zeros = deflated_zeros(size)
    crc = zlib.crc32(bytes(size))
    entries = [RawEntry("order.json", avatar_document(40))]
    entries += [
        RawEntry(f"avatars/{i}.png", zeros, zipfile.ZIP_DEFLATED, size, crc) for i in range(40)
    ]
    path = write_raw_zip(tmp_path / "x.cmrorder", entries)
    with pytest.raises(DraftError) as caught:
        load(path)
    assert_one_sentence(caught.value, "x.cmrorder", "unpack")


def test_overlapping_entries_are_refused(tmp_path):
    picture = os.urandom(1024 * 1024)
    entries = [RawEntry("order.json", avatar_document(50)), RawEntry("avatars/0.png", picture)]
    entries += [RawEntry(f"avatars/{i}.png", same_data_as="avatars/0.png") for i in range(1, 50)]
    path = write_raw_zip(tmp_path / "x.cmrorder", entries)
    with pytest.raises(DraftError) as caught:
        load(path)
    assert_one_sentence(caught.value, "x.cmrorder", "unpack")


def test_entries_climbing_out_are_never_written_anywhere(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    document = {
        "mailboxes": {"a.com": [{"username": "ann"}]},
        "avatars": {"ann@a.com": "avatars/a.png"},
    }
    members = {
        "avatars/a.png": make_png(),
        "../evil.png": make_png(),
        "/tmp/absolute-evil.png": make_png(),
        "avatars/../../escape.txt": b"x",
    }
    path = draft(folder / "x.cmrorder", document, members)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    order = load(path)
    assert order.mailboxes[0].avatar.problem is None
    save(order, path)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    with zipfile.ZipFile(path) as archive:
        assert all(".." not in n and not n.startswith("/") for n in archive.namelist())


@pytest.mark.parametrize(
    "member", ["../evil.png", "/etc/passwd", "avatars/../../x.png", "C:\\x.png"]
)
def test_a_picture_path_climbing_out_is_refused(tmp_path, member):
    document = {"mailboxes": {"a.com": [{"username": "ann"}]}, "avatars": {"ann@a.com": member}}
    with pytest.raises(DraftError) as caught:
        load(draft(tmp_path / "x.cmrorder", document, {"avatars/a.png": make_png()}))
    assert_one_sentence(caught.value, "ann@a.com", "outside")


def test_a_missing_picture_member_is_a_problem(tmp_path):
    document = {
        "mailboxes": {"a.com": [{"username": "ann"}]},
        "avatars": {"ann@a.com": "avatars/gone.png"},
    }
    order = load(draft(tmp_path / "x.cmrorder", document))
    assert order.mailboxes[0].avatar.problem
    # Nothing to copy: the next save drops it instead of failing.
    save(order, tmp_path / "y.cmrorder")
    assert order_json(tmp_path / "y.cmrorder")["avatars"] == {}


def test_broken_avatar_without_a_name_saves_as_bin(tmp_path):
    order = Order(
        mailboxes=[Mailbox("a.com", "ann", "Ann", "Lee", broken_avatar(b"junk", "not a picture"))]
    )
    save(order, tmp_path / "d.cmrorder")
    member = order_json(tmp_path / "d.cmrorder")["avatars"]["ann@a.com"]
    assert member.endswith(".bin")
    assert load(tmp_path / "d.cmrorder").mailboxes[0].avatar.read() == b"junk"


ODD_MEMBERS = [
    RawEntry("", make_png(), flags=0x1),  # encrypted
    RawEntry("", make_png(), method=99),  # a compression nobody knows
    RawEntry("", b"\xff" * 100, zipfile.ZIP_DEFLATED, 1000),  # corrupt deflate data
    RawEntry("", b"BZh9garbage", zipfile.ZIP_BZIP2, 1000),
    RawEntry("", bytes(20), zipfile.ZIP_LZMA, 1000),
]


@pytest.mark.parametrize(
    "odd", ODD_MEMBERS, ids=["encrypted", "method99", "deflate", "bzip2", "lzma"]
)
def test_pictures_that_cannot_be_unpacked_are_problems(tmp_path, odd):
    member = dataclasses.replace(odd, name="avatars/0.png")
    path = write_raw_zip(
        tmp_path / "x.cmrorder", [RawEntry("order.json", avatar_document(1)), member]
    )
    order = load(path)
    assert order.mailboxes[0].avatar.problem == "avatars/0.png cannot be read"


@pytest.mark.parametrize("odd", ODD_MEMBERS[1:], ids=["method99", "deflate", "bzip2", "lzma"])
def test_an_order_json_that_cannot_be_unpacked(tmp_path, odd):
    member = dataclasses.replace(odd, name="order.json")
    with pytest.raises(DraftError) as caught:
        load(write_raw_zip(tmp_path / "x.cmrorder", [member]))
    assert_one_sentence(caught.value, "x.cmrorder", "order.json")


def test_a_picture_opened_with_its_pixels_left_to_check_is_a_problem_once_checked(tmp_path):
    from factories import save_draft_with_damaged_pixels

    from desktop_app.order.avatars import finish_checks

    path = save_draft_with_damaged_pixels(tmp_path / "damaged.cmrorder")
    at_once = load(path)
    problem = at_once.mailboxes[1].avatar.problem
    assert problem is not None and problem.endswith("is damaged or truncated")
    errors = [p.message for p in validate(at_once) if p.severity is Severity.ERROR]
    assert len(errors) == 1 and problem in errors[0]

    later = load(path, pixels_later=True)
    avatar = later.mailboxes[1].avatar
    assert avatar.problem is None and not avatar.checked
    assert [p for p in validate(later) if p.severity is Severity.ERROR] == []
    save(later, tmp_path / "saved unchecked.cmrorder")  # kept as it was, still to check
    assert finish_checks(m.avatar for m in later.mailboxes) == 1
    assert avatar.checked and avatar.problem == problem
    assert later.mailboxes[0].avatar.checked and later.mailboxes[0].avatar.problem is None
    assert [p.message for p in validate(later) if p.severity is Severity.ERROR] == errors
    reopened = load(tmp_path / "saved unchecked.cmrorder")
    assert reopened.mailboxes[1].avatar.problem == problem


def test_pictures_are_written_as_the_zip_library_writes_them_byte_for_byte(tmp_path):
    from desktop_app.draft.draft_file import _entry, write_stored

    members = [
        ("order.json", b'{"a": 1}' * 50, zipfile.ZIP_DEFLATED),
        ("avatars/0123.png", make_png(), zipfile.ZIP_STORED),
        ("avatars/bücher.jpg", b"\xff\xd8" + bytes(range(256)) * 9, zipfile.ZIP_STORED),
        ("avatars/empty.bin", b"", zipfile.ZIP_STORED),
    ]

    def written(path, write):
        with zipfile.ZipFile(path, "w") as archive:
            for name, data, compression in members:
                info = _entry(name, compression)
                if compression == zipfile.ZIP_STORED:
                    write(archive, info, data)
                else:
                    archive.writestr(info, data)
        return path.read_bytes()

    ours = written(tmp_path / "ours.zip", write_stored)
    theirs = written(tmp_path / "theirs.zip", lambda a, info, data: a.writestr(info, data))
    assert ours == theirs
    with zipfile.ZipFile(tmp_path / "ours.zip") as archive:
        assert archive.testzip() is None
        assert [archive.read(name) for name, _data, _c in members] == [d for _n, d, _c in members]
