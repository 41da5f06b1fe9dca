"""The server's reason for an answer: found where each kind of backend puts it, one line."""

from __future__ import annotations

import json

import pytest
from send_support import SECRET_KEY

from desktop_app.api.outcome import MAX_REASON_CHARS, Outcome, classify_answer


def reason(answer: bytes | str | dict, status: int = 400, scrub=lambda text: text) -> str:
    if isinstance(answer, dict):
        answer = json.dumps(answer)
    if isinstance(answer, str):
        answer = answer.encode("utf-8")
    result, _ = classify_answer(status, None, answer, None, 1, scrub)
    assert result is not None
    return result.server_message


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"status": 400, "message": "Please provide a userId"}, "Please provide a userId"),
        # NestJS's ValidationPipe: a list of messages, and "error" naming the status.
        (
            {
                "message": ["confirm must be a boolean value", "years must not be less than 1"],
                "error": "Bad Request",
                "statusCode": 400,
            },
            "confirm must be a boolean value; years must not be less than 1",
        ),
        # FastAPI: "detail", a string ...
        ({"detail": "Not authenticated"}, "Not authenticated"),
        # ... or a list of {loc, msg, type}.
        (
            {
                "detail": [
                    {"loc": ["body", "google"], "msg": "Field required", "type": "missing"},
                    {"loc": ["query", "userId"], "msg": "Input should be a valid integer"},
                ]
            },
            "google: Field required; userId: Input should be a valid integer",
        ),
        ({"detail": [{"msg": "Too many files"}]}, "Too many files"),
        ({"error": "Forbidden"}, "Forbidden"),
        # The first key that says something wins; blank or odd values are passed over.
        ({"message": "  ", "detail": None, "error": "Conflict"}, "Conflict"),
        ({"message": {"en": "nested"}, "detail": "flat"}, "flat"),
        ({"status": 400, "data": None}, ""),
    ],
)
def test_json_reasons_are_found_where_each_framework_puts_them(answer, expected):
    assert reason(answer) == expected


def test_a_fastapi_detail_is_shown_instead_of_no_reason_given():
    result, _ = classify_answer(422, None, b'{"detail": "Domain is taken"}', None, 1)
    assert result is not None and result.outcome is Outcome.NOT_CREATED
    assert "Domain is taken" in result.message and "no reason given" not in result.message


NGINX_413 = (
    "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
    "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (NGINX_413, "413 Request Entity Too Large"),
        (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            "<title>\n  Access denied &amp; logged | Cloudflare\n</title>"
            "<script>var x = '<title>no</title>';</script></head><body>blocked</body></html>",
            "Access denied & logged | Cloudflare",
        ),
        (
            "<html><head><style>p { color: red }</style></head>"
            "<body><h1>Bad Gateway</h1><p>The upstream server failed.</p></body></html>",
            "Bad Gateway The upstream server failed.",
        ),
    ],
)
def test_an_html_page_is_reduced_to_its_title(page, expected):
    assert reason(page, 413) == expected


def test_plain_text_and_broken_bytes_become_one_clean_line():
    assert reason(b"Bad Gateway\r\n\r\nupstream\tclosed\n", 502) == "Bad Gateway upstream closed"
    assert reason(b"caf\xc3\xa9 \xff refused", 400) == "café \ufffd refused"


def test_control_and_invisible_characters_are_removed():
    text = "Refused:\x1b[31m red\x00 \u202edetsiL\u202c\u200b ok\x7f\n\u2028next"
    shown = reason({"message": text})
    assert shown == "Refused:[31m red detsiL ok next"
    assert all(ch.isprintable() for ch in shown)


def test_a_long_reason_is_cut_at_a_word_with_an_ellipsis():
    words = " ".join(f"word{i}" for i in range(200))
    shown = reason({"message": words})
    assert len(shown) <= MAX_REASON_CHARS and shown.endswith("…")
    assert words.startswith(shown[:-1])
    assert shown[:-1].split()[-1] in words.split()  # whole words only
    unbroken = "x" * 5000
    assert reason(unbroken, 400) == "x" * (MAX_REASON_CHARS - 1) + "…"


def test_a_key_echoed_where_the_reason_is_cut_never_shows_even_in_part():
    scrub = lambda text: text.replace(SECRET_KEY, "<api-key>")  # noqa: E731
    for at in range(MAX_REASON_CHARS - 40, MAX_REASON_CHARS + 5):
        shown = reason({"message": "a" * at + SECRET_KEY + " tail"}, scrub=scrub)
        assert SECRET_KEY[:6] not in shown, at


def test_a_megabyte_of_reason_is_cut_like_any_other():
    shown = reason({"message": "  \n" * 300_000 + "late words " * 10_000})
    assert shown.startswith("late words late") and shown.endswith("…")
    assert len(shown) <= MAX_REASON_CHARS
    shown = reason({"message": "early words " * 100_000})
    assert shown.startswith("early words") and shown.endswith("…")
    assert len(shown) <= MAX_REASON_CHARS


def test_an_answer_of_nothing_but_control_characters_gives_no_reason():
    result, _ = classify_answer(400, None, b"\x00\x01\x1b" * 400_000, None, 1)
    assert result is not None and result.server_message == ""
    assert "no reason given" in result.message
