"""Recognising a picture that is already a normalised avatar, from its bytes alone.

A draft of thousands of avatars must open at once, so pictures this app wrote
are not decoded again: a scan of their bytes proves them whole instead.  The
scan ends exactly where the image ends (bytes after it mean: normalise
again), and it checks the image data as far as a decoder would refuse it: a
PNG's is inflated and every scanline's length and filter checked; a JPEG's
headers must define every table its scan uses.
"""

from __future__ import annotations

import functools
import re
import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass

MAX_SIDE = 640
MAX_BYTES = 1_000_000  # "under 1 MB"
PNG = "image/png"
JPEG = "image/jpeg"


@dataclass(frozen=True)
class ImageShape:
    content_type: str
    width: int
    height: int


# --- the cheap scan ---------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks a normalised PNG may hold: image data and what decoding needs, no metadata.
_PNG_ALLOWED = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"sRGB", b"pHYs"}


def normalised_shape(data: bytes, png_pixels: bool = True) -> ImageShape | None:
    """The shape of ``data`` if it already is a normalised avatar, else None.

    Scans chunk and marker headers (no pixel decoding): PNG or JPEG, square,
    at most 640 px, under 1 MB, complete, and carrying no metadata; a PNG's
    image data is inflated and checked too, unless ``png_pixels`` is False
    (that check, most of the scan's time, is then the caller's to make later:
    see :class:`PixelCheck`).  Anything else goes through ``normalise``.
    """
    if len(data) >= MAX_BYTES:
        return None
    png = data.startswith(_PNG_SIGNATURE)
    shape = _png_shape(data, png_pixels) if png else _jpeg_shape(data)
    if shape is None or shape.width != shape.height or not 0 < shape.width <= MAX_SIDE:
        return None
    return shape


def _png_shape(data: bytes, check_pixels: bool = True) -> ImageShape | None:
    pos = len(_PNG_SIGNATURE)
    width = height = 0
    header = b""
    pixels = zlib.decompressobj()
    inflated = bytearray()
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind not in _PNG_ALLOWED or pos + 12 + length > len(data):
            return None
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            if length != 13:
                return None
            header = body
            width, height = struct.unpack(">II", body[:8])
            if width != height or not 0 < width <= MAX_SIDE:
                return None  # not an avatar's shape: do not inflate what it claims to hold
        elif kind == b"IDAT" and check_pixels:
            room = _png_data_size(header) + 1 - len(inflated)
            if room <= 0:
                return None  # more image data than the header allows
            try:
                inflated += pixels.decompress(body, room)
            except zlib.error:
                return None
        elif kind == b"IEND":
            # Nothing may follow the image: trailing bytes would be sent as they are.
            if pos + 12 != len(data) or not width or not _png_row_bytes(header):
                return None
            if check_pixels and not _png_data_whole(header, inflated, pixels):
                return None
            return ImageShape(PNG, width, height)
        pos += 12 + length
    return None  # truncated: no IEND


class PixelCheck:
    """The check of a PNG's image data, left for later when a draft opens quickly.

    Opening a draft proves every picture's structure at once; inflating each
    PNG's image data to check it is most of that time, so the window opens
    first and checks the pixels in the background (and always before anything
    is sent: ``avatars.finish_checks``).  Thread-safe; the check runs once.
    """

    def __init__(self, read: Callable[[], bytes], name: str) -> None:
        self._read = read
        self._name = name
        self._lock = threading.Lock()
        self._done = False
        self._problem: str | None = None

    @property
    def done(self) -> bool:
        return self._done

    @property
    def problem(self) -> str | None:
        """Why the pixels cannot be used, once checked; None while unchecked or whole."""
        return self._problem

    def run(self) -> str | None:
        """Check now (or wait for the check under way); returns :attr:`problem`."""
        with self._lock:
            if not self._done:
                try:
                    whole = normalised_shape(self._read()) is not None
                except Exception:  # a vanished or damaged draft file
                    whole = False
                self._problem = None if whole else f"{self._name} is damaged or truncated"
                self._done = True
            return self._problem


