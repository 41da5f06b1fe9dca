"""``order-desk validate --env``: the check refuses what ``send`` with the same options would."""

from __future__ import annotations

from cli_support import order_desk
from send_support import small_order

from desktop_app.draft import draft_file


def test_the_sandbox_without_its_address_is_an_error_as_send_refuses(tmp_path):
    draft = tmp_path / "june.cmrorder"
    draft_file.save(small_order(1), draft)
    checked = order_desk("validate", draft, "--env", "sandbox")
    sent = order_desk("send", draft, "--env", "sandbox", "--yes")
    assert sent.returncode == 1 and "address is not set" in sent.stderr
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "error: CMR sandbox address: The CMR sandbox's address is not set" in checked.stdout


def test_practice_is_checked_without_starting_a_server_and_production_stays_clean(tmp_path):
    draft = tmp_path / "june.cmrorder"
    draft_file.save(small_order(1), draft)
    sent = order_desk("send", draft, "--env", "practice", "--yes")
    assert sent.returncode == 0, sent.stderr
    in_practice = order_desk("validate", draft, "--env", "practice")
    in_production = order_desk("validate", draft)
    assert in_practice.returncode == 0 and "already ordered" in in_practice.stdout
    assert in_production.returncode == 0 and "already ordered" not in in_production.stdout
