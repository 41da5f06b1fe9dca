"""Working on the big draft: open, validate, paste, filter, edit and save, as figures.

The measurements run in child processes (``core_child`` and ``window_child``);
this module turns what they print into figures with their baselines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.harness import BYTES, SECONDS, BenchmarkError, Figure, Target, median, run_child

MEMORY_LIMIT = 100_000_000


def core_figures(draft: Path, work: Path, env: dict[str, str]) -> list[Figure]:
    """Validate and save, without a window."""
    checked = run_child(["-m", "benchmarks.core_child", "validate", str(draft)], env)
    saved = run_child(["-m", "benchmarks.core_child", "save", str(draft), str(work / "saves")], env)
    for leftover in (work / "saves").glob("*.cmrorder"):
        leftover.unlink()
    saves = [run["seconds"] for run in saved["saves"]]
    memory = [run["peak_above_idle"] for run in saved["saves"]]
    return [
        Figure(
            "validate",
            "Validate 5,000 mailboxes",
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
            "open.core",
            "Load the draft (no window)",
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
            "save.time",
            "Save the draft",
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
            "save.memory",
            "Save: peak memory above idle",
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


def window_figures(draft: Path, env: dict[str, str]) -> tuple[list[Figure], dict[str, Any]]:
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
            "open.window",
            "Open the draft and show it",
            median(found["open"]),
            SECONDS,
            "reading every ZIP member",
            median(found["open_baseline"]),
            Target.at_most(1.0, SECONDS),
            samples=found["open"],
            baseline_samples=found["open_baseline"],
            notes="File ▸ Open's code path until the table has repainted; median of 3",
        ),
        Figure(
            "paste",
            "Paste 5,000 mailbox rows",
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
            "filter",
            "Filter mailboxes, slowest keystroke",
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
            "edit",
            "Edit a cell, marks updated (worst)",
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
