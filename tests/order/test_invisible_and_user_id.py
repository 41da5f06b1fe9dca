"""Invisible characters in a domain or username, and User IDs: errors, never dropped unseen."""

from __future__ import annotations

import pytest
from cli_support import order_desk
from factories import sample_order

from desktop_app.draft import draft_file
from desktop_app.order.validation import Severity, validate
from desktop_app.services.history import History

INVISIBLE = {
    "soft hyphen": "\u00ad",
    "zero width space": "\u200b",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "zero width joiner": "\u200d",
}


def errors_at(problems, column, row=0):
    return [
        p for p in problems if p.severity is Severity.ERROR and p.column == column and p.row == row
    ]


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_invisible_character_in_a_domain_is_an_error_naming_it_and_where(char):
    order = sample_order(1, 1)
    order.domains[0].domain = f"odd{char}one.com"
    order.mailboxes[0].domain = f"odd{char}one.com"
    found = errors_at(validate(order), "domain")
    assert sorted(p.table.name for p in found) == ["DOMAINS", "MAILBOXES"]
    for problem in found:
        assert f"U+{ord(char):04X}" in problem.message and "position 4" in problem.message


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_invisible_character_in_a_username_is_an_error_naming_it(char):
    order = sample_order(1, 1)
    order.mailboxes[0].username = f"ann{char}lee"
    [problem] = errors_at(validate(order), "username")
    assert f"U+{ord(char):04X}" in problem.message and "position 4" in problem.message


def test_validate_says_which_invisible_character_and_refuses(tmp_path):
    order = sample_order(1, 1)
    order.domains[0].domain = "odd\u00adone.com"
    draft_file.save(order, tmp_path / "odd.cmrorder")
    result = order_desk("validate", tmp_path / "odd.cmrorder")
    assert result.returncode == 1
    assert "U+00AD" in result.stdout and "position 4" in result.stdout
    assert "\u00ad" not in result.stdout


@pytest.mark.parametrize(
    "user_id",
    ["A" * 70_000, "A" * 65, "8J7HM04F RXUT", "Bücher", "id\u200b42", "x\ty"],
    ids=["70000 chars", "65 chars", "space", "accent", "zero width", "tab"],
)
def test_a_user_id_that_is_not_plain_printable_ascii_of_64_is_an_error(user_id):
    order = sample_order(1, 1)
    order.user_id = user_id
    assert errors_at(validate(order), "userId", None)


@pytest.mark.parametrize("user_id", ["8J7HM04FRXUT4VK86128K6D25APS", "A" * 64, "42", "user-7_x.y"])
def test_cmrs_user_ids_and_other_printable_ones_pass(user_id):
    order = sample_order(1, 1)
    order.user_id = user_id
    assert not errors_at(validate(order), "userId", None)


def test_send_refuses_a_long_user_id_before_anything_is_claimed(tmp_path, app_home):
    draft_file.save(sample_order(1, 1), tmp_path / "o.cmrorder")
    result = order_desk(
        "send",
        tmp_path / "o.cmrorder",
        "--env",
        "practice",
        "--user-id",
        "A" * 70_000,
        "--yes",
    )
    assert result.returncode == 1
    assert "User ID must be plain printable ASCII" in result.stderr
    assert "orderId" not in result.stdout
    assert History().attempts() == []
