"""What a check raises when it sees something wrong (shared by every check module)."""

from __future__ import annotations


class CheckFailed(Exception):
    """A check saw something wrong; the message says what, in one sentence."""
