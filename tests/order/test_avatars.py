"""Profile pictures: normalised once, never a crash on junk."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from desktop_app.order.avatars import (
    JPEG,
    MAX_BYTES,
    MAX_SIDE,
    PNG,
    AvatarError,
    avatar_from_bytes,
    normalise,
    normalised_shape,
)


def photo_with_gps(width=1200, height=800, orientation=6) -> bytes:
    """A JPEG like a phone's: EXIF orientation and a GPS position."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 4, height))  # a blue band on the left
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def png_bytes(size=(100, 100), mode="RGBA", color=(0, 128, 0, 128), **info) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG", **info)
    return out.getvalue()


def test_phone_photo_is_rotated_cropped_resized_and_stripped():
    raw = photo_with_gps()
    data, content_type = normalise(raw)
    assert content_type == JPEG
    image = Image.open(io.BytesIO(data))
    assert image.size == (MAX_SIDE, MAX_SIDE)
    assert not image.getexif()  # GPS and orientation are gone
    assert "exif" not in image.info and "icc_profile" not in image.info
    assert normalised_shape(data) is not None
    # Orientation 6 rotates the picture; the blue band moves from the left edge to the top.
    top_middle = image.convert("RGB").getpixel((MAX_SIDE // 2, 5))
    assert top_middle[2] > 150 and top_middle[0] < 100


def test_transparent_png_stays_png_and_small_pictures_are_not_enlarged():
    data, content_type = normalise(png_bytes((120, 80)))
    image = Image.open(io.BytesIO(data))
    assert content_type == PNG and image.size == (80, 80) and image.mode == "RGBA"


def test_png_text_metadata_is_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret location")
    raw = png_bytes((64, 64), pnginfo=info)
    assert normalised_shape(raw) is None  # the cheap scan sees the metadata
    data, _ = normalise(raw)
    assert b"secret location" not in data and normalised_shape(data) is not None


def test_normalised_output_is_recognised_without_decoding():
    avatar = avatar_from_bytes(photo_with_gps(300, 300, 1))
    assert avatar.problem is None and avatar.size < MAX_BYTES
    again = avatar_from_bytes(avatar.read())
    assert again.digest == avatar.digest  # not re-encoded


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"hello, I am text", "not an image"),
        (b"%PDF-1.4 not a picture", "not an image"),
    ],
)
def test_junk_is_refused_with_a_sentence(data, words):
    with pytest.raises(AvatarError) as caught:
        normalise(data, "john@example.com")
    assert words in str(caught.value) and "john@example.com" in str(caught.value)


def test_truncated_picture_is_refused():
    raw = photo_with_gps()
    with pytest.raises(AvatarError, match="damaged or truncated"):
        normalise(raw[: len(raw) // 2])


def test_decompression_bomb_is_refused_before_decoding():
    # A valid PNG header claiming 40000 x 40000 pixels, a few hundred bytes in all.
    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(AvatarError, match="too large"):
        normalise(bomb)


def test_cheap_scan_refuses_what_is_not_normalised():
    assert normalised_shape(png_bytes((100, 50))) is None  # not square
    assert normalised_shape(png_bytes((700, 700), mode="RGB", color=(1, 2, 3))) is None  # too big
    complete = png_bytes((64, 64))
    assert normalised_shape(complete) is not None
    assert normalised_shape(complete[:-12]) is None  # no IEND: truncated
    assert normalised_shape(photo_with_gps(200, 200, 1)) is None  # EXIF


def test_a_png_with_damaged_image_data_passes_the_structure_scan_and_fails_its_pixel_check():
    from factories import make_png, png_with_damaged_pixels

    from desktop_app.order.picture_scan import ImageShape, PixelCheck

    damaged, whole = png_with_damaged_pixels(), make_png((10, 200, 90), 64)
    assert normalised_shape(damaged) is None
    assert normalised_shape(damaged, png_pixels=False) == ImageShape(PNG, 64, 64)
    reads = []
    check = PixelCheck(lambda: reads.append(1) or damaged, "ann.png")
    assert not check.done and check.problem is None
    assert check.run() == "ann.png is damaged or truncated" == check.problem
    assert check.run() == check.problem and reads == [1]  # checked once
    assert PixelCheck(lambda: whole, "bob.png").run() is None


def test_jpeg_headers_seen_before_give_exactly_the_answers_of_a_full_parse():
    from factories import make_jpeg

    from desktop_app.order import picture_scan

    good = [make_jpeg((9 * i, 40, 200 - i), 60 + i, q) for i in range(4) for q in (90, 50)]
    variants = [
        *good,
        good[0] + b"after the end",
        good[1][:-2],  # no end marker
        good[2][:-2] + b"\xff\xc4\x00\x02\xff\xd9",  # a table after the scan: accepted
        good[3].replace(b"\xff\xd9", b"\xff\xd9\xff\xd9"),
        photo_with_gps(64, 64, 1),
    ]
    picture_scan._JPEG_HEADERS.clear()
    full = [picture_scan._jpeg_parse(data)[0] for data in variants]
    assert [shape is not None for shape in full[len(good) :]] == [False, False, True, False, False]
    assert all(full[: len(good)])
    assert [normalised_shape(data) for data in variants] == full
    assert picture_scan._JPEG_HEADERS  # the good ones' headers are remembered ...
    assert [normalised_shape(data) for data in variants] == full  # ... and agree again
