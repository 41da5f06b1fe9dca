"""The suite's output: a table for people, a JSON file for comparing runs."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.harness import Figure, format_value

REPORT_VERSION = 1
HEADERS = ("Measure", "Result", "Baseline (same run)", "Ratio", "Target", "Met")


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory = None
    try:
        with open("/proc/meminfo") as stream:
            for line in stream:
                if line.startswith("MemTotal:"):
                    memory = round(int(line.split()[1]) / (1024 * 1024), 1)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "system": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }


def _row(figure: Figure) -> tuple[str, ...]:
    ratio = figure.ratio
    baseline = (
        f"{format_value(figure.baseline, figure.unit)} {figure.baseline_title}"
        if figure.baseline is not None
        else figure.baseline_title or "—"
    )
    met = {True: "yes", False: "NO", None: "—"}[figure.met]
    return (
        figure.title,
        format_value(figure.value, figure.unit),
        baseline,
        f"{ratio:.2f}×" if ratio is not None else "—",
        figure.target.text if figure.target is not None else "—",
        met,
    )


def format_table(figures: Sequence[Figure]) -> str:
    """A plain-text table of every figure, its baseline, ratio and target."""
    rows = [HEADERS, *(_row(f) for f in figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = []
    for number, row in enumerate(rows):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def format_markdown(figures: Sequence[Figure]) -> str:
    """The same table in Markdown, for the README."""
    rows = [_row(f) for f in figures]
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_json(
    figures: Sequence[Figure], path: Path, errors: Sequence[str] = (), **extra: Any
) -> dict[str, Any]:
    """Write the run to ``path`` (folders made as needed); returns what was written."""
    document = {
        "version": REPORT_VERSION,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "figures": [figure.to_json() for figure in figures],
        "errors": list(errors),
        **extra,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    os.replace(temporary, path)
    return document
