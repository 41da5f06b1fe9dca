"""Domain names and usernames: how they are compared and how they are sent.

Both are case-insensitive at the API, and the request carries domains in
their ASCII (IDNA/punycode) form.  The user always sees what they typed.
"""

from __future__ import annotations

import functools
import re

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_USERNAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
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
        if not _LABEL.match(label):
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
    if not _USERNAME.match(username):
        return "a username may only use ASCII letters, digits, '.', '_' and '-'"
    if username.startswith(".") or username.endswith("."):
        return "a username cannot start or end with a dot"
    if ".." in username:
        return "a username cannot contain two dots in a row"
    return None


def canonical_mailbox_key(username: str, domain: str) -> str:
    """``username@domain`` lowercased, domain in ASCII form: the API's file-part name."""
    return f"{username.strip().lower()}@{comparable_domain(domain)}"
