"""Where an order goes: the rules of ``services/destinations.py``, from a real settings file."""

from __future__ import annotations

import os

import pytest
from cli_support import order_desk
from send_support import small_order

from desktop_app.draft import draft_file
from desktop_app.services.destinations import DestinationRefused, resolve
from desktop_app.services.environments import Environment
from desktop_app.services.settings import SANDBOX_BASE_URL, Settings

UNREADABLE = ["@ByteArray(http://127.0.0.1:9)", "@Variant(\\0\\0\\0\\x7f)", "@Invalid()"]


@pytest.mark.parametrize("stored", UNREADABLE)
def test_an_unreadable_address_never_falls_back_to_production(app_home, stored):
    (app_home / "settings.ini").write_text(f"[sending]\nbase_url={stored}\n", encoding="utf-8")
    refused = r"sending/base_url in settings\.ini cannot be read"
    with pytest.raises(DestinationRefused, match=refused):
        resolve(Environment.PRODUCTION, Settings(app_home))


def test_an_unreadable_address_stops_a_send_before_anything_goes(app_home, tmp_path):
    (app_home / "settings.ini").write_text(
        "[sending]\nbase_url=@ByteArray(http://127.0.0.1:9)\n", encoding="utf-8"
    )
    draft = tmp_path / "june.cmrorder"
    draft_file.save(small_order(1), draft)
    environ = {**os.environ, "CMR_API_KEY": "some-key-123456"}  # the test's own app home
    sent = order_desk("send", draft, "--yes", env=environ)
    assert sent.returncode == 1
    assert "cannot be read" in sent.stderr and "Nothing was sent" in sent.stderr
    assert "customers.coldmailreseller.com" not in sent.stdout + sent.stderr


def test_the_sandbox_on_the_production_server_under_another_path_is_refused(app_home):
    settings = Settings(app_home)
    settings.set(SANDBOX_BASE_URL, "https://sandbox.example.com")
    production_elsewhere = (
        "https://customers.coldmailreseller.com/x",
        "https://CUSTOMERS.coldmailreseller.com.:443/api",
    )
    for address in production_elsewhere:
        with pytest.raises(ValueError, match="on the production server"):
            settings.set(SANDBOX_BASE_URL, address)
    assert resolve(Environment.SANDBOX, settings).base_url == "https://sandbox.example.com"
