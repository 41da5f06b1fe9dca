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

from desktop_app.api.outcome import MIN_SECRET_PART, redact

_LAYERS = 3  # an escape inside a percent-encoding inside a JSON string, at most
_MAX_DEPTH = 200  # deeper JSON is not walked: the whole text is read as text instead
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\(.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
_ENCODED = re.compile(r"[\\%&+]")  # text without these has no decoding but itself


class _TooDeep(Exception):
    pass


def redact_answer(text: str, key: str) -> str:
    """``text`` without the key in any decoding of it (see the module's note).

    Text that is JSON stays JSON: each of its strings is redacted on its own,
    and the document is written again only when one of them held the key.
    """
    key = key.strip()
    if not key:
        return text
    return _Redactor(key).answer(text)


class _Redactor:
    def __init__(self, key: str) -> None:
        self.key = key
        size = min(len(key), MIN_SECRET_PART)
        runs = {key[i : i + size] for i in range(len(key) - size + 1)}
        self._shows = re.compile("|".join(re.escape(run) for run in sorted(runs)))

    def shows_key(self, text: str) -> bool:
        return self._shows.search(text) is not None

    def redact(self, text: str) -> str:
        # Only text holding a run of the key changes: most strings are passed by at once.
        return redact(text, self.key) if self.shows_key(text) else text

    def answer(self, text: str) -> str:
        import json

        text = self.redact(text)
        if not _ENCODED.search(text):
            return text  # nothing in it decodes to anything else
        try:
            document = json.loads(text)
            cleaned, changed = self._value(document, 0)
        except (ValueError, RecursionError, _TooDeep):
            return self.text(text, _LAYERS)
        if not changed:
            return text
        return json.dumps(cleaned, ensure_ascii=True)

    def _value(self, value: Any, depth: int) -> tuple[Any, bool]:
        if depth > _MAX_DEPTH:
            raise _TooDeep
        if isinstance(value, str):
            cleaned = self._string(value)
            return cleaned, cleaned != value
        if isinstance(value, list):
            items = [self._value(item, depth + 1) for item in value]
            return [item for item, _ in items], any(changed for _, changed in items)
        if isinstance(value, dict):
            changed = False
            out: dict[str, Any] = {}
            for name, item in value.items():
                new_name, name_changed = self._value(name, depth + 1)
                new_item, item_changed = self._value(item, depth + 1)
                out[new_name] = new_item
                changed = changed or name_changed or item_changed
            return out, changed
        return value, False

    def _string(self, text: str) -> str:
        if len(text) < MIN_SECRET_PART:
            return text  # decoding only shortens text: no run of the key can hide in it
        if text.lstrip().startswith(("{", "[")):
            return self.answer(text)  # a JSON document inside a string
        return self.text(text, _LAYERS)

    def text(self, text: str, layers: int) -> str:
        """``text`` redacted; if a decoding of it shows the key, that decoding, redacted."""
        text = self.redact(text)
        if layers <= 0 or not _ENCODED.search(text):
            return text
        for decode in _DECODINGS:
            decoded = decode(text)
            if decoded == text:
                continue
            cleaned = self.text(decoded, layers - 1)
            if cleaned != decoded or self.shows_key(decoded):
                return cleaned
        return text


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
