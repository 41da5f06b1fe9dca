"""Sample orders and small real pictures for tests (made with Pillow, nothing mocked).

Import from a test module as ``from factories import make_png, sample_order``.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, GoogleSettings, Mailbox, Order

Color = tuple[int, ...]
Size = int | tuple[int, int]

FIRST_NAMES = ("Ada", "Björn", "Chloé", "Dmitri", "Eun-ji", "Fatima", "Gaspard", "Hana")
LAST_NAMES = ("Lovelace", "Ångström", "Dubois", "Ivanov", "Kim", "Haddad", "Núñez", "Sato")


def _size(size: Size) -> tuple[int, int]:
    return (size, size) if isinstance(size, int) else size


def make_image_bytes(
    color: Color = (200, 30, 30), size: Size = 64, image_format: str = "PNG", **save: object
) -> bytes:
    """A picture of one colour, in any format Pillow writes (``PNG``, ``JPEG``, ``GIF`` ...)."""
    mode = "RGBA" if len(color) == 4 else "RGB"
    out = io.BytesIO()
    Image.new(mode, _size(size), color).save(out, image_format, **save)
    return out.getvalue()


def make_png(color: Color = (200, 30, 30), size: Size = 64) -> bytes:
    """A PNG of one colour; a square one of at most 640 px is already a normalised avatar."""
    return make_image_bytes(color, size, "PNG")


def make_jpeg(color: Color = (30, 120, 200), size: Size = 64, quality: int = 90) -> bytes:
    """A JPEG of one colour without metadata."""
    return make_image_bytes(color[:3], size, "JPEG", quality=quality)


def png_with_damaged_pixels(color: Color = (10, 200, 90), size: int = 64) -> bytes:
    """A normalised avatar's PNG whose image data no longer inflates: every chunk is in
    place (their CRCs recomputed), only what a decoder would unpack is damaged."""
    data = bytearray(make_png(color, size))
    at = data.index(b"IDAT")
    length = int.from_bytes(data[at - 4 : at], "big")
    body = at + 4
    for i in range(body + 2, body + length - 4, 3):  # past the zlib header
        data[i] ^= 0x5A
    crc = zlib.crc32(data[at : body + length])
    data[body + length : body + length + 4] = crc.to_bytes(4, "big")
    return bytes(data)


GPS_LATITUDE = (52.0, 22.0, 1.0)


def make_jpeg_with_exif_gps(
    color: Color = (200, 30, 30), size: Size = (1200, 800), orientation: int = 1
) -> bytes:
    """A JPEG like a phone photo: EXIF orientation, a GPS position and a maker note.

    A blue band covers the left quarter, so a test can tell whether the
    orientation was applied.
    """
    width, height = _size(size)
    image = Image.new("RGB", (width, height), color[:3])
    image.paste((30, 30, 200), (0, 0, max(1, width // 4), height))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (4.0, 53.0, 2.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=92)
    return out.getvalue()


def distinct_color(index: int) -> Color:
    """A colour different for every index below 2**24, so pictures never coincide."""
    return ((index * 7919) % 256, (index // 256 * 31 + 17) % 256, (index // 65536 + 101) % 256)


def sample_order(n_domains: int = 2, per_domain: int = 2, with_avatars: bool = True) -> Order:
    """A valid order: ``n_domains`` domains with ``per_domain`` mailboxes each.

    Every mailbox gets its own small PNG avatar (distinct colours) when
    ``with_avatars`` is true.  Google settings are filled in.
    """
    order = Order(
        name="Sample order",
        notes="Made by the tests.",
        user_id="42",
        google=GoogleSettings(
            "https://oauth.example.com/callback", "104857600123456789012", "Outreach"
        ),
    )
    index = 0
    for d in range(n_domains):
        domain = f"brand{d}.example.com"
        order.domains.append(DomainEntry(domain, 1 + d % 10))
        for m in range(per_domain):
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
            avatar = (
                avatar_from_bytes(make_png(distinct_color(index), 16), f"{index}.png")
                if with_avatars
                else None
            )
            order.mailboxes.append(Mailbox(domain, f"user{m}", first, last, avatar))
            index += 1
    return order


def write_zip(
    path: Path,
    members: Mapping[str, bytes | str],
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A ZIP at ``path`` holding ``members`` (text is written as UTF-8): a hand-made draft."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return path


# --- hand-made ZIP files, for drafts no honest tool would write ---------------------

_MIB = 1024 * 1024


def deflated_zeros(size: int) -> bytes:
    """A raw deflate stream that inflates to ``size`` zero bytes (a multiple of 1 MiB).

    Built from one compressed MiB repeated: after a full flush the compressor
    forgets everything, so every further MiB compresses to the same bytes.
    A GiB of zeros costs about a MB and a few milliseconds.
    """
    assert size % _MIB == 0 and size >= 2 * _MIB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(_MIB)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + repeat * (size // _MIB - 1) + compressor.flush()


@dataclass
class RawEntry:
    """One ZIP entry written byte by byte, so its headers can lie.

    ``data`` is what the file holds (already compressed for ``ZIP_DEFLATED``);
    ``file_size`` and ``crc`` are what the headers declare.  ``same_data_as``
    points this entry's header at another entry's bytes (overlapping entries).
    """

    name: str
    data: bytes = b""
    method: int = zipfile.ZIP_STORED
    file_size: int | None = None
    crc: int | None = None
    flags: int = 0
    same_data_as: str | None = None


def write_raw_zip(path: Path, entries: list[RawEntry]) -> Path:
    """A ZIP at ``path`` made of ``entries`` exactly as given (see :class:`RawEntry`)."""
    body = bytearray()
    offsets: dict[str, int] = {}
    central = bytearray()
    by_name = {entry.name: entry for entry in entries}
    for entry in entries:
        name = entry.name.encode()
        data = by_name[entry.same_data_as].data if entry.same_data_as else entry.data
        size = len(data) if entry.file_size is None else entry.file_size
        crc = zlib.crc32(data) if entry.crc is None else entry.crc
        fields = (entry.flags, entry.method, 0, 0x21, crc, len(data), size, len(name))
        if entry.same_data_as is None:
            offsets[entry.name] = len(body)
            body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *fields, 0) + name + entry.data
        offset = offsets[entry.same_data_as or entry.name]
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0, offset)
        central += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0
    )
    path.write_bytes(bytes(body + central + end))
    return path


def save_draft_with_damaged_pixels(path: Path) -> Path:
    """A valid two-mailbox order but for the second picture, whose image data is damaged."""
    import hashlib

    from desktop_app.draft import draft_file
    from desktop_app.order.avatars import PNG, Avatar, MemorySource

    order = sample_order(1, 2)
    data = png_with_damaged_pixels()
    digest = hashlib.sha256(data).hexdigest()
    order.mailboxes[1].avatar = Avatar(MemorySource(data), PNG, len(data), digest, 64)
    draft_file.save(order, path)
    return path
