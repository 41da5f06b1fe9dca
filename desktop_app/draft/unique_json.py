"""``order.json`` read so that it means one thing: a key named twice is refused.

Python's json module keeps the last of two equal keys, other readers the
first: a ``mailboxes`` object naming one domain twice, or ``"confirm"`` given
twice, would be one order here and another elsewhere.  The refusal names the
key by its path (``mailboxes["example.com"]``, ``domains[0].years``).
"""

from __future__ import annotations

import json
from typing import Any


class DuplicateKey(ValueError):
    """An object in the document names one key twice; ``path`` says where."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class _Twice(dict[str, Any]):
    """An object read with a key named twice (the first such key kept in ``twice``)."""

    twice: str = ""


def loads_unique(text: str) -> object:
    """``json.loads(text)``, raising :class:`DuplicateKey` for a key named twice."""
    seen_twice = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal seen_twice
        result: dict[str, Any] = {}
        for name, value in items:
            if name in result and not seen_twice:
                seen_twice = True
                marked = _Twice(items)
                marked.twice = name
                return marked
            result[name] = value
        return result

    document = json.loads(text, object_pairs_hook=pairs, parse_constant=_not_json)
    if seen_twice:
        # Only now are the objects' places known: the hook sees them inner first.
        raise DuplicateKey(_path_of_twice(document) or "?")
    return document


def _not_json(word: str) -> object:
    """NaN and Infinity are not JSON: other tools refuse them, and read as text they
    would become a User ID "nan" or a mailbox "inf@…"."""
    raise ValueError(f"{word} is not JSON")


def _path_of_twice(value: object, path: str = "") -> str | None:
    pending: list[tuple[object, str]] = [(value, path)]
    while pending:
        current, where = pending.pop()
        if isinstance(current, _Twice):
            return _joined(where, current.twice)
        if isinstance(current, dict):
            pending += [(item, _joined(where, name)) for name, item in current.items()]
        elif isinstance(current, list):
            pending += [(item, f"{where}[{index}]") for index, item in enumerate(current)]
    return None


def _joined(where: str, name: str) -> str:
    if name.isidentifier():
        return f"{where}.{name}" if where else name
    return f"{where}[{json.dumps(name, ensure_ascii=False)}]"
