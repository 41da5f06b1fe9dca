"""The INI flavour Qt's ``QSettings`` reads and writes, without Qt.

``settings.ini`` was written by ``QSettings`` before the settings store
existed, and the window's geometry is still kept by it: this module reads
that flavour (``[General]`` for keys outside a group, ``\\`` for ``/`` in a
key, ``%XX`` escapes, quoted values, ``\\x`` escapes, ``@@`` for a leading
``@``) the way Qt does, and writes text Qt reads back unchanged.

A document keeps every line it does not change as it was, byte for byte: an
operator's other settings, the geometry Qt stored as ``@ByteArray(…)``, and
lines this version does not understand all survive a save.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

_SPACE = frozenset(b" \t\r\n")
_SPECIAL = frozenset(b'\n\r";=\\')
_EOL = b"\r\n" if os.name == "nt" else b"\n"  # what QSettings writes on this system
_KEY_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPES |= {'"': '"', "?": "?", "'": "'", "\\": "\\"}
_WRITTEN_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r"}
_WRITTEN_ESCAPES |= {"\t": "\\t", "\v": "\\v", '"': '\\"', "\\": "\\\\"}
# Values Qt stores as a type of its own rather than as text.
_TYPED = ("@ByteArray(", "@Variant(", "@DateTime(", "@Rect(", "@Size(", "@Point(")
_HEX = frozenset("0123456789abcdefABCDEF")


class NotText(ValueError):
    """A stored value that is not text: one Qt wrote as a type of its own, or not UTF-8."""


def logical_lines(data: bytes) -> list[tuple[bytes, int]]:
    """The lines of an INI file as QSettings splits them, each with the index of its ``=``.

    A quoted value may run over several lines, a ``\\`` at the end of a line
    continues it, and ``;`` starts a comment (outside quotes).  The index is
    -1 for a line without ``=`` (a section header, or garbage).
    """
    lines: list[tuple[bytes, int]] = []
    pos, size = 0, len(data)
    while True:
        start = pos
        while start < size and data[start] in _SPACE:
            start += 1
        i, in_quotes, equals = start, False, -1
        while i < size:
            ch = data[i]
            i += 1
            if ch not in _SPECIAL:
                continue
            if ch == ord("="):
                if not in_quotes and equals == -1:
                    equals = i - 1
            elif ch in (ord("\n"), ord("\r")):
                if i == start + 1:
                    start += 1
                elif not in_quotes:
                    i -= 1
                    break
            elif ch == ord("\\"):
                if i < size:
                    escaped = data[i]
                    i += 1
                    if i < size and {escaped, data[i]} == {ord("\n"), ord("\r")}:
                        i += 1
            elif ch == ord('"'):
                in_quotes = not in_quotes
            elif i == start + 1:  # a comment line
                while i < size and data[i] not in (ord("\n"), ord("\r")):
                    i += 1
                while i < size and data[i] in _SPACE:
                    i += 1
                start = i
            elif not in_quotes:  # a comment after a value ends it
                i -= 1
                break
        pos = i
        if i <= start:
            return lines
        lines.append((data[start:i], equals - start if equals >= 0 else -1))


def unescape_key(text: str) -> str:
    """A key (or group name) as written, read back: ``\\`` is ``/``, ``%XX``/``%UXXXX`` escapes."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            out.append("/")
            i += 1
            continue
        if ch != "%" or i == len(text) - 1:
            out.append(ch)
            i += 1
            continue
        first = i + 2 if text[i + 1] == "U" else i + 1
        digits = text[first : first + (4 if first == i + 2 else 2)]
        if len(digits) != (4 if first == i + 2 else 2) or not set(digits) <= _HEX:
            out.append("%")
            i += 1
            continue
        out.append(chr(int(digits, 16)))
        i = first + len(digits)
    return "".join(out)


def escape_key(key: str) -> str:
    """A key (or group name) as QSettings writes it."""
    out: list[str] = []
    for ch in key:
        if ch == "/":
            out.append("\\")
        elif ch in _KEY_PLAIN:
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"%{ord(ch):02X}")
        else:
            out.extend(f"%U{unit:04X}" for unit in _utf16_units(ch))
    return "".join(out)


def _utf16_units(ch: str) -> list[int]:
    encoded = ch.encode("utf-16-be")
    return [int.from_bytes(encoded[j : j + 2], "big") for j in range(0, len(encoded), 2)]


def read_text(raw: bytes) -> str | None:
    """A value as the text it stands for; None for ``@Invalid()`` (Qt's "no value").

    A comma is part of the text (Qt would read an unquoted ``a,b`` as a list:
    a hand-typed path or address means the text).  Raises :class:`NotText`.
    """
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NotText("is not UTF-8 text") from None
    text = _unescape_value(decoded)
    if text.startswith("@"):
        if text.startswith("@@"):
            return text[1:]
        if text == "@Invalid()":
            return None
        if text.endswith(")"):
            if text.startswith("@String("):
                return text[len("@String(") : -1]
            if text.startswith(_TYPED):
                raise NotText(f"is stored as {text[1 : text.index('(')]}, not as text")
    return text


