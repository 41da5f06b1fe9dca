"""``order-desk import``'s field options and ``order-desk set``, run as real processes."""

from __future__ import annotations

import os

import pytest
from cli_support import order_desk
from factories import sample_order

from desktop_app.draft import draft_file
from desktop_app.order.model import Provider
from desktop_app.order.validation import CLIENT_ID_RULE


def assert_one_sentence(result):
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("order-desk: "), result.stderr
    return lines[0].removeprefix("order-desk: ")


@pytest.fixture
def draft(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    path = folder / "june.cmrorder"
    draft_file.save(sample_order(2, 2), path)
    # An old time, so a write now could not leave it the same.
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return path


@pytest.mark.parametrize(
    ("name", "value", "sentence"),
    [
        ("Client ID", "12ab", CLIENT_ID_RULE),
        ("client-id", "536726988839.apps.googleusercontent.com", CLIENT_ID_RULE),
        (
            "Google OAuth route",
            "oauth.example.com",
            "Google OAuth route must be an http(s) address.",
        ),
        (
            "microsoftOauthRoute",
            "http://login.example.com",
            "Microsoft OAuth route must be an https:// address.",
        ),
        (
            "Provider",
            "Yahoo",
            "Provider must be Google Workspace or Microsoft 365, not 'Yahoo'.",
        ),
        ("Process at once", "maybe", "Process at once must be on or off (yes or no), not 'maybe'."),
        ("autoRenew", "", "Renew automatically must be on or off (yes or no), not ''."),
        (
            "User ID",
            "abc\u202edef",
            "User ID contains a text direction override (U+202E), which hides or reorders what "
            "is shown; remove it.",
        ),
        ("colour", "red", "There is no field 'colour': the fields are Provider,"),
        ("User ID", None, "Give User ID a value: set FILE NAME VALUE ('' for none)."),
    ],
)
def test_a_bad_name_or_value_is_one_sentence_exit_2_and_the_draft_is_untouched(
    draft, name, value, sentence
):
    before = draft.read_bytes(), draft.stat().st_mtime_ns
    result = order_desk("set", draft, name, *([] if value is None else [value]))
    assert result.returncode == 2
    assert assert_one_sentence(result).startswith(sentence)
    assert (draft.read_bytes(), draft.stat().st_mtime_ns) == before
    assert [p.name for p in draft.parent.iterdir()] == [draft.name]  # no temporary file left


def test_set_changes_one_field_and_keeps_everything_else(draft):
    before = draft_file.load(draft)
    result = order_desk("set", draft, "provider", "Microsoft 365")
    assert result.returncode == 0, result.stderr
    said = f"Provider (sent as serviceProvider) is now Microsoft 365 in {draft.name}.\n"
    assert result.stdout == said
    after = draft_file.load(draft)
    assert after.provider is Provider.MICROSOFT
    after.provider = Provider.GOOGLE
    assert after.domains == before.domains and after.user_id == before.user_id
    assert [(m.key, m.avatar.digest) for m in after.mailboxes] == [
        (m.key, m.avatar.digest) for m in before.mailboxes
    ]


def test_set_says_a_field_that_is_not_sent_is_not_sent(draft):
    named = order_desk("set", draft, "Name", "June batch")
    assert named.stdout == f"Name (not sent) is now June batch in {draft.name}.\n"


def test_setting_a_value_already_there_writes_nothing(draft):
    before = draft.read_bytes(), draft.stat().st_mtime_ns
    result = order_desk("set", draft, "User ID", draft_file.load(draft).user_id)
    assert result.returncode == 0 and "unchanged" in result.stdout
    assert (draft.read_bytes(), draft.stat().st_mtime_ns) == before


def test_set_without_a_name_lists_the_fields_with_values_and_api_names(draft):
    order_desk("set", draft, "Renew automatically", "yes")
    result = order_desk("set", draft)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [
        ["Provider", "serviceProvider", "Google", "Workspace"],
        [
            "Google",
            "OAuth",
            "route",
            "google.googleOauthRoute",
            "https://oauth.example.com/callback",
        ],
        ["Client", "ID", "google.clientId", "104857600123456789012"],
        ["App", "name", "google.appName", "Outreach"],
        ["Microsoft", "OAuth", "route", "microsoftOauthRoute", "(none)"],
        ["Name", "(not", "sent)", "Sample", "order"],
        ["User", "ID", "userId", "42"],
        ["Process", "at", "once", "confirm", "off"],
        ["Renew", "automatically", "autoRenew", "on"],
    ]


def test_an_unreadable_draft_is_one_sentence_exit_2(tmp_path):
    path = tmp_path / "junk.cmrorder"
    path.write_bytes(b"not a zip")
    result = order_desk("set", path, "User ID", "42")
    assert result.returncode == 2
    assert_one_sentence(result)
    assert path.read_bytes() == b"not a zip"


def test_import_refuses_a_bad_field_value_before_writing_anything(tmp_path):
    (tmp_path / "domains.csv").write_text("domain\nalpha.com\n", encoding="utf-8")
    out = tmp_path / "june.cmrorder"
    result = order_desk(
        "import", "--domains", tmp_path / "domains.csv", "-o", out, "--client-id", "12ab"
    )
    assert result.returncode == 2
    assert assert_one_sentence(result) == f"--client-id: {CLIENT_ID_RULE}"
    assert not out.exists()


def test_import_sets_the_fields_and_validate_finds_the_draft_complete(tmp_path):
    (tmp_path / "domains.csv").write_text("domain\nalpha.com\n", encoding="utf-8")
    (tmp_path / "mailboxes.csv").write_text(
        "email,firstName,lastName\nann@alpha.com,Ann,Lee\n", encoding="utf-8"
    )
    out = tmp_path / "june.cmrorder"
    result = order_desk(
        "import",
        "--domains",
        tmp_path / "domains.csv",
        "--mailboxes",
        tmp_path / "mailboxes.csv",
        "-o",
        out,
        "--provider",
        "microsoft",
        "--microsoft-oauth-route",
        "https://login.example.com/cb",
        "--user-id",
        "8J7HM04FRXUT4VK86128K6D25APS",
        "--process-at-once",
    )
    assert result.returncode == 0, result.stderr
    order = draft_file.load(out)
    assert order.provider is Provider.MICROSOFT and order.confirm and not order.auto_renew
    assert order.microsoft_oauth_route == "https://login.example.com/cb"
    assert order.user_id == "8J7HM04FRXUT4VK86128K6D25APS" and order.name == "june"
    checked = order_desk("validate", out)
    assert checked.returncode == 0
    # The one warning left is the missing picture: no User ID warning, no empty OAuth field.
    assert checked.stdout.splitlines() == [
        "warning: avatar ann@alpha.com: This mailbox has no profile picture.",
        "june.cmrorder: 0 errors, 1 warning",
    ]


def test_import_never_writes_over_a_draft_unless_told(tmp_path):
    (tmp_path / "domains.csv").write_text("domain,years\nexample.com,1\n", encoding="utf-8")
    out = tmp_path / "june.cmrorder"
    first = order_desk("import", "--domains", tmp_path / "domains.csv", "-o", out)
    assert first.returncode == 0, first.stderr
    assert order_desk("set", out, "User ID", "8J7HM04FRXUT4VK86128K6D25APS").returncode == 0
    before = out.read_bytes()
    again = order_desk("import", "--domains", tmp_path / "domains.csv", "-o", out)
    assert again.returncode == 2 and "exists: nothing was written" in again.stderr
    assert out.read_bytes() == before
    replaced = order_desk("import", "--domains", tmp_path / "domains.csv", "-o", out, "--replace")
    assert replaced.returncode == 0 and out.read_bytes() != before
