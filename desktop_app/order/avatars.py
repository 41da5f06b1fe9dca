"""Profile pictures: checking, normalising and reading them without surprises.

Every picture that enters a draft is normalised once: EXIF orientation
applied, all metadata (GPS included) dropped, centre-cropped square, at most
640 px, PNG or JPEG, under 1 MB.  A picture already in that shape (one this
app wrote) is recognised by a scan of its bytes (``core/picture_scan.py``)
that ends exactly where the image ends and checks its image data; anything
else (bytes after the image, data that would not decode) is normalised again,
so what is sent is always a whole picture and nothing more.

Pictures come from strangers: only the formats in :data:`ACCEPTED_FORMATS` are
ever handed to Pillow (its EPS and PDF readers run Ghostscript), and nothing
is decoded beyond a pixel budget read from the header first.

Pillow is imported only when a picture really has to be decoded: start-up and
the command line stay fast.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from desktop_app.order.picture_scan import (
    JPEG,
    MAX_BYTES,
    MAX_SIDE,
    PNG,
    ImageShape,
    PixelCheck,
    normalised_shape,
)

__all__ = ["JPEG", "MAX_BYTES", "MAX_SIDE", "PNG", "ImageShape", "normalised_shape"]

MAX_INPUT_BYTES = 40 * 1024 * 1024  # larger than any phone photo; anything bigger is refused
# The pixel budget, read from a picture's header before anything is decoded.
# A JPEG decodes at up to 1/8 scale (cheap, little memory), so it may be as
# large as 150 megapixels; what is decoded (any other format at full size)
# may hold at most 40 megapixels: a 40 MP picture takes ~120 MB to decode.
MAX_INPUT_PIXELS = 150_000_000
MAX_DECODED_PIXELS = 40_000_000
# What Pillow may read: nothing that hands bytes to another program (EPS and
# PDF run Ghostscript) or that no camera or browser writes.
ACCEPTED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")
EXTENSIONS = {PNG: ".png", JPEG: ".jpg"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"}


class AvatarError(ValueError):
    """A picture that cannot be used; the message is one sentence for a person."""


class AvatarSource(Protocol):
    """Where an avatar's bytes live: memory, or a member of a draft archive."""

    def open(self) -> BinaryIO: ...


@dataclass(frozen=True)
class MemorySource:
    data: bytes

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data)


_LOCAL_HEADER_SIZE = 30  # a ZIP member's local file header, before its name and extra field


class DraftArchive:
    """A draft file kept open so its avatars can be read one at a time, on demand.

    The file handle stays open for the life of the object: after the draft is
    saved over (a write-aside-and-replace), avatars still referring to the old
    archive, such as those held by undo history, keep reading the old bytes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = open(path, "rb")  # noqa: SIM115 - kept open on purpose
        try:
            self._zip: zipfile.ZipFile | None = self._open_zip(self._file)
        except BaseException:
            self._file.close()  # not a ZIP: do not leave the file open (and locked on Windows)
            raise
        self._lock = threading.Lock()

    def _open_zip(self, file: BinaryIO) -> zipfile.ZipFile:
        return zipfile.ZipFile(file)

    def crc(self, member: str) -> int:
        """The CRC-32 ``member``'s bytes have: :meth:`read` returns only bytes that match it."""
        with self._lock:
            if self._zip is None:
                raise OSError(f"{self.path.name} is closed")
            return self._zip.getinfo(member).CRC

    def read(self, member: str, limit: int = MAX_INPUT_BYTES) -> bytes:
        with self._lock:
            if self._zip is None:
                raise OSError(f"{self.path.name} is closed")
            info = self._zip.getinfo(member)
            if info.file_size > limit:
                raise AvatarError(f"{member} is larger than {limit // (1024 * 1024)} MB")
            stored = self._read_stored(info)
            if stored is not None:
                return stored
            with self._zip.open(info) as stream:
                # Ask for no more than the header declares: zipfile then inflates
                # only that much, so a member lying about its size costs nothing.
                data = stream.read(min(info.file_size, limit) + 1)
            if len(data) > limit:
                raise AvatarError(f"{member} is larger than {limit // (1024 * 1024)} MB")
            return data

    def _read_stored(self, info: zipfile.ZipInfo) -> bytes | None:
        """The bytes of an uncompressed member, read straight from the file; None otherwise.

        Pictures are stored as they are, and sending a draft reads thousands
        of them: this skips zipfile's per-member set-up (a third of a send's
        time) while keeping its checks: the local header must name the same
        member, and the CRC must match.  Anything unusual takes zipfile's path.
        """
        stream = self._file
        if (
            stream is None
            or info.compress_type != zipfile.ZIP_STORED
            or info.flag_bits & 0x1  # encrypted
            or info.compress_size != info.file_size
        ):
            return None
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        name = info.orig_filename.encode(encoding, "replace")
        start = _LOCAL_HEADER_SIZE + len(name)
        stream.seek(info.header_offset)
        # The header and the bytes in one read: members this app writes have no
        # extra field, so the bytes follow the name (one read, not two, a picture).
        block = stream.read(start + info.compress_size)
        header = block[:start]
        if (
            len(header) != start
            or not header.startswith(b"PK\x03\x04")
            or header[_LOCAL_HEADER_SIZE:] != name
        ):
            return None  # zipfile reports what is wrong in its own words
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        if name_length != len(name):
            return None
        if extra_length:
            stream.seek(info.header_offset + start + extra_length)
            data = stream.read(info.compress_size)
        else:
            data = block[start:]
        if len(data) != info.compress_size or zlib.crc32(data) != info.CRC:
            return None
        return data

    def close(self) -> None:
        with self._lock:
            if self._zip is not None:
                self._zip.close()
                self._zip = None
            if self._file is not None:
                self._file.close()
                self._file = None


