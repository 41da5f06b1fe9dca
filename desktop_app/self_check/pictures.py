"""The self-test's picture checks: Pillow normalising each accepted format, Qt showing the results.

They prove the pieces a trimmed bundle could lose are still there: Pillow's
format plugins and codecs (JPEG, PNG, GIF, BMP, WebP, TIFF), EXIF handling,
and Qt's JPEG image plugin, which the avatar thumbnails need.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.order.avatars import ACCEPTED_FORMATS  # every format the app reads
from desktop_app.self_check.failure import CheckFailed

if TYPE_CHECKING:
    from PIL import Image

EXIF_ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6  # the orientation a phone held upright writes
EXIF_MAKE = 0x010F


def _two_tone(width: int, height: int) -> Image.Image:
    """A picture whose top half is red and bottom half blue, so a rotation shows."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (220, 30, 30))
    image.paste((30, 30, 220), (0, height // 2, width, height))
    return image


def _encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def check_normalise() -> tuple[str, bytes]:
    """Normalise one picture of each accepted format; returns (summary, a normalised JPEG)."""
    import PIL
    from PIL import Image

    from desktop_app.order.avatars import JPEG, MAX_SIDE, normalise

    for fmt in ACCEPTED_FORMATS:
        data, _ = normalise(_encode(_two_tone(700, 500), fmt), f"a {fmt} picture")
        _check_normalised(data, fmt, 500)

    # A camera JPEG: larger than an avatar, turned by EXIF, carrying a maker tag.
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ROTATE_90_CLOCKWISE
    exif[EXIF_MAKE] = "Self-test camera"
    photo = _encode(_two_tone(1200, 800), "JPEG", exif=exif.tobytes(), quality=90)
    data, content_type = normalise(photo, "a camera JPEG")
    if content_type != JPEG:
        raise CheckFailed(f"a camera JPEG was normalised to {content_type}, not JPEG")
    image = _check_normalised(data, "camera JPEG", MAX_SIDE)
    # Turned upright, the stored top (red) is on the right and the bottom (blue) on the left.
    left = _rgb(image, (10, MAX_SIDE // 2))
    right = _rgb(image, (MAX_SIDE - 10, MAX_SIDE // 2))
    if not (left[2] > left[0] and right[0] > right[2]):
        raise CheckFailed("the EXIF orientation of a camera JPEG was not applied")
    names = ", ".join(ACCEPTED_FORMATS)
    return f"{names} and a rotated camera JPEG normalised (Pillow {PIL.__version__})", data


def _rgb(image: Image.Image, where: tuple[int, int]) -> tuple[int, ...]:
    pixel = image.getpixel(where)
    if not isinstance(pixel, tuple):
        raise CheckFailed(f"a normalised picture has {image.mode} pixels, not colours")
    return pixel


def _check_normalised(data: bytes, label: str, side: int) -> Image.Image:
    from PIL import Image

    image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG"])
    if image.format not in ("PNG", "JPEG"):
        raise CheckFailed(f"the {label} became {image.format}, not PNG or JPEG")
    if image.size != (side, side):
        raise CheckFailed(f"the {label} became {image.width}×{image.height}, not {side}×{side}")
    if image.getexif() or "exif" in image.info or "icc_profile" in image.info:
        raise CheckFailed(f"the normalised {label} still carries metadata")
    return image.convert("RGB")


def check_screenshot(path: Path) -> str:
    """The window's screenshot exists and shows something; returns its size."""
    from PIL import Image

    if not path.is_file():
        raise CheckFailed("the window did not render a screenshot")
    with Image.open(path, formats=["PNG"]) as image:
        image.load()
        lowest, highest = zip(*image.convert("RGB").getextrema(), strict=True)
        size = f"{image.width}×{image.height}"
    if image.width < 400 or image.height < 300:
        raise CheckFailed(f"the window rendered only {size} pixels")
    if lowest == highest:
        raise CheckFailed("the window rendered a blank picture")
    return size


def check_thumbnail(jpeg: bytes) -> str:
    """Qt decodes a normalised JPEG and PNG avatar, as the thumbnails do."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QImage

    from desktop_app.order.avatars import normalise

    png, _ = normalise(_encode(_two_tone(64, 64).convert("RGBA"), "PNG"), "a PNG picture")
    for label, data in (("JPEG", jpeg), ("PNG", png)):
        image = QImage.fromData(QByteArray(data))
        if image.isNull():
            raise CheckFailed(f"Qt cannot decode a {label} avatar (is its image plugin missing?)")
    return "Qt decodes JPEG and PNG avatars"


def check_pool(work: Path) -> str:
    """The picture pool's worker processes start and normalise camera JPEGs.

    In the frozen bundle a worker is the bundle itself started again: this
    fails (it does not hang) if ``freeze_support`` or the pool's modules are missing.
    """
    from PIL import Image

    from desktop_app.draft.picture_pool import normalise_files
    from desktop_app.order.avatars import MAX_SIDE

    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ROTATE_90_CLOCKWISE
    folder = work / "pool-pictures"
    folder.mkdir(exist_ok=True)
    paths = []
    for number in range(3):
        path = folder / f"photo{number}@example.com.jpg"
        path.write_bytes(_encode(_two_tone(1200, 900), "JPEG", exif=exif.tobytes()))
        paths.append(path)
    workers = 2
    outcome = normalise_files(paths, processes=workers)
    problems = [r.problem for r in outcome.results if r.avatar is None]
    if problems:
        raise CheckFailed(str(problems[0]))
    if len(outcome.results) != len(paths):
        raise CheckFailed(f"the picture workers returned {len(outcome.results)} of {len(paths)}")
    for result in outcome.results:
        if result.avatar is not None:
            _check_normalised(result.avatar.read(), "pool's JPEG", MAX_SIDE)
    return f"{len(paths)} camera JPEGs normalised by {workers} worker processes"
