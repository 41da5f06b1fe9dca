"""What an API key may look like: the one rule the window, ``order-desk key set`` and the
sender share, kept with the API because the key travels in one of its headers."""

from __future__ import annotations


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be an API key, or None when it can.

    The one rule for the window, ``order-desk key set`` and the sender: the
    key travels in an HTTP header, so it must be non-empty plain printable
    ASCII without spaces (no accents, curly quotes or invisible characters).
    """
    if not key:
        return "The API key is empty."
    if any(ch.isspace() or not ch.isprintable() for ch in key):
        return "The API key cannot contain spaces or control characters."
    if not all("!" <= ch <= "~" for ch in key):
        return (
            "The API key can only hold plain letters, digits and punctuation (no accents, "
            "curly quotes or invisible characters): paste it again."
        )
    return None
