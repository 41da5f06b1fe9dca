"""A folder of phone photos: the picture pool beside a one-process Pillow loop, in one run.

    python -m benchmarks.pictures_bench child FOLDER ROUNDS   # prints one JSON line

The photos are 4000×3000 JPEGs turned by EXIF (orientation 6, as a phone
held upright writes), with grain so they decode like real ones; they are
made once and cached under ``benchmarks/results/data``.  The baseline does
what normalising does, step by step, with Pillow in one process: the same
reduced decode, EXIF turn, square crop, Lanczos resize to 640 px and JPEG
encode.  The pool's time includes starting its worker processes, as every
import does.  Rounds alternate between the two, in a fresh process.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import SECONDS, Figure, Target, median, run_child

PHOTOS = 64
ROUNDS = 3
WIDTH, HEIGHT = 4000, 3000
RATIO_LIMIT = 0.75
PHOTOS_VERSION = 1
EXIF_ORIENTATION = 0x0112


def phone_photo(index: int) -> bytes:
    """Photo number ``index``: a tinted gradient with grain, EXIF orientation 6, about 5 MB."""
    from PIL import Image, ImageChops

    tint = ((index * 37) % 200 + 30, (index * 91) % 200 + 30, (index * 53) % 200 + 30)
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    base = Image.merge(
        "RGB",
        [gradient.point(lambda v, t=t: (v * t) // 255) for t in tint],  # type: ignore[misc]
    )
    grain = Image.effect_noise((WIDTH, HEIGHT), 24).convert("RGB")
    image = ImageChops.add(base, grain, scale=1.6, offset=-40)
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def ensure_photos(folder: Path, count: int = PHOTOS) -> list[Path]:
    """The cached folder of ``count`` photos named ``userN@phone.example.jpg``."""
    folder = folder / f"phone-photos-v{PHOTOS_VERSION}-{count}"
    paths = [folder / f"user{n}@phone.example.jpg" for n in range(count)]
    if all(p.is_file() for p in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(paths):
        if not path.is_file():
            partial = path.with_suffix(".part")
            partial.write_bytes(phone_photo(index))
            partial.replace(path)  # a photo that exists is complete
    return paths


def pillow_loop(paths: list[Path]) -> int:
    """The baseline: each photo's decode-crop-resize-encode, one after another, with Pillow."""
    from PIL import Image, ImageOps

    written = 0
    for path in paths:
        with Image.open(path) as opened:
            opened.draft("RGB", (1280, 1280))
            image = ImageOps.exif_transpose(opened).convert("RGB")
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        image = image.crop((left, top, left + side, top + side))
        image = image.resize((640, 640), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=88, optimize=True)
        written += out.tell()
    return written


def child(folder: Path, rounds: int) -> dict[str, Any]:
    from desktop_app.draft.picture_pool import normalise_files, worker_count

    paths = sorted(folder.glob("*.jpg"))
    loop: list[float] = []
    pool: list[float] = []
    problems = 0
    for round_number in range(rounds):
        # Alternate which goes first, so neither always meets a warm disk cache first.
        order = ("loop", "pool") if round_number % 2 == 0 else ("pool", "loop")
        for which in order:
            start = time.perf_counter()
            if which == "loop":
                pillow_loop(paths)
                loop.append(time.perf_counter() - start)
            else:
                outcome = normalise_files(paths)
                pool.append(time.perf_counter() - start)
                problems += sum(1 for r in outcome.results if r.avatar is None)
    return {
        "loop": loop,
        "pool": pool,
        "photos": len(paths),
        "workers": worker_count(len(paths)),
        "problems": problems,
        "bytes": sum(p.stat().st_size for p in paths),
    }


def pictures_figures(data_folder: Path, env: dict[str, str], rounds: int = ROUNDS) -> list[Figure]:
    paths = ensure_photos(data_folder)
    measured: dict[str, Any] = run_child(
        ["-m", "benchmarks.pictures_bench", "child", str(paths[0].parent), str(rounds)], env
    )
    notes = (
        f"{measured['photos']} JPEGs of {WIDTH}×{HEIGHT}, EXIF-turned, "
        f"{measured['bytes'] / 1e6:.0f} MB; {measured['workers']} worker processes; "
        f"{measured['problems']} refused"
    )
    return [
        Figure(
            "pictures.folder",
            f"Import a folder of {measured['photos']} phone photos",
            median(measured["pool"]),
            SECONDS,
            "one-process Pillow loop, same steps",
            median(measured["loop"]),
            Target.ratio(RATIO_LIMIT),
            notes=notes,
            samples=measured["pool"],
            baseline_samples=measured["loop"],
        )
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "child":
        print(json.dumps(child(Path(sys.argv[2]), int(sys.argv[3]))))
    else:
        sys.exit(__doc__)
