"""``order-desk status`` asks nothing it cannot ask properly: the sender's rules for key and IDs."""

from __future__ import annotations

import os

import pytest
from cli_support import order_desk

from desktop_app.practice.server import PracticeServer
from desktop_app.services.settings import BASE_URL, Settings

BAD = [
    (["ORDER1"], "key\x1b[31m", "cannot contain spaces or control characters"),
    (["ORDER1"], "PR\u00d6DKEY-123", "API key"),
    ([" "], "good-key-123456", "Give the order ID"),
    (["A" * 65], "good-key-123456", "is not an order ID"),
    (["ORDER1", "--user-id", "U 1"], "good-key-123456", "User ID must be plain printable"),
]


@pytest.mark.parametrize(("arguments", "key", "said"), BAD)
def test_what_send_would_refuse_is_one_sentence_and_nothing_is_asked(
    app_home, arguments, key, said
):
    with PracticeServer(key=key if key.isascii() else "x") as production:
        Settings(app_home).set(BASE_URL, production.base_url)
        asked = order_desk("status", *arguments, env={**os.environ, "CMR_API_KEY": key})
        assert production.status_requests == []
    assert asked.returncode == 1
    assert said in asked.stderr and "Traceback" not in asked.stderr
    assert "\x1b" not in asked.stderr