def _unescape_value(raw: str) -> str:
    """Qt's reading of a value: quotes removed, escapes read, unquoted spaces at the ends cut."""
    out: list[str] = []
    i, size = 0, len(raw)
    quoted = in_quotes = False
    while i < size and raw[i] in " \t":
        i += 1
    keep = 0  # what is before this index may not be cut as trailing space
    while i < size:
        ch = raw[i]
        if ch == "\\":
            i += 1
            if i >= size:
                break
            code = raw[i]
            i += 1
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
            elif code == "x" and i < size and raw[i] in _HEX:
                j = i
                while j < size and raw[j] in _HEX:
                    j += 1
                out.append(chr(int(raw[i:j], 16) & 0xFFFF))
                i = j
            elif code in "01234567":
                j = i
                while j < size and raw[j] in "01234567":
                    j += 1
                out.append(chr(int(raw[i - 1 : j], 8) & 0xFFFF))
                i = j
            elif code in "\r\n" and i < size and raw[i] in "\r\n" and raw[i] != code:
                i += 1  # a continued line
            keep = len(out)
        elif ch == '"':
            i += 1
            quoted, in_quotes = True, not in_quotes
            if not in_quotes:
                while i < size and raw[i] in " \t":
                    i += 1
                keep = len(out)
        else:
            out.append(ch)
            i += 1
    if not quoted:
        while len(out) > keep and out[-1] in " \t":
            out.pop()
    return "".join(out)


def write_text(text: str) -> bytes:
    """``text`` as QSettings writes a string value: Qt reads it back as exactly ``text``."""
    if "\0" in text:
        text = f"@String({text})"
    elif text.startswith("@"):
        text = "@" + text
    out: list[str] = []
    needs_quotes = escape_next_if_hex = False
    for ch in text:
        if ch in ";,=":
            needs_quotes = True
        if escape_next_if_hex and ch in _HEX:
            out.append(f"\\x{ord(ch):x}")
            continue
        escape_next_if_hex = False
        if ch == "\0":
            out.append("\\0")
            escape_next_if_hex = True
        elif ch in _WRITTEN_ESCAPES:
            out.append(_WRITTEN_ESCAPES[ch])
        elif ord(ch) <= 0x1F:
            out.append(f"\\x{ord(ch):x}")
            escape_next_if_hex = True
        else:
            out.append(ch)
    written = "".join(out)
    if needs_quotes or written.startswith(" ") or written.endswith(" "):
        written = f'"{written}"'
    return written.encode("utf-8", "surrogatepass")


@dataclass
class _Line:
    raw: bytes
    key: str | None = None  # the full key ("sending/base_url") of a key=value line
    value: bytes = b""
    written_key: bytes = b""  # the key as the line spells it (``sending\\base_url`` in [General])


@dataclass
class _Section:
    prefix: str  # "sending/", or "" for keys outside a group
    header: bytes | None  # None for the lines before the first header
    lines: list[_Line] = field(default_factory=list)


class IniDocument:
    """An INI file in Qt's flavour: raw values looked up and set by their full key."""

    def __init__(self, data: bytes = b"") -> None:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        self.sections: list[_Section] = [_Section("", None)]
        for line, equals in logical_lines(data):
            if line.startswith(b"["):
                self.sections.append(_section(line))
            elif equals < 0:
                self.sections[-1].lines.append(_Line(line))
            else:
                key = unescape_key(line[:equals].strip().decode("utf-8", "replace"))
                full = self.sections[-1].prefix + key
                written = line[:equals].strip()
                self.sections[-1].lines.append(_Line(line, full, line[equals + 1 :], written))

    def raw(self, key: str) -> bytes | None:
        """The value of ``key`` as written (the last one, as Qt reads it), or None."""
        found = self._last(key)
        return found.value if found is not None else None

    def set(self, key: str, value: bytes) -> None:
        """Give ``key`` the value ``value`` (as written), in its group's section."""
        group, _, name = key.partition("/") if "/" in key else ("", "", key)
        found = self._last(key)
        for section in self.sections:
            for index, existing in enumerate(section.lines):
                if existing is found:
                    raw = existing.written_key + b"=" + value
                    section.lines[index] = _Line(raw, key, value, existing.written_key)
                    return
        written = escape_key(name).encode("ascii")
        line = _Line(written + b"=" + value, key, value, written)
        prefix = f"{group}/" if group else ""
        homes = [s for s in self.sections if s.prefix == prefix and (s.header or s.lines)]
        if homes:
            homes[-1].lines.append(line)
        elif prefix:
            header = b"[" + escape_key(group).encode("ascii") + b"]"
            self.sections.append(_Section(prefix, header, [line]))
        else:
            self.sections.insert(1, _Section("", b"[General]", [line]))

    def take_groups(self, *groups: str) -> list[tuple[str, bytes]]:
        """Remove the keys of ``groups`` (and their emptied sections); returns them, as written."""
        prefixes = tuple(f"{group}/" for group in groups)
        taken: list[tuple[str, bytes]] = []
        for section in self.sections:
            kept = []
            for line in section.lines:
                if line.key is not None and line.key.startswith(prefixes):
                    taken.append((line.key, line.value))
                else:
                    kept.append(line)
            section.lines = kept
        self.sections = [
            s
            for s in self.sections
            if s.lines or s.header is None or not s.prefix.startswith(prefixes)
        ]
        return taken

    def to_bytes(self) -> bytes:
        chunks: list[bytes] = []
        for section in self.sections:
            if section.header is None and not section.lines:
                continue
            if chunks:
                chunks.append(b"")
            if section.header is not None:
                chunks.append(section.header)
            chunks.extend(line.raw for line in section.lines)
        return _EOL.join(chunks) + _EOL if chunks else b""

    def _last(self, key: str) -> _Line | None:
        found = None
        for section in self.sections:
            for line in section.lines:
                if line.key == key:
                    found = line
        return found


def _section(line: bytes) -> _Section:
    end = line.find(b"]")
    name = line[1 : end if end > 0 else len(line)].strip().decode("utf-8", "replace")
    if name.lower() == "general":
        return _Section("", line)
    group = name[1:] if name.lower() == "%general" else unescape_key(name)
    return _Section(f"{group}/", line)
