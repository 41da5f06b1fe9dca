"""Regenerate the bundled resources in ``resources/``: the app icon and the sample draft.

    .venv/bin/python -m desktop_app.bootstrap.make_resources

The icon is drawn here rather than shipped as an opaque binary, so it can be
changed in code review; the sample draft is built through the same core
functions the app uses, so it is always a draft the current app writes.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
# The data folder the wheel maps into the package (desktop_app.resources) and build.spec bundles.
RESOURCES = ROOT / "resources"
sys.path.insert(0, str(ROOT))

ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512]


def draw_icon(size: int = 1024) -> Image.Image:
    """A blue tile with a white envelope and a green tick: mail, checked."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    s = size / 1024
    draw.rounded_rectangle((40 * s, 40 * s, 984 * s, 984 * s), radius=200 * s, fill=(37, 99, 235))
    left, top, right, bottom = 190 * s, 300 * s, 834 * s, 724 * s
    draw.rounded_rectangle((left, top, right, bottom), radius=40 * s, fill=(255, 255, 255))
    draw.line(
        [(left + 20 * s, top + 30 * s), (512 * s, 540 * s), (right - 20 * s, top + 30 * s)],
        fill=(37, 99, 235),
        width=int(44 * s),
        joint="curve",
    )
    cx, cy, r = 770 * s, 740 * s, 170 * s
    draw.ellipse(
        (cx - r, cy - r, cx + r, cy + r),
        fill=(22, 163, 74),
        outline=(255, 255, 255),
        width=int(28 * s),
    )
    draw.line(
        [(cx - 85 * s, cy + 5 * s), (cx - 20 * s, cy + 70 * s), (cx + 90 * s, cy - 60 * s)],
        fill=(255, 255, 255),
        width=int(44 * s),
        joint="curve",
    )
    return image


def write_icons() -> None:
    big = draw_icon()
    big.resize((512, 512), Image.Resampling.LANCZOS).save(RESOURCES / "icon.png")
    big.save(RESOURCES / "icon.ico", sizes=[(n, n) for n in ICON_SIZES if n <= 256])
    big.save(RESOURCES / "icon.icns")


PEOPLE = [
    ("Ava", "Stone"), ("Liam", "Carter"), ("Maya", "Patel"),
    ("Noah", "Brooks"), ("Zoe", "Nguyen"), ("Ethan", "Ward"),
    ("Isla", "Moreno"), ("Owen", "Fischer"), ("Ruby", "Okafor"),
]  # fmt: skip
COLOURS = [(239, 68, 68), (249, 115, 22), (234, 179, 8), (34, 197, 94), (20, 184, 166),
           (59, 130, 246), (139, 92, 246), (236, 72, 153), (100, 116, 139)]  # fmt: skip


def portrait(initials: str, colour: tuple[int, int, int]) -> bytes:
    """A plain coloured square with initials, the kind of picture operators use."""
    image = Image.new("RGB", (256, 256), colour)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=110)
    except TypeError:  # Pillow < 10.1 has no scalable default font
        font = ImageFont.load_default()
    draw.text((128, 128), initials, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def write_sample() -> None:
    from desktop_app.draft import draft_file
    from desktop_app.order.avatars import avatar_from_bytes
    from desktop_app.order.model import DomainEntry, GoogleSettings, Mailbox, Order

    domains = ["northwindmail.com", "brightpath-outreach.com", "cobaltreach.io"]
    order = Order(
        name="Sample order",
        notes="Three domains, nine Google mailboxes. Try it in practice mode.",
        domains=[DomainEntry(d, 1) for d in domains],
        google=GoogleSettings(
            "https://oauth.example.com/callback", "104857600123", "Outreach Sync"
        ),
    )
    for index, (first, last) in enumerate(PEOPLE):
        domain = domains[index // 3]
        avatar = avatar_from_bytes(portrait(first[0] + last[0], COLOURS[index]), f"{first}.png")
        order.mailboxes.append(Mailbox(domain, f"{first}.{last}".lower(), first, last, avatar))
    order.domains[1].forward_to = "https://brightpath.example.com"
    draft_file.save(order, RESOURCES / "sample.cmrorder")


if __name__ == "__main__":
    write_icons()
    write_sample()
    print("wrote icon.png, icon.ico, icon.icns and sample.cmrorder")
