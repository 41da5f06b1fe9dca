"""multipart/form-data, written and read by hand.

Writing it ourselves gives the sender three things a generic encoder does not:
an exact ``Content-Length`` known before the first byte, a body produced one
picture at a time (thousands of avatars never sit in memory together), and a
clear moment when the last byte has been handed over, which is what decides
whether a failed send may have created an order.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from desktop_app.api.payload import FilePart

CHUNK_SIZE = 64 * 1024


class MultipartError(ValueError):
    """A body that is not well-formed multipart/form-data."""


def _quote(name: str) -> str:
    # As browsers do (WHATWG form encoding): escape what would end the quoted string.
    return name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


@dataclass(frozen=True)
class _Segment:
    head: bytes
    part: FilePart | None = None
    text: bytes = b""


class MultipartBody:
    """A multipart body for text fields and file parts, streamed in order.

    ``content_length`` is exact; :meth:`iter_chunks` reads each picture only
    when its turn comes.
    """

    def __init__(
        self,
        fields: Sequence[tuple[str, str]],
        files: Sequence[FilePart],
        boundary: str | None = None,
    ) -> None:
        self.boundary = boundary or f"OrderDesk-{secrets.token_hex(16)}"
        self._segments: list[_Segment] = []
        for name, value in fields:
            head = (
                f"--{self.boundary}\r\n"
                f'Content-Disposition: form-data; name="{_quote(name)}"\r\n\r\n'
            ).encode()
            self._segments.append(_Segment(head, text=value.encode("utf-8")))
        for part in files:
            head = (
                f"--{self.boundary}\r\n"
                f'Content-Disposition: form-data; name="{_quote(part.name)}"; '
                f'filename="{_quote(part.filename)}"\r\n'
                f"Content-Type: {part.content_type}\r\n\r\n"
            ).encode()
            self._segments.append(_Segment(head, part=part))
        self._tail = f"--{self.boundary}--\r\n".encode()

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def content_length(self) -> int:
        total = len(self._tail)
        for segment in self._segments:
            body = segment.part.size if segment.part is not None else len(segment.text)
            total += len(segment.head) + body + 2
        return total

    def iter_chunks(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """The body, in pieces of about ``chunk_size`` bytes (at most twice that).

        Small parts are gathered into one piece: thousands of avatars of a few
        kilobytes each would otherwise cost thousands of tiny socket writes.
        The closing boundary always comes alone, last, so a body cut short
        never looks complete to the server.
        """
        pending = bytearray()
        for segment in self._segments:
            if segment.part is None:
                pending += segment.head + segment.text + b"\r\n"
            else:
                pending += segment.head
                sent = 0
                with segment.part.avatar.source.open() as stream:
                    while chunk := stream.read(chunk_size):
                        sent += len(chunk)
                        pending += chunk
                        if len(pending) >= chunk_size:
                            yield bytes(pending)
                            pending.clear()
                if sent != segment.part.size:
                    # The Content-Length promised other bytes: stop before sending a lie.
                    raise OSError(
                        f"the picture for {segment.part.name} changed while it was being sent"
                    )
                pending += b"\r\n"
            if len(pending) >= chunk_size:
                yield bytes(pending)
                pending.clear()
        if pending:
            yield bytes(pending)
        yield self._tail

    def to_bytes(self) -> bytes:
        return b"".join(self.iter_chunks())


@dataclass(frozen=True)
class ReceivedFile:
    filename: str
    content_type: str
    data: bytes


def boundary_of(content_type: str) -> str:
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise MultipartError(f"expected multipart/form-data, got {kind.strip() or 'nothing'}")
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip('"')
    raise MultipartError("the multipart content type names no boundary")


def parse(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, ReceivedFile]]:
    """Split a multipart body into text fields and files (for the practice server and tests).

    A repeated field name is an error: the API keys files by mailbox, so two
    parts with one name would be ambiguous.
    """
    delimiter = b"--" + boundary_of(content_type).encode()
    if not body.startswith(delimiter):
        raise MultipartError("the body does not start with the boundary")
    fields: dict[str, str] = {}
    files: dict[str, ReceivedFile] = {}
    chunks = body.split(b"\r\n" + delimiter)
    chunks[0] = chunks[0][len(delimiter) :]
    for index, chunk in enumerate(chunks):
        if chunk.startswith(b"--"):
            if index == 0:
                raise MultipartError("the body has no parts")
            return fields, files
        if not chunk.startswith(b"\r\n"):
            raise MultipartError("a boundary is not followed by a line break")
        head, separator, content = chunk[2:].partition(b"\r\n\r\n")
        if not separator:
            raise MultipartError("a part has no blank line after its headers")
        headers = _headers(head)
        name, filename = _disposition(headers.get("content-disposition", ""))
        if name in fields or name in files:
            raise MultipartError(f'the field "{name}" appears twice')
        if filename is None:
            try:
                fields[name] = content.decode("utf-8")
            except UnicodeDecodeError:
                raise MultipartError(f'the field "{name}" is not UTF-8 text') from None
        else:
            files[name] = ReceivedFile(filename, headers.get("content-type", ""), content)
    raise MultipartError("the body ends before its closing boundary")


def _headers(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return headers


def _disposition(value: str) -> tuple[str, str | None]:
    kind, _, rest = value.partition(";")
    if kind.strip().lower() != "form-data":
        raise MultipartError("a part is not form-data")
    params: dict[str, str] = {}
    for item in _split_params(rest):
        key, _, raw = item.partition("=")
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = raw[1:-1]
        params[key.strip().lower()] = (
            raw.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
        )
    if "name" not in params:
        raise MultipartError("a part has no name")
    return params["name"], params.get("filename")


def _split_params(text: str) -> list[str]:
    items, current, quoted = [], "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            items.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        items.append(current)
    return [item for item in items if item.strip()]
