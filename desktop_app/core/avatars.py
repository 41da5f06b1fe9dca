"""Profile pictures: checking, normalising and reading them without surprises.

Every picture that enters a draft is normalised once: EXIF orientation
applied, all metadata (GPS included) dropped, centre-cropped square, at most
640 px, PNG or JPEG, under 1 MB.  A picture already in that shape (one this
app wrote) is recognised by a cheap scan of its bytes, so opening a draft of
thousands of avatars never decodes them all.

Pillow is imported only when a picture really has to be decoded: start-up and
the command line stay fast.
"""

from __future__ import annotations

import io
import struct
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

MAX_SIDE = 640
MAX_BYTES = 1_000_000  # "under 1 MB"
MAX_INPUT_BYTES = 40 * 1024 * 1024  # larger than any phone photo; anything bigger is refused
MAX_INPUT_PIXELS = 100_000_000  # a decompression bomb is refused before it is decoded
PNG = "image/png"
JPEG = "image/jpeg"
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
            self._zip: zipfile.ZipFile | None = zipfile.ZipFile(self._file)
        except BaseException:
            self._file.close()  # not a ZIP: do not leave the file open (and locked on Windows)
            raise
        self._lock = threading.Lock()

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
        stream.seek(info.header_offset)
        header = stream.read(_LOCAL_HEADER_SIZE + len(name))
        if (
            len(header) != _LOCAL_HEADER_SIZE + len(name)
            or not header.startswith(b"PK\x03\x04")
            or header[_LOCAL_HEADER_SIZE:] != name
        ):
            return None  # zipfile reports what is wrong in its own words
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        if name_length != len(name):
            return None
        if extra_length:
            stream.seek(extra_length, io.SEEK_CUR)
        data = stream.read(info.compress_size)
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
    draft loses nothing.
    """

    source: AvatarSource
    content_type: str
    size: int
    digest: str
    width: int = 0
    problem: str | None = None
    original_name: str = ""

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, ".bin")

    def read(self) -> bytes:
        with self.source.open() as stream:
            return stream.read()


@dataclass(frozen=True)
class ImageShape:
    content_type: str
    width: int
    height: int


# --- the cheap scan ---------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks a normalised PNG may hold: image data and what decoding needs, no metadata.
_PNG_ALLOWED = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"sRGB", b"pHYs"}
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def normalised_shape(data: bytes) -> ImageShape | None:
    """The shape of ``data`` if it already is a normalised avatar, else None.

    Scans chunk and marker headers only (no pixel decoding): PNG or JPEG,
    square, at most 640 px, under 1 MB, complete, and carrying no metadata.
    Anything else goes through :func:`normalise`.
    """
    if len(data) >= MAX_BYTES:
        return None
    shape = _png_shape(data) if data.startswith(_PNG_SIGNATURE) else _jpeg_shape(data)
    if shape is None or shape.width != shape.height or not 0 < shape.width <= MAX_SIDE:
        return None
    return shape


def _png_shape(data: bytes) -> ImageShape | None:
    pos = len(_PNG_SIGNATURE)
    width = height = 0
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind not in _PNG_ALLOWED or pos + 12 + length > len(data):
            return None
        if kind == b"IHDR":
            if length < 8:
                return None
            width, height = struct.unpack(">II", data[pos + 8 : pos + 16])
        if kind == b"IEND":
            return ImageShape(PNG, width, height) if width else None
        pos += 12 + length
    return None  # truncated: no IEND


def _jpeg_shape(data: bytes) -> ImageShape | None:
    if not data.startswith(b"\xff\xd8") or not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return None
    pos = 2
    width = height = 0
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: headers are over
            return ImageShape(JPEG, width, height) if width else None
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        # APP0 (JFIF) and the decoding tables are fine; APP1..APP15 (EXIF, XMP,
        # ICC, vendor blocks) and comments are metadata.
        if 0xE1 <= marker <= 0xEF or marker == 0xFE:
            return None
        if marker in _JPEG_SOF and pos + 9 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
        pos += 2 + length
    return None


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
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            width, height = opened.size
            if width * height > MAX_INPUT_PIXELS:
                raise AvatarError(
                    f"{name} is {width}×{height} pixels, too large to be a profile picture"
                )
            # JPEG can decode straight at a smaller scale: fast, and little memory.
            opened.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened)
    except AvatarError:
        raise
    except UnidentifiedImageError:
        raise AvatarError(f"{name} is not an image Order Desk can read") from None
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


def avatar_from_file(path: Path) -> Avatar:
    """A normalised :class:`Avatar` from a picture file (raises :class:`AvatarError`)."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise AvatarError(f"{path.name} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise AvatarError(f"{path.name} cannot be read ({exc.strerror or exc})") from None
    return avatar_from_bytes(data, path.name)


def avatar_from_archive(archive: DraftArchive, member: str) -> Avatar:
    """The avatar stored at ``member`` of a draft archive.

    A picture already normalised stays in the archive and is read on demand; a
    raw one (a draft written by another tool) is normalised now; one that
    cannot be used keeps its original bytes and carries a ``problem``.
    """
    # A stranger's archive fails in many ways (encrypted, unknown compression,
    # corrupt deflate or LZMA data): each one is a picture that cannot be read.
    try:
        data = archive.read(member)
    except Exception as exc:
        message = str(exc) if isinstance(exc, AvatarError) else f"{member} cannot be read"
        return Avatar(ArchiveSource(archive, member), "", 0, "", problem=message)
    digest = _sha256(data)
    shape = normalised_shape(data)
    if shape is not None:
        return Avatar(
            ArchiveSource(archive, member), shape.content_type, len(data), digest, shape.width
        )
    try:
        return avatar_from_bytes(data, Path(member).name)
    except AvatarError as exc:
        return Avatar(ArchiveSource(archive, member), "", len(data), digest, problem=str(exc))


def broken_avatar(data: bytes, problem: str, name: str = "") -> Avatar:
    """An avatar that cannot be sent, keeping its bytes so nothing is lost."""
    return Avatar(MemorySource(data), "", len(data), _sha256(data), 0, problem, name)
