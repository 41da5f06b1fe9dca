"""Numbers where a draft holds text, and numbers no table can hold: one sentence, never a crash."""

from __future__ import annotations

import zipfile

import pytest
from cli_support import order_desk

from desktop_app.draft import draft_file
from desktop_app.order.validation import has_errors, validate

DOMAINS = '"domains": [{"domain": "example.com", "years": 1}]'
MAILBOX = '"mailboxes": {"example.com": [{"username": %s, "firstName": "A", "lastName": "B"}]}'


def draft_with(tmp_path, text: str):
    path = tmp_path / "strange.cmrorder"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("order.json", text)
    return path


@pytest.mark.parametrize(
    "text",
    [
        "{" + DOMAINS + ', "userId": NaN}',
        "{" + DOMAINS + ', "userId": -Infinity}',
        "{" + DOMAINS + ", " + MAILBOX % "Infinity" + "}",
    ],
    ids=["NaN", "-Infinity", "Infinity-username"],
)
def test_words_that_are_not_json_are_refused(tmp_path, text):
    with pytest.raises(draft_file.DraftError, match="is not valid JSON"):
        draft_file.load(draft_with(tmp_path, text))


@pytest.mark.parametrize("number", ["1.50e2", "1e999", "12.0"])
def test_a_fraction_where_text_belongs_is_refused_not_rewritten(tmp_path, number):
    draft = draft_with(tmp_path, "{" + DOMAINS + f', "userId": {number}}}')
    with pytest.raises(draft_file.DraftError, match="userId"):
        draft_file.load(draft)
    checked = order_desk("validate", draft)
    assert checked.returncode == 2 and "userId" in checked.stderr


def test_a_whole_number_where_text_belongs_keeps_its_digits(tmp_path):
    draft = draft_with(tmp_path, "{" + DOMAINS + ', "userId": 123456789012345678901234567}')
    assert draft_file.load(draft).user_id == "123456789012345678901234567"


@pytest.mark.parametrize("years", ["9223372036854775808", "-9223372036854775809", "10" * 20])
def test_years_past_any_cell_open_as_an_error_and_the_window_shows_them(tmp_path, years):
    text = '{"domains": [{"domain": "example.com", "years": ' + years + "}]}"
    draft = draft_with(tmp_path, text)
    order = draft_file.load(draft)
    assert has_errors(validate(order))
    shot = tmp_path / "shot.png"
    shown = order_desk("open", draft, "--screenshot", shot, timeout=120)
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert shot.stat().st_size > 0 and "Traceback" not in shown.stderr
