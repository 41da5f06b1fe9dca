"""The benchmark's order: many domains, a few mailboxes each, a distinct picture for every one.

Everything is generated (Pillow draws the pictures), deterministic for a
given size, and valid: the practice server accepts it as it is.  The big
draft takes several seconds to make, so it is cached under
``benchmarks/results/`` with :data:`DATA_VERSION` and its size in the name:
bump the version whenever the generator changes what it makes.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from desktop_app.draft import draft_file
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, Mailbox, Order

DATA_VERSION = 1
RESULTS = Path(__file__).resolve().parent / "results"
MIN_SIDE, MAX_SIDE = 96, 128
PNG_EVERY = 5  # one picture in five is a PNG, the rest JPEG, as operators' folders are
_INDEX_BITS = 16  # the picture's number, drawn as a strip of blocks: no two pictures alike

FIRST_NAMES = (
    "Ada",
    "Alan",
    "Amara",
    "Anna",
    "Björn",
    "Carla",
    "Chloé",
    "Daniel",
    "Dmitri",
    "Elena",
    "Emma",
    "Eun-ji",
    "Fatima",
    "Felix",
    "Gaspard",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jonas",
    "Julia",
    "Kai",
    "Laura",
    "Leo",
    "Lucía",
    "Maya",
    "Marco",
    "Nina",
    "Noah",
    "Olivia",
    "Omar",
    "Paula",
    "Pedro",
    "Rosa",
    "Sam",
    "Sofia",
    "Tariq",
    "Vera",
    "Zoë",
)
LAST_NAMES = (
    "Archer",
    "Baker",
    "Brooks",
    "Carter",
    "Dubois",
    "Evans",
    "Fischer",
    "García",
    "Haddad",
    "Ivanov",
    "Jensen",
    "Kim",
    "Lambert",
    "Lovelace",
    "Meyer",
    "Moreau",
    "Novak",
    "Núñez",
    "Olsen",
    "Park",
    "Quinn",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Tanaka",
    "Turner",
    "Urban",
    "Vargas",
    "Weber",
    "Wright",
    "Young",
    "Zimmer",
    "Ångström",
)
_DOMAIN_HEADS = (
    "bright",
    "north",
    "clear",
    "swift",
    "blue",
    "true",
    "prime",
    "green",
    "rapid",
    "solid",
    "open",
    "bold",
    "keen",
    "vivid",
    "calm",
    "smart",
    "first",
    "peak",
    "core",
    "fresh",
)
_DOMAIN_TAILS = (
    "mail", "reach", "works", "labs", "outreach", "growth", "leads", "send", "hq", "co",
)  # fmt: skip
_TLDS = (".com", ".net", ".io", ".co", ".org")


def domain_names(count: int) -> list[str]:
    """``count`` distinct, plausible domain names."""
    names = []
    for index in range(count):
        head = _DOMAIN_HEADS[index % len(_DOMAIN_HEADS)]
        tail = _DOMAIN_TAILS[(index // len(_DOMAIN_HEADS)) % len(_DOMAIN_TAILS)]
        tld = _TLDS[(index // (len(_DOMAIN_HEADS) * len(_DOMAIN_TAILS))) % len(_TLDS)]
        round_ = index // (len(_DOMAIN_HEADS) * len(_DOMAIN_TAILS) * len(_TLDS))
        names.append(f"{head}{tail}{round_ or ''}{tld}")
    return names


def _usernames(first: str, last: str) -> Iterator[str]:
    """Address patterns operators use, most common first."""
    f, la = _ascii(first), _ascii(last)
    yield from (f, f"{f}.{la}", f"{f}{la}", f"{f[0]}{la}", f"{f}{la[0]}", f"{f}_{la}")


def _ascii(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def make_order(domains: int, per_domain: int, seed: int = 6) -> Order:
    """A valid order of ``domains`` × ``per_domain`` mailboxes, each with its own picture."""
    rng = random.Random(seed)
    order = Order(name=f"Benchmark {domains}x{per_domain}", user_id="bench")
    index = 0
    for number, name in enumerate(domain_names(domains)):
        forward = f"https://www.{name}" if number % 4 == 0 else ""
        order.domains.append(DomainEntry(name, 1 + number % 3, forward, number % 8 == 0))
        taken: set[str] = set()
        while len(taken) < per_domain:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            username = next((u for u in _usernames(first, last) if u not in taken), None)
            if username is None:
                continue  # every pattern of this name is used on this domain: pick another
            taken.add(username)
            avatar = avatar_from_bytes(picture(index), f"{username}@{name}")
            order.mailboxes.append(Mailbox(name, username, first, last, avatar))
            index += 1
    return order


def picture(index: int) -> bytes:
    """Picture number ``index``: a head-and-shoulders drawing on a textured background.

    Square, 96–128 px, no metadata (already a normalised avatar), and unlike
    every other number's: the number is drawn into it.
    """
    from PIL import Image, ImageDraw

    rng = random.Random(index)
    side = MIN_SIDE + index % (MAX_SIDE - MIN_SIDE + 1)
    background = tuple(rng.randrange(40, 230) for _ in range(3))
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    skin = rng.choice([(241, 194, 167), (224, 172, 105), (141, 85, 36), (198, 134, 66)])
    shirt = tuple(rng.randrange(0, 256) for _ in range(3))
    draw.ellipse((side * 0.12, side * 0.68, side * 0.88, side * 1.3), fill=shirt)
    draw.ellipse((side * 0.3, side * 0.18, side * 0.7, side * 0.66), fill=skin)
    block = max(2, side // (_INDEX_BITS + 2))
    for bit in range(_INDEX_BITS):
        colour = (255, 255, 255) if index >> bit & 1 else (0, 0, 0)
        draw.rectangle((bit * block, 0, bit * block + block - 1, block - 1), fill=colour)
    image = Image.blend(image, _texture(side), 0.15)
    out = io.BytesIO()
    if index % PNG_EVERY == PNG_EVERY - 1:
        image.save(out, "PNG")
    else:
        image.save(out, "JPEG", quality=85)
    return out.getvalue()


@cache
def _texture(side: int) -> object:
    from PIL import Image

    return Image.effect_noise((side, side), 64).convert("RGB")


def paste_text(order: Order) -> str:
    """The order's mailboxes as a spreadsheet puts them on the clipboard (with a header row)."""
    lines = ["email\tfirstName\tlastName"]
    lines += [f"{m.username}@{m.domain}\t{m.first_name}\t{m.last_name}" for m in order.mailboxes]
    return "\n".join(lines) + "\n"


def draft_path(domains: int, per_domain: int, folder: Path = RESULTS) -> Path:
    return folder / "data" / f"order-v{DATA_VERSION}-{domains}x{per_domain}.cmrorder"


def ensure_draft(domains: int, per_domain: int, folder: Path = RESULTS) -> Path:
    """The cached draft of that size, made (and saved with the app's own writer) when missing."""
    path = draft_path(domains, per_domain, folder)
    if path.is_file():  # saving is atomic: a file that exists is complete
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    draft_file.save(make_order(domains, per_domain), path)
    return path
