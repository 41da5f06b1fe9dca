"""Drafts made to hurt: how fast, and in how little memory, Order Desk refuses their pictures.

The pixel-budget draft holds six 9000×9000 PNGs (81 megapixels each, about
576 KB in all): decoding them would take seconds and most of a gigabyte.  The
measurement runs in a fresh child process (``core_child hostile``).
"""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from benchmarks.harness import BYTES, SECONDS, Figure, Target, median, run_child

HUGE_SIDE = 9000
HUGE_PICTURES = 6
OPEN_LIMIT_SECONDS = 1.0
MEMORY_LIMIT = 50_000_000  # "a few tens of MB"


def huge_png(side: int = HUGE_SIDE, shade: int = 0) -> bytes:
    """A valid ``side``×``side`` grey PNG of one shade: tens of KB that claim 81 megapixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" + bytes([shade]) * side
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def make_pixel_budget_draft(path: Path, pictures: int = HUGE_PICTURES) -> Path:
    """A draft of ``pictures`` mailboxes, each with its own huge PNG."""
    users = [f"user{i}" for i in range(pictures)]
    document = {
        "format": "cmrorder",
        "version": 1,
        "domains": [{"domain": "pixels.example.com"}],
        "mailboxes": {
            "pixels.example.com": [
                {"username": u, "firstName": "Ann", "lastName": "Lee"} for u in users
            ]
        },
        "avatars": {f"{u}@pixels.example.com": f"avatars/{i}.png" for i, u in enumerate(users)},
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("order.json", json.dumps(document), zipfile.ZIP_DEFLATED)
        for index in range(pictures):
            archive.writestr(f"avatars/{index}.png", huge_png(shade=index), zipfile.ZIP_STORED)
    return path


def hostile_figures(work: Path, env: dict[str, str]) -> list[Figure]:
    """Opening the pixel-budget draft: time and peak memory, beside reading its bytes."""
    work.mkdir(parents=True, exist_ok=True)
    draft = make_pixel_budget_draft(work / "pixel-budget.cmrorder")
    measured: dict[str, Any] = run_child(
        ["-m", "benchmarks.core_child", "hostile", str(draft)], env
    )
    opens = [run["seconds"] for run in measured["opens"]]
    memory = [run["peak_above_idle"] for run in measured["opens"]]
    size = draft.stat().st_size
    notes = (
        f"{HUGE_PICTURES} PNGs of {HUGE_SIDE}×{HUGE_SIDE}, {size:,} bytes; "
        f"{measured['refused']} refused as over the pixel budget"
    )
    return [
        Figure(
            "hostile.pixels.time",
            f"Open {HUGE_PICTURES} pictures of {HUGE_SIDE}×{HUGE_SIDE}",
            median(opens),
            SECONDS,
            "reading every ZIP member",
            median(measured["read_members"]),
            Target.at_most(OPEN_LIMIT_SECONDS, SECONDS),
            notes=notes,
            samples=opens,
            baseline_samples=measured["read_members"],
        ),
        Figure(
            "hostile.pixels.memory",
            f"Open {HUGE_PICTURES} pictures of {HUGE_SIDE}×{HUGE_SIDE}: peak memory",
            max(memory),
            BYTES,
            "the draft file",
            size,
            Target.at_most(MEMORY_LIMIT, BYTES),
            notes=measured["opens"][0]["memory_method"],
            samples=memory,
        ),
    ]