@dataclass(frozen=True)
class ArchiveSource:
    archive: DraftArchive
    member: str

    def open(self) -> BinaryIO:
        return io.BytesIO(self.archive.read(self.member))


@dataclass(frozen=True, eq=False)
class Avatar:
    """One profile picture in a draft.

    ``problem`` is None for a normalised picture that can be sent; otherwise it
    says why not, and ``source`` still holds the original bytes so saving the
    draft loses nothing.  A picture opened with its pixels left to check
    (``pixels``) has no problem until that check finds one.
    """

    source: AvatarSource
    content_type: str
    size: int
    digest: str
    width: int = 0
    known_problem: str | None = None
    original_name: str = ""
    pixels: PixelCheck | None = field(default=None, repr=False)

    @property
    def problem(self) -> str | None:
        if self.known_problem is None and self.pixels is not None:
            return self.pixels.problem
        return self.known_problem

    @property
    def checked(self) -> bool:
        """Whether every check of the picture has run (only then may it be sent)."""
        return self.pixels is None or self.pixels.done

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, ".bin")

    def read(self) -> bytes:
        with self.source.open() as stream:
            return stream.read()

    def read_from(self, source: AvatarSource) -> Avatar:
        """The same picture, its checks included, read from ``source`` from now on.

        ``dataclasses.replace(self, source=source)`` without running the frozen
        ``__init__`` again: after a save, 20,000 pictures move to the new file.
        """
        moved = object.__new__(type(self))
        moved.__dict__.update(self.__dict__)
        moved.__dict__["source"] = source
        return moved


# --- normalising --------------------------------------------------------------


