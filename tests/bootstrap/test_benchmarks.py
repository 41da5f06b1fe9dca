"""The benchmark suite's own parts: its generated order, its memory figure, its report.

No timings are asserted here: the figures belong to ``benchmarks/run.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import data  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    BYTES,
    SECONDS,
    Figure,
    Target,
    format_value,
    measure_memory,
    timed,
)
from benchmarks.report import format_markdown, format_table, write_json  # noqa: E402
from desktop_app.draft import draft_file  # noqa: E402
from desktop_app.order import table_text  # noqa: E402
from desktop_app.order.avatars import JPEG, PNG, normalised_shape  # noqa: E402
from desktop_app.order.validation import validate  # noqa: E402


def test_the_generated_order_is_valid_with_a_distinct_normalised_picture_each():
    order = data.make_order(4, 5)
    assert len(order.domains) == 4 and len(order.mailboxes) == 20
    assert validate(order) == []
    avatars = [m.avatar for m in order.mailboxes]
    assert all(a is not None for a in avatars)
    assert len({a.digest for a in avatars}) == 20  # no two pictures alike
    shapes = [normalised_shape(a.read()) for a in avatars]
    assert all(s is not None and data.MIN_SIDE <= s.width <= data.MAX_SIDE for s in shapes)
    assert {s.content_type for s in shapes} == {PNG, JPEG}
    assert len({m.key for m in order.mailboxes}) == 20


def test_the_draft_is_cached_by_size_and_reloads_identically(tmp_path):
    path = data.ensure_draft(2, 3, tmp_path)
    assert path.name == f"order-v{data.DATA_VERSION}-2x3.cmrorder"
    made = path.stat().st_mtime_ns
    assert data.ensure_draft(2, 3, tmp_path) == path
    assert path.stat().st_mtime_ns == made  # the second run reuses it
    loaded = draft_file.load(path)
    fresh = data.make_order(2, 3)
    assert [(m.email, m.avatar.digest) for m in loaded.mailboxes] == [
        (m.email, m.avatar.digest) for m in fresh.mailboxes
    ]


def test_the_pasted_text_maps_onto_the_mailbox_table_by_its_header():
    order = data.make_order(2, 2)
    grid = table_text.parse(data.paste_text(order))
    plan = table_text.plan_paste(grid, ["username", "domain", "firstName", "lastName", ""], 0)
    assert plan.by_header
    assert [(r["username"], r["domain"], r["firstName"]) for r in plan.records] == [
        (m.username, m.domain, m.first_name) for m in order.mailboxes
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="exact peaks need Linux")
def test_the_memory_figure_sees_a_temporary_allocation():
    size = 64 * 1024 * 1024

    def allocate() -> None:
        block = bytearray(size)
        block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
        del block

    measured = measure_memory(allocate)
    assert measured["peak_above_idle"] >= size * 0.9
    assert measured["peak_rss"] >= measured["idle_rss"] + measured["peak_above_idle"] * 0.9


def test_the_report_shows_each_figure_beside_its_baseline(tmp_path):
    order = data.make_order(2, 2)
    validating = timed(lambda: validate(order))
    looking = timed(lambda: [m.username.strip() for m in order.mailboxes])
    figures = [
        Figure(
            "validate",
            "Validate",
            validating,
            SECONDS,
            "one look",
            looking,
            None,
            samples=[validating],
        ),
        Figure("size", "Bundle", 150e6, BYTES, "bare", 100e6, Target.ratio(1.25)),
        Figure("memory", "Memory", 2e6, BYTES, "body", 45e6, Target.at_most(100e6, BYTES)),
    ]
    assert [f.met for f in figures] == [None, False, True]
    assert figures[1].ratio == pytest.approx(1.5)

    table = format_table(figures)
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["Measure", "Result"]
    assert "1.50×" in lines[3] and "NO" in lines[3] and "150 MB" in lines[3]
    assert format_value(validating, SECONDS) in lines[2] and lines[2].rstrip().endswith("—")
    assert "≤ 100 MB" in lines[4] and lines[4].rstrip().endswith("yes")
    assert "| Bundle | 150 MB | 100 MB bare | 1.50× |" in format_markdown(figures)

    path = tmp_path / "results" / "latest.json"
    written = write_json(figures, path, ["send: curl is missing"], draft="x.cmrorder")
    loaded = json.loads(path.read_text("utf-8"))
    assert loaded == json.loads(json.dumps(written))
    assert [f["key"] for f in loaded["figures"]] == ["validate", "size", "memory"]
    assert loaded["figures"][0]["value"] == validating
    assert loaded["figures"][1]["ratio"] == pytest.approx(1.5)
    assert loaded["figures"][1]["met"] is False
    assert loaded["errors"] == ["send: curl is missing"]
    assert loaded["machine"]["cores"] >= 1


def test_the_pixel_budget_draft_is_small_and_every_picture_is_over_the_budget(tmp_path):
    from benchmarks.hostile_bench import HUGE_PICTURES, make_pixel_budget_draft
    from desktop_app.order.avatars import MAX_DECODED_PIXELS
    from desktop_app.order.validation import Severity, Table

    path = make_pixel_budget_draft(tmp_path / "pixels.cmrorder")
    assert path.stat().st_size < 1_000_000
    order = draft_file.load(path)
    assert len(order.mailboxes) == HUGE_PICTURES
    problems = [p for p in validate(order) if p.table is Table.AVATARS]
    assert len(problems) == HUGE_PICTURES
    assert all(p.severity is Severity.ERROR and "9000×9000" in p.message for p in problems)
    assert MAX_DECODED_PIXELS < 9000 * 9000


def test_the_phone_photo_is_a_turned_4000_by_3000_jpeg_and_the_loop_makes_avatars(tmp_path):
    from PIL import Image

    from benchmarks import pictures_bench
    from desktop_app.order.avatars import avatar_from_file

    path = tmp_path / "ann@phone.example.jpg"
    path.write_bytes(pictures_bench.phone_photo(3))
    with Image.open(path) as photo:
        assert photo.format == "JPEG" and photo.size == (4000, 3000)
        assert photo.getexif()[pictures_bench.EXIF_ORIENTATION] == 6
    assert pictures_bench.pillow_loop([path]) > 0
    assert avatar_from_file(path).width == 640  # the pool's side makes the same size


def test_the_bare_window_screenshot_is_a_picture_at_the_apps_default_size(tmp_path):
    from PySide6.QtGui import QImage

    from benchmarks.bare_window import SCREENSHOT_SIZE
    from benchmarks.harness import bench_env
    from benchmarks.startup import alternate_starts, bare_command

    command = bare_command([sys.executable, str(ROOT / "benchmarks" / "bare_window.py")])
    env = bench_env(tmp_path / "home")
    times = alternate_starts({"bare": command}, {"bare": env}, 2, tmp_path)
    assert len(times["bare"]) == 2 and all(t > 0 for t in times["bare"])
    assert not list(tmp_path.glob("*.png"))  # each picture is checked, then removed
    path = tmp_path / "shot.png"
    subprocess.run(command(path), env=env, check=True, timeout=120)
    image = QImage(str(path))
    assert (image.width(), image.height()) == SCREENSHOT_SIZE


def test_a_start_that_fails_or_writes_no_picture_is_an_error_not_a_figure(tmp_path):
    from benchmarks.harness import BenchmarkError, bench_env, time_until_exit
    from benchmarks.startup import alternate_starts

    env = bench_env(tmp_path / "home")
    failing = [sys.executable, "-c", "import sys; print('no display'); sys.exit(3)"]
    with pytest.raises(BenchmarkError, match="exited 3: no display"):
        time_until_exit(failing, env)
    silent = lambda png: [sys.executable, "-c", "pass"]  # noqa: E731
    with pytest.raises(BenchmarkError, match="without writing"):
        alternate_starts({"silent": silent}, {"silent": env}, 1, tmp_path)


def test_the_user_start_is_the_quick_start_order_in_practice_mode_rendered_to_a_file(tmp_path):
    from benchmarks.startup import SAMPLE, app_command, without_bytecode

    command = app_command(["order-desk"])(tmp_path / "out.png")
    assert command == [
        "order-desk", "open", "--practice", "--screenshot", str(tmp_path / "out.png"), str(SAMPLE)
    ]  # fmt: skip
    assert SAMPLE.is_file()
    copy = without_bytecode(tmp_path / "copy")
    assert (copy / "desktop_app" / "ui" / "window" / "app.py").is_file()
    assert (copy / "resources" / "sample.cmrorder").is_file()
    assert not list(copy.rglob("__pycache__")) and not list(copy.rglob("*.pyc"))


def test_growth_from_one_size_to_the_next_is_a_ratio_of_ratios_against_linear():
    from benchmarks.drafts_bench import scaling_figures

    small = [
        Figure("open.window.5000", "Open 5,000 mailboxes", 0.4, SECONDS, "zip", 0.1),
        Figure("paste.5000", "Paste 5,000 rows", 0.1, SECONDS, "csv", 0.01),
        Figure("save.memory.5000", "Save 5,000: memory", 6e6, BYTES, "draft", 45e6),
    ]
    big = [
        Figure("open.window.20000", "Open 20,000 mailboxes", 1.2, SECONDS, "zip", 0.4),
        Figure("paste.20000", "Paste 20,000 rows", 0.5, SECONDS, "csv", 0.04),
        Figure("save.memory.20000", "Save 20,000: memory", 25e6, BYTES, "draft", 180e6),
    ]
    grown = scaling_figures(small, big, (5000, 20000))
    assert [f.key for f in grown] == ["scaling.open.window", "scaling.paste"]  # times only
    assert [f.value for f in grown] == [0.75, 1.25]  # 3× and 5× the time for 4× the rows
    assert [f.met for f in grown] == [True, False]
    assert grown[0].title == "Open, 5,000 → 20,000: growth ÷ 4"
