"""The API key taken out of anything a server says, however it was written.

A server may echo the key as it came, or written another way that reads
back as the key once decoded: JSON's ``\\u0073`` escapes or PHP's ``\\/``,
percent-encoding, HTML entities, in a JSON key or value at any depth.  The
raw text is redacted first, then every decoded form of it is read: wherever
a decoding shows (part of) the key, the text is kept in that decoded form,
redacted.  Sending, status and any later endpoint call :func:`redact_answer`
before anything is shown, printed, stored or logged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from desktop_app.api.outcome import redact

_LAYERS = 3  # an escape inside a percent-encoding inside a JSON string, at most
_MAX_DEPTH = 64  # a JSON value nested deeper is not walked (nor shown: see tree_lines)
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\(.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def redact_answer(text: str, key: str) -> str:
    """``text`` without the key in any decoding of it (see the module's note).

    Text that is JSON stays JSON: each of its strings is redacted on its own,
    and the document is written again only when one of them held the key.
    """
    key = key.strip()
    if not key:
        return text
    text = redact(text, key)
    import json

    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return _redact_text(text, key, _LAYERS)
    cleaned, changed = _redact_value(document, key, 0)
    if not changed:
        return text
    try:
        return json.dumps(cleaned, ensure_ascii=True)
    except (ValueError, RecursionError):  # cannot happen for what json.loads made; be safe
        return _redact_text(text, key, _LAYERS)


def _redact_value(value: Any, key: str, depth: int) -> tuple[Any, bool]:
    if depth > _MAX_DEPTH:
        return value, False
    if isinstance(value, str):
        cleaned = redact_answer(value, key) if depth < _MAX_DEPTH else value
        return cleaned, cleaned != value
    if isinstance(value, list):
        items = [_redact_value(item, key, depth + 1) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for name, item in value.items():
            new_name, name_changed = _redact_value(name, key, depth + 1)
            new_item, item_changed = _redact_value(item, key, depth + 1)
            out[new_name] = new_item
            changed = changed or name_changed or item_changed
        return out, changed
    return value, False


def _redact_text(text: str, key: str, layers: int) -> str:
    """``text`` redacted; if a decoding of it shows the key, that decoding, redacted."""
    text = redact(text, key)
    if layers <= 0:
        return text
    for decode in _DECODINGS:
        decoded = decode(text)
        if decoded == text:
            continue
        cleaned = _redact_text(decoded, key, layers - 1)
        if cleaned != decoded or _shows_key(decoded, key):
            return cleaned
    return text


def _shows_key(text: str, key: str) -> bool:
    return redact(text, key) != text


def _json_unescaped(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return chr(int(match.group(1), 16))
        char = match.group(2)
        return _SIMPLE_ESCAPES.get(char, char)  # \/ \" \\ and PHP's other escapes

    # Surrogate pairs written as two escapes become one character again.
    joined = _JSON_ESCAPE.sub(replace, text)
    try:
        return joined.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeError:
        return joined


def _percent_decoded(text: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(text) if "%" in text or "+" in text else text


def _html_unescaped(text: str) -> str:
    import html

    return html.unescape(text) if "&" in text else text


_DECODINGS: tuple[Callable[[str], str], ...] = (
    _json_unescaped,
    _percent_decoded,
    _html_unescaped,
)
