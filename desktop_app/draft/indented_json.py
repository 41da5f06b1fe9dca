"""``json.dumps(document, indent=2)``, the same text, without its per-value generators.

With ``indent`` set, the standard library encodes in Python, one generator
per list and object and one yielded piece per token: ~0.1 s for the
``order.json`` of 20,000 mailboxes.  Here each object and list is one
``join`` and every string goes through the standard library's C escaper, so
the text is the same, character for character.  Anything this does not
know (keys that are not strings, values other than the JSON kinds) is left
to ``json.dumps`` itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json import encoder

_INDENT = "  "


class _Unknown(Exception):
    """A value or key this module leaves to ``json.dumps``."""


def dumps(document: object, ensure_ascii: bool) -> str:
    """``json.dumps(document, ensure_ascii=ensure_ascii, indent=2)``."""
    escape = encoder.encode_basestring_ascii if ensure_ascii else encoder.encode_basestring
    try:
        return _value(document, escape, "\n")
    except _Unknown:
        return json.dumps(document, ensure_ascii=ensure_ascii, indent=2)


def _value(value: object, escape: Callable[[str], str], newline: str) -> str:
    """``value`` encoded, where ``newline`` is a line break and the indent of its line."""
    kind = type(value)
    if kind is str:
        return escape(value)  # type: ignore[arg-type]
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + _INDENT
        parts = []
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is not str:
                raise _Unknown
            # Most values are text: escaped here, without a call of this function each.
            text = escape(item) if type(item) is str else _value(item, escape, inner)
            parts.append(f"{escape(key)}: {text}")
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = newline + _INDENT
        items = [
            escape(item) if type(item) is str else _value(item, escape, inner)
            for item in value  # type: ignore[attr-defined]
        ]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if value is None or kind is bool or kind is int or kind is float:
        return json.dumps(value)
    raise _Unknown
