"""Domain names and usernames: how they are compared and how they are sent.

Both are case-insensitive at the API, and the request carries domains in
their ASCII (IDNA/punycode) form.  The user always sees what they typed.
"""

from __future__ import annotations

import functools
import re
import unicodedata


# Patterns are compiled on first use, not when the module is imported.
@functools.cache
def _label() -> re.Pattern[str]:
    return re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@functools.cache
def _username() -> re.Pattern[str]:
    return re.compile(r"^[A-Za-z0-9._-]{1,64}$")


MAX_DOMAIN_LENGTH = 253


class DomainError(ValueError):
    """A domain that cannot be registered; the message says why, in plain words."""


def ascii_domain(text: str) -> str:
    """The registrable ASCII form of ``text`` (lowercase, IDN as punycode).

    Raises :class:`DomainError` with a one-sentence reason when ``text`` is not
    a bare registrable host name.
    """
    encoded, problem = _checked_domain(text)
    if problem is not None:
        raise DomainError(problem)
    return encoded


def domain_problem(text: str) -> str | None:
    """Why ``text`` is not a registrable domain, or None when it is."""
    return _checked_domain(text)[1]


# A big order repeats each domain on every one of its mailboxes, and IDNA
# encoding is the slowest step of validation: remember the answers.
@functools.lru_cache(maxsize=65536)
def _checked_domain(text: str) -> tuple[str, str | None]:
    try:
        return _encode_domain(text), None
    except DomainError as exc:
        return "", str(exc)


def _encode_domain(text: str) -> str:
    import idna

    domain = text.strip()
    if not domain:
        raise DomainError("the domain is empty")
    if "://" in domain or "/" in domain or "?" in domain or "#" in domain:
        raise DomainError("enter a bare domain such as example.com, without http:// or a path")
    if any(ch.isspace() for ch in domain):
        raise DomainError("a domain cannot contain spaces")
    if "@" in domain or ":" in domain:
        raise DomainError("a domain cannot contain '@' or ':'")
    domain = domain.rstrip(".").lower()
    if "." not in domain:
        raise DomainError("a domain needs a dot and a top-level part, such as example.com")
    try:
        encoded = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise DomainError(f"not a valid domain name ({_idna_reason(exc)})") from None
    if len(encoded) > MAX_DOMAIN_LENGTH:
        raise DomainError(f"a domain can be at most {MAX_DOMAIN_LENGTH} characters long")
    labels = encoded.split(".")
    for label in labels:
        if not _label().match(label):
            raise DomainError(
                f"'{label}' is not a valid part of a domain: letters, digits and inner hyphens, "
                "at most 63 characters"
            )
    if labels[-1].isdigit():
        raise DomainError("the top-level part of a domain cannot be all digits")
    return encoded


def _idna_reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[0].lower() + text[1:] if text else text


def comparable_domain(text: str) -> str:
    """A key under which two spellings of one domain compare equal.

    Falls back to the trimmed lowercase text when the domain is invalid, so
    invalid drafts still group and compare sensibly.
    """
    encoded, problem = _checked_domain(text)
    return encoded if problem is None else text.strip().rstrip(".").lower()


def username_problem(username: str) -> str | None:
    """Why ``username`` cannot be a mailbox name, or None when it can."""
    if not username:
        return "the username is empty"
    if len(username) > 64:
        return "a username can be at most 64 characters long"
    if not _username().match(username):
        return "a username may only use ASCII letters, digits, '.', '_' and '-'"
    if username.startswith(".") or username.endswith("."):
        return "a username cannot start or end with a dot"
    if ".." in username:
        return "a username cannot contain two dots in a row"
    return None


def canonical_mailbox_key(username: str, domain: str) -> str:
    """``username@domain`` lowercased, domain in ASCII form: the API's file-part name."""
    return f"{username.strip().lower()}@{comparable_domain(domain)}"


# --- text that tricks the eye or the terminal ------------------------------------------


# C0 and C1 control characters (NUL, escape, ...) and the bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
# make text show in another order than it is sent ("Trojan source").
@functools.cache
def _hidden() -> re.Pattern[str]:
    return re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_LINE_BREAKS = frozenset("\t\n\r")
_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def any_hidden(*texts: str) -> bool:
    """Whether any of ``texts`` holds a character that :func:`hidden_character` describes."""
    return _hidden().search("".join(texts)) is not None


def hidden_character(text: str, multiline: bool = False) -> str | None:
    """The first character of ``text`` that hides or reorders what is shown, described; or None.

    ``multiline`` text (notes) may hold tabs and line breaks.
    """
    for found in _hidden().finditer(text):
        char = found.group()
        if multiline and char in _LINE_BREAKS:
            continue
        code = ord(char)
        if code == 0:
            return "a NUL character"
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            return f"a text direction override (U+{code:04X})"
        return f"a control character (U+{code:04X})"
    return None


def invisible_character(text: str) -> str | None:
    """The first invisible character of ``text`` with its position, described; or None.

    Format characters (Unicode category Cf: zero-width spaces and joiners,
    U+2060, U+FEFF) and the soft hyphen show as nothing, and IDNA drops them:
    ``odd\u00adone.com`` would be bought as ``oddone.com``.  Direction overrides
    are left to :func:`hidden_character`, which names them.
    """
    if text.isascii():
        return None
    for position, char in enumerate(text, 1):
        if (char == "\u00ad" or unicodedata.category(char) == "Cf") and not _hidden().match(char):
            name = unicodedata.name(char, "").title() or "a format character"
            return f"an invisible character (U+{ord(char):04X}, {name}) at position {position}"
    return None


def mixed_scripts(domain: str) -> list[str]:
    """The scripts one label of ``domain`` mixes, among Latin, Cyrillic and Greek; [] if none.

    ``pаypal.com`` with a Cyrillic ``а`` reads as paypal.com but is another domain.
    """
    if domain.isascii():
        return []
    for label in domain.split("."):
        scripts = {
            name.split(" ", 1)[0]
            for name in (unicodedata.name(char, "") for char in label if char.isalpha())
        }
        found = [script for script in _LOOKALIKE_SCRIPTS if script in scripts]
        if len(found) > 1:
            return [script.title() for script in found]
    return []


def printable(text: str) -> str:
    """``text`` with control characters and direction overrides shown as escapes (``\\x1b``).

    A problem quotes what was typed; printed as it is, an escape sequence from
    a stranger's draft would drive the terminal.
    """
    return _hidden().sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)