def normalise(data: bytes, name: str = "the picture") -> tuple[bytes, str]:
    """Return ``(bytes, content_type)`` of ``data`` as a normalised avatar.

    Raises :class:`AvatarError` with one sentence naming ``name`` for anything
    that is not a usable picture: not an image, truncated, too big, a bomb.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise AvatarError(f"{name} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    if not data:
        raise AvatarError(f"{name} is empty")
    import warnings

    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # The budget below is ours; Pillow's own bomb error (past 179 MP) still applies.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = opened.size
            # JPEG can decode straight at a smaller scale: fast, and little memory.
            opened.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
            decoded = opened.size[0] * opened.size[1]
            if width * height > MAX_INPUT_PIXELS or decoded > MAX_DECODED_PIXELS:
                raise AvatarError(
                    f"{name} is {width}×{height} pixels, too large to be a profile picture "
                    f"(at most {MAX_DECODED_PIXELS // 1_000_000} megapixels)"
                )
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened)
    except AvatarError:
        raise
    except UnidentifiedImageError:
        raise AvatarError(
            f"{name} is not an image Order Desk can read (PNG, JPEG, GIF, WebP, BMP or TIFF)"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AvatarError(f"{name} is too large to be a profile picture") from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise AvatarError(f"{name} is damaged or truncated") from None
    except MemoryError:
        raise AvatarError(f"{name} is too large to be a profile picture") from None

    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    side = min(image.size)
    left = (image.width - side) // 2
    top = (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    if side > MAX_SIDE:
        image = image.resize((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)

    # Encode without passing exif/icc/info: the result carries pixels only.
    if has_alpha:
        while True:
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
            if out.tell() < MAX_BYTES or image.width <= 64:
                return out.getvalue(), PNG
            image = image.resize((image.width * 3 // 4,) * 2, Image.Resampling.LANCZOS)
    for quality in (88, 80, 70, 60, 50):
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality, optimize=True)
        if out.tell() < MAX_BYTES:
            return out.getvalue(), JPEG
    raise AvatarError(f"{name} cannot be made smaller than 1 MB")  # pragma: no cover


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def avatar_from_bytes(data: bytes, name: str = "the picture") -> Avatar:
    """A normalised :class:`Avatar` from raw picture bytes (raises :class:`AvatarError`)."""
    shape = normalised_shape(data)
    if shape is None:
        data, content_type = normalise(data, name)
        shape = normalised_shape(data)
        width = shape.width if shape else 0
    else:
        content_type, width = shape.content_type, shape.width
    return Avatar(
        source=MemorySource(data),
        content_type=content_type,
        size=len(data),
        digest=_sha256(data),
        width=width,
        original_name=name,
    )


def not_a_file(mode: int) -> str | None:
    """What a file of this ``st_mode`` is when it is not a regular file (``"a pipe"``); else None.

    Reading a pipe or a device waits for a writer that may never come: such
    files are never opened for their bytes.
    """
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def avatar_from_file(path: Path) -> Avatar:
    """A normalised :class:`Avatar` from a picture file (raises :class:`AvatarError`).

    Only regular files are read, and the file is opened without blocking, so
    a pipe put in place after the check cannot hang the caller either.
    """
    try:
        kind = not_a_file(path.stat().st_mode)
        if kind is None:
            data = _read_regular_file(path)
    except OSError as exc:
        raise AvatarError(f"{path.name} cannot be read ({exc.strerror or exc})") from None
    if kind is not None:
        raise AvatarError(f"{path.name} is {kind}, not a picture file")
    return avatar_from_bytes(data, path.name)


def _read_regular_file(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    handle = os.open(path, flags | getattr(os, "O_BINARY", 0))
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        kind = not_a_file(info.st_mode)
        if kind is not None:
            raise AvatarError(f"{path.name} is {kind}, not a picture file")
        if info.st_size > MAX_INPUT_BYTES:
            raise AvatarError(f"{path.name} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
        data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise AvatarError(f"{path.name} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    return data


def avatar_from_archive(archive: DraftArchive, member: str, pixels_later: bool = False) -> Avatar:
    """The avatar stored at ``member`` of a draft archive.

    A picture already normalised stays in the archive and is read on demand; a
    raw one (a draft written by another tool) is normalised now; one that
    cannot be used keeps its original bytes and carries a ``problem``.  With
    ``pixels_later`` a PNG's image data is left to check (:class:`PixelCheck`).
    """
    # A stranger's archive fails in many ways (encrypted, unknown compression,
    # corrupt deflate or LZMA data): each one is a picture that cannot be read.
    source = ArchiveSource(archive, member)
    try:
        data = archive.read(member)
    except Exception as exc:
        message = str(exc) if isinstance(exc, AvatarError) else f"{member} cannot be read"
        return Avatar(source, "", 0, "", known_problem=message)
    digest = _sha256(data)
    shape = normalised_shape(data, png_pixels=not pixels_later)
    if shape is not None:
        later = pixels_later and shape.content_type == PNG
        check = PixelCheck(lambda: archive.read(member), Path(member).name) if later else None
        return Avatar(source, shape.content_type, len(data), digest, shape.width, pixels=check)
    try:
        return avatar_from_bytes(data, Path(member).name)
    except AvatarError as exc:
        return Avatar(source, "", len(data), digest, known_problem=str(exc))


def finish_checks(avatars: Iterable[Avatar | None]) -> int:
    """Run every check still pending of ``avatars`` (waiting for any under way) before
    they are sent; returns how many pictures turned out unusable."""
    return sum(
        1
        for avatar in avatars
        if avatar is not None and avatar.pixels is not None and avatar.pixels.run() is not None
    )


def broken_avatar(data: bytes, problem: str, name: str = "") -> Avatar:
    """An avatar that cannot be sent, keeping its bytes so nothing is lost."""
    return Avatar(MemorySource(data), "", len(data), _sha256(data), 0, problem, name)