# Samples per pixel of each PNG colour type: grey, RGB, palette, grey+alpha, RGBA.
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _png_row_bytes(header: bytes) -> int:
    """Bytes in one scanline of a non-interlaced PNG, without its filter byte; 0 if unusual."""
    if len(header) != 13:
        return 0
    fields: tuple[int, ...] = struct.unpack(">IIBBBBB", header)
    width, _height, depth, colour, _compression, _filter, interlace = fields
    channels = _PNG_CHANNELS.get(colour)
    if channels is None or depth not in (1, 2, 4, 8, 16) or interlace != 0:
        return 0  # interlaced or odd: never written by this app, so normalised again
    return (width * channels * depth + 7) // 8


def _png_data_size(header: bytes) -> int:
    rows = struct.unpack(">I", header[4:8])[0] if len(header) == 13 else 0
    return rows * (_png_row_bytes(header) + 1)


def _png_data_whole(header: bytes, inflated: bytearray, pixels: zlib._Decompress) -> bool:
    """The image data inflated completely to exactly its scanlines, each with a valid filter.

    Any bytes that pass decode to some picture: this is what a decoder checks,
    without building the pixels.
    """
    row = _png_row_bytes(header)
    if not row or not pixels.eof or pixels.unconsumed_tail or pixels.unused_data:
        return False
    if len(inflated) != _png_data_size(header):
        return False
    return max(inflated[:: row + 1], default=0) <= 4  # filter types 0-4


def _jpeg_shape(data: bytes) -> ImageShape | None:
    """The shape of a baseline JPEG holding nothing but its image (see :func:`_jpeg_parse`).

    The JPEGs this app writes share their headers but for the frame's size, so
    headers already parsed and found good are remembered: a JPEG starting with
    the same bytes up to its scan, then one scan and its end marker, has the
    same shape without parsing them again.  Anything else is parsed in full.
    """
    if not data.startswith(b"\xff\xd8"):
        return None
    sos = data.find(b"\xff\xda")
    if sos > 0 and sos + 4 <= len(data):
        scan_start = sos + 2 + int.from_bytes(data[sos + 2 : sos + 4], "big")
        known = _JPEG_HEADERS.get(data[:scan_start])
        if known is not None:
            end = _after_scan(data, scan_start)
            if end + 2 == len(data) and data[end:] == b"\xff\xd9":
                return ImageShape(JPEG, *known)
    shape, scan_start = _jpeg_parse(data)
    if shape is not None and scan_start:
        if len(_JPEG_HEADERS) >= _JPEG_HEADERS_KEPT:
            _JPEG_HEADERS.clear()
        _JPEG_HEADERS[data[:scan_start]] = (shape.width, shape.height)
    return shape


# Headers (from the start of the file to the start of the scan's data) that parsed
# as a good baseline JPEG, with the frame's width and height.  Parsing is a function
# of these bytes alone, so the same bytes parse the same way again.
_JPEG_HEADERS: dict[bytes, tuple[int, int]] = {}
_JPEG_HEADERS_KEPT = 256


def _jpeg_parse(data: bytes) -> tuple[ImageShape | None, int]:
    """The shape of a baseline JPEG holding nothing but its image; None for anything else.

    Decoders accept any bytes inside a scan (a JPEG whose image data is noise,
    or half missing before its end marker, decodes without error), so what can
    make a JPEG undecodable is its headers: every table a scan uses must be
    defined, and the scan must cover the frame's components.  That is checked
    here, and the image must end at its end marker: nothing may follow it.
    This app writes baseline JPEGs; progressive or unusual ones are decoded
    and normalised again.  Also returns where the scan's data starts (0 if
    none was found).
    """
    tables = _JpegTables()
    scan_start = 0
    pos = 2
    while pos + 4 <= len(data) or data[pos : pos + 2] == b"\xff\xd9":
        marker = data[pos + 1]
        if data[pos] != 0xFF or marker not in _JPEG_ALLOWED:
            return None, scan_start  # EXIF, ICC, XMP, comments, progressive frames, unknown
        if marker == 0xD9:  # end of image: the scan was read and nothing follows
            done = tables.scanned and pos + 2 == len(data)
            return (ImageShape(JPEG, tables.width, tables.height) if done else None), scan_start
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        body = data[pos + 4 : pos + 2 + length]
        if length < 2 or len(body) != length - 2 or not tables.read(marker, body):
            return None, scan_start
        pos += 2 + length
        if marker == 0xDA:  # start of scan: skip its entropy-coded data to the next marker
            scan_start = scan_start or pos
            pos = _after_scan(data, pos)
    return None, scan_start


