"""A draft means one thing: ``order.json`` naming a key twice, at any level, is refused."""

from __future__ import annotations

import zipfile

import pytest
from cli_support import order_desk

from desktop_app.draft import draft_file

MAILBOX = '{"username": "%s", "firstName": "Ann", "lastName": "Lee"}'
DOMAINS = '"domains": [{"domain": "example.com", "years": 1}]'

# (order.json with one key named twice, the path the refusal must name)
TWICE = {
    "a domain's mailboxes": (
        "{" + DOMAINS + ', "mailboxes": {"example.com": [' + MAILBOX % "ann" + "], "
        '"example.com": [' + MAILBOX % "bob" + "]}}",
        'mailboxes["example.com"]',
    ),
    "confirm": ('{"confirm": false, ' + DOMAINS + ', "confirm": true}', "confirm"),
    "a mailbox's field": (
        "{" + DOMAINS + ', "mailboxes": {"example.com": [{"username": "ann", "firstName": "A", '
        '"lastName": "L", "username": "bob"}]}}',
        'mailboxes["example.com"][0].username',
    ),
    "a domain row's field": (
        '{"domains": [{"domain": "example.com", "years": 1}, '
        '{"domain": "b.com", "years": 1, "years": 9}]}',
        "domains[1].years",
    ),
    "google": (
        "{" + DOMAINS + ', "google": {"appName": "x", "clientId": "1", "appName": "y"}}',
        "google.appName",
    ),
}


def draft_with(tmp_path, text: str):
    path = tmp_path / "twice.cmrorder"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("order.json", text)
    return path


@pytest.mark.parametrize(("text", "path"), TWICE.values(), ids=TWICE.keys())
def test_a_key_named_twice_is_refused_naming_its_path(tmp_path, text, path):
    draft = draft_with(tmp_path, text)
    with pytest.raises(draft_file.DraftError) as refused:
        draft_file.load(draft)
    assert f"names the key {path} twice" in str(refused.value)
    assert str(refused.value).count(".") >= 1 and "\n" not in str(refused.value)


@pytest.mark.parametrize(("text", "path"), TWICE.values(), ids=TWICE.keys())
def test_validate_and_export_refuse_it_with_one_sentence(tmp_path, text, path):
    draft = draft_with(tmp_path, text)
    checked = order_desk("validate", draft)
    exported = order_desk(
        "export", draft, "--domains", tmp_path / "d.csv", "--mailboxes", tmp_path / "m.csv"
    )
    for result in (checked, exported):
        assert result.returncode == 2
        assert result.stdout == ""
        assert f"names the key {path} twice" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "d.csv").exists()


def test_the_same_keys_in_different_objects_are_fine(tmp_path):
    text = (
        '{"domains": [{"domain": "a.com", "years": 1}, {"domain": "b.com", "years": 1}], '
        '"mailboxes": {"a.com": [' + MAILBOX % "ann" + "], "
        '"b.com": [' + MAILBOX % "ann" + "]}}"
    )
    order = draft_file.load(draft_with(tmp_path, text))
    assert [m.email for m in order.mailboxes] == ["ann@a.com", "ann@b.com"]
