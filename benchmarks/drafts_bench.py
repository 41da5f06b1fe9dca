"""Working on the big draft: open, validate, paste, filter, edit and save, as figures.

The measurements run in child processes (``core_child`` and ``window_child``);
this module turns what they print into figures with their baselines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.harness import (
    BYTES,
    COUNT,
    SECONDS,
    BenchmarkError,
    Figure,
    Target,
    format_value,
    median,
    run_child,
)

MEMORY_LIMIT = 100_000_000


def core_figures(draft: Path, work: Path, env: dict[str, str], mailboxes: int) -> list[Figure]:
    """Validate and save, without a window; keys end in the draft's number of mailboxes."""
    checked = run_child(["-m", "benchmarks.core_child", "validate", str(draft)], env)
    saved = run_child(["-m", "benchmarks.core_child", "save", str(draft), str(work / "saves")], env)
    for leftover in (work / "saves").glob("*.cmrorder"):
        leftover.unlink()
    saves = [run["seconds"] for run in saved["saves"]]
    memory = [run["peak_above_idle"] for run in saved["saves"]]
    return [
        Figure(
            f"validate.{mailboxes}",
            f"Validate {mailboxes:,} mailboxes",
            median(checked["validate"]),
            SECONDS,
            "one look at every field",
            median(checked["touch_fields"]),
            Target.at_most(0.1, SECONDS),
            samples=checked["validate"],
            baseline_samples=checked["touch_fields"],
            notes=f"core validate(); {checked['problems']} problems found",
        ),
        Figure(
            f"open.core.{mailboxes}",
            f"Load {mailboxes:,} mailboxes (no window)",
            median(checked["load"]),
            SECONDS,
            "reading every ZIP member",
            median(checked["read_members"]),
            None,
            samples=checked["load"],
            baseline_samples=checked["read_members"],
            notes="draft_file.load alone, for the breakdown of opening",
        ),
        Figure(
            f"save.time.{mailboxes}",
            f"Save {mailboxes:,} mailboxes",
            median(saves),
            SECONDS,
            "copying the file (fsync)",
            median(saved["copies"]),
            Target.at_most(1.0, SECONDS),
            samples=saves,
            baseline_samples=saved["copies"],
            notes=f"draft_file.save, {saved['draft_bytes']:,} bytes; median of {len(saves)}",
        ),
        Figure(
            f"save.memory.{mailboxes}",
            f"Save {mailboxes:,}: peak memory above idle",
            max(memory),
            BYTES,
            "the draft file",
            saved["draft_bytes"],
            Target.at_most(MEMORY_LIMIT, BYTES),
            samples=memory,
            notes=saved["saves"][0]["memory_method"],
        ),
    ]


def per_keystroke(rounds: list[list[float]]) -> list[float]:
    """Each keystroke's median over the rounds it was typed in."""
    return [median(times) for times in zip(*rounds, strict=True)]


def window_figures(
    draft: Path, env: dict[str, str], mailboxes: int
) -> tuple[list[Figure], dict[str, Any]]:
    """Open and show, paste, filter and edit in the real window (offscreen)."""
    found = run_child(["-m", "benchmarks.window_child", str(draft)], env)
    if not found["edit_marks_follow"]:
        raise BenchmarkError("editing a cell did not update its problem mark")
    paste_path = "Edit ▸ Paste" if found["paste_through_action"] else "the pane's paste()"
    rounds = len(found["filter"])
    filter_keys = per_keystroke(found["filter"])
    baseline_keys = per_keystroke(found["filter_baseline"])
    figures = [
        Figure(
            f"open.window.{mailboxes}",
            f"Open {mailboxes:,} mailboxes and show them",
            median(found["open"]),
            SECONDS,
            "reading every ZIP member",
            median(found["open_baseline"]),
            Target.at_most(1.0, SECONDS),
            samples=found["open"],
            baseline_samples=found["open_baseline"],
            notes="File ▸ Open's code path until the table has repainted; median of 3; "
            f"PNG image data checked in the background "
            f"{found['pictures_checked_after'] * 1000:.0f} ms after the last",
        ),
        Figure(
            f"paste.{mailboxes}",
            f"Paste {mailboxes:,} mailbox rows",
            median(found["paste"]),
            SECONDS,
            "splitting the clipboard text (csv)",
            median(found["paste_baseline"]),
            Target.at_most(0.5, SECONDS),
            samples=found["paste"],
            baseline_samples=found["paste_baseline"],
            notes=f"clipboard → {paste_path}, until repainted; the Problems list follows "
            f"{median(found['problems_rebuild']) * 1000:.0f} ms later (debounced)",
        ),
        Figure(
            f"filter.{mailboxes}",
            f"Filter {mailboxes:,} mailboxes, slowest keystroke",
            max(filter_keys),
            SECONDS,
            "Qt's stock filter, same rows",
            max(baseline_keys),
            Target.at_most(0.05, SECONDS),
            samples=filter_keys,
            baseline_samples=baseline_keys,
            notes=f"typing {found['filter_text']!r} then erasing it, {rounds} times; each "
            f"keystroke's median, the slowest shown (median keystroke "
            f"{median(filter_keys) * 1000:.0f} ms, slowest single one "
            f"{max(max(r) for r in found['filter']) * 1000:.0f} ms)",
        ),
        Figure(
            f"edit.{mailboxes}",
            f"Edit a cell of {mailboxes:,}, marks updated (worst)",
            max(found["edit"]),
            SECONDS,
            "plain Qt model edit",
            max(found["edit_baseline"]),
            Target.at_most(0.016, SECONDS),
            samples=found["edit"],
            baseline_samples=found["edit_baseline"],
            notes=f"setData through the view's model, until repainted; "
            f"median {median(found['edit']) * 1000:.1f} ms",
        ),
    ]
    return figures, found


def scaling_figures(
    small: list[Figure], big: list[Figure], counts: tuple[int, int]
) -> list[Figure]:
    """How each cost grew from the small draft to the big one, against linear growth.

    The value is the ratio of ratios: (big / small) ÷ (big size / small size).  At
    most 1 means the cost grew at most linearly with the number of mailboxes.
    """
    few, many = counts
    by_measure = {f.key.rsplit(".", 1)[0]: f for f in small}
    figures = []
    for figure in big:
        measure = figure.key.rsplit(".", 1)[0]
        before = by_measure.get(measure)
        if before is None or before.value <= 0 or figure.unit != SECONDS:
            continue
        growth = figure.value / before.value
        figures.append(
            Figure(
                f"scaling.{measure}",
                f"{figure.title.split(' ')[0]}, {few:,} → {many:,}: growth ÷ {many / few:g}",
                round(growth / (many / few), 2),
                COUNT,
                "linear growth",
                None,
                Target.at_most(1.0, COUNT),
                notes=f"{before.title}: {format_value(before.value, SECONDS)}; "
                f"{figure.title}: {format_value(figure.value, SECONDS)} ({growth:.2f}×)",
            )
        )
    return figures