# APP0 (JFIF), DQT, baseline and extended SOF, DHT, DRI, SOS, EOI.
_JPEG_ALLOWED = {0xE0, 0xDB, 0xC0, 0xC1, 0xC4, 0xDD, 0xDA, 0xD9}


class _JpegTables:
    """What a baseline JPEG's headers define, checked as each segment is read."""

    def __init__(self) -> None:
        self.quantisation: set[int] = set()
        self.huffman: set[tuple[int, int]] = set()  # (0 DC / 1 AC, table id)
        self.components: dict[int, int] = {}  # component id -> quantisation table
        self.width = self.height = 0
        self.scanned = False

    def read(self, marker: int, body: bytes) -> bool:
        if marker == 0xDB:
            return self._quantisation(body)
        if marker == 0xC4:
            return self._huffman(body)
        if marker in (0xC0, 0xC1):
            return self._frame(body)
        if marker == 0xDA:
            return self._scan(body)
        return marker != 0xDD or len(body) == 2

    def _quantisation(self, body: bytes) -> bool:
        at = 0
        while at < len(body):
            precision, table = body[at] >> 4, body[at] & 0x0F
            if precision > 1 or table > 3:
                return False
            self.quantisation.add(table)
            at += 1 + 64 * (precision + 1)
        return at == len(body)

    def _huffman(self, body: bytes) -> bool:
        at = 0
        while at + 17 <= len(body):
            kind, table = body[at] >> 4, body[at] & 0x0F
            if kind > 1 or table > 3:
                return False
            self.huffman.add((kind, table))
            at += 17 + sum(body[at + 1 : at + 17])
        return at == len(body)

    def _frame(self, body: bytes) -> bool:
        if self.components or len(body) < 6:
            return False  # a second frame
        fields: tuple[int, ...] = struct.unpack(">BHHB", body[:6])
        precision, height, width, count = fields
        if precision != 8 or count not in (1, 3) or len(body) != 6 + 3 * count:
            return False
        for at in range(6, len(body), 3):
            ident, sampling, table = body[at : at + 3]
            if not (1 <= sampling >> 4 <= 4 and 1 <= sampling & 0x0F <= 4) or table > 3:
                return False
            self.components[ident] = table
        self.width, self.height = width, height
        return len(self.components) == count and width > 0 and height > 0

    def _scan(self, body: bytes) -> bool:
        if self.scanned or not self.components or not body:
            return False  # one scan of a frame already described
        count = body[0]
        if count != len(self.components) or len(body) != 4 + 2 * count:
            return False
        seen = set()
        for at in range(1, 1 + 2 * count, 2):
            ident, selectors = body[at], body[at + 1]
            if (
                ident not in self.components
                or self.components[ident] not in self.quantisation
                or (0, selectors >> 4) not in self.huffman
                or (1, selectors & 0x0F) not in self.huffman
            ):
                return False
            seen.add(ident)
        self.scanned = True
        return len(seen) == count and body[-3:] == b"\x00\x3f\x00"  # spectral 0-63, no refining


# Inside a scan a 0xFF byte is stuffed (FF 00) or a restart (FF D0-D7), and fill
# bytes (FF FF) may precede a marker: any other byte after an 0xFF ends the scan.
@functools.cache
def _marker_after_scan() -> re.Pattern[bytes]:  # compiled on first use, not at start-up
    return re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _after_scan(data: bytes, pos: int) -> int:
    """Where the marker after a scan's entropy-coded data starts (len(data) if none)."""
    found = _marker_after_scan().search(data, pos)
    return found.start() if found else len(data)
