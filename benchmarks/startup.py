"""Start-up and bundle figures: Order Desk against a bare PySide6 window started the same way.

From source, both run under the same Python; frozen, both are onedir bundles
made with the same trimming rules (``build.spec`` and
``benchmarks/bare_window.spec``).  Each start is timed from creating the
process to the window saying it is shown and idle; runs alternate between
the two so a busy moment of the machine hits both alike.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.harness import (
    BYTES,
    COUNT,
    ROOT,
    SECONDS,
    BenchmarkError,
    Figure,
    Target,
    bench_env,
    median,
    time_until_line,
)

STARTUP_RATIO = 1.5
BUNDLE_SIZE_RATIO = 1.25  # the budget in desktop_app/bootstrap/bundle_rules.py
HEAVY_MODULES = ("httpx", "httpcore", "PIL", "keyring", "sqlite3", "_sqlite3")
EXE = ".exe" if sys.platform == "win32" else ""
APP_BUNDLE = ROOT / "dist" / "order-desk"
BARE_BUNDLE = ROOT / "dist" / "bare-window"
APP_INPUTS = ["desktop_app/**/*.py", "resources/*", "build.spec"]
BARE_INPUTS = [
    "benchmarks/bare_window.py",
    "benchmarks/bare_window.spec",
    "desktop_app/bootstrap/bundle_rules.py",
]


def _newest_input(patterns: Sequence[str]) -> float:
    return max((p.stat().st_mtime for pattern in patterns for p in ROOT.glob(pattern)), default=0)


def ensure_bundle(
    spec: str, folder: Path, inputs: Sequence[str], log: Path, reuse: bool = False
) -> Path:
    """The bundle's executable, built with PyInstaller when missing or older than its sources.

    ``reuse`` keeps an existing bundle even when its sources changed since.
    """
    executable = folder / (folder.name + EXE)
    if executable.is_file() and (reuse or executable.stat().st_mtime >= _newest_input(inputs)):
        return executable
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", spec]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as stream:
        result = subprocess.run(command, cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT)
    if result.returncode != 0 or not executable.is_file():
        raise BenchmarkError(f"building {spec} failed (exit {result.returncode}); see {log}")
    return executable


def folder_size(folder: Path) -> int:
    """Bytes of every file under ``folder`` (links not followed), as shipped."""
    total = 0
    for directory, _dirs, files in os.walk(folder):
        for name in files:
            total += os.lstat(os.path.join(directory, name)).st_size
    return total


def _starts(
    commands: dict[str, list[str]], env: dict[str, dict[str, str]], runs: int
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # one start each first: caches, .pyc files
        time_until_line(command, "shown", env[name])
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(time_until_line(command, "shown", env[name]))
    return times


def heavy_imports(home: Path) -> list[str]:
    """Heavy packages the window from source has imported once it is shown and idle."""
    env = bench_env(home, {"ORDER_DESK_QUIT_WHEN_IDLE": "1"})
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desktop_app", "open"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    if result.returncode != 0 or "shown" not in result.stdout:
        raise BenchmarkError(f"the window did not start: {result.stderr[-1500:]}")
    loaded = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    return sorted({m.split(".")[0] for m in loaded} & set(HEAVY_MODULES))


def startup_figures(
    runs: int, frozen: bool, results: Path, reuse: bool = False
) -> tuple[list[Figure], list[str]]:
    """Start-up from source (and from the bundles when ``frozen``), plus bundle size."""
    figures: list[Figure] = []
    errors: list[str] = []
    python = sys.executable
    bare_script = str(ROOT / "benchmarks" / "bare_window.py")
    commands = {
        "app_source": [python, "-m", "desktop_app", "open"],
        "bare_source": [python, bare_script, "--quit-when-idle"],
    }
    if frozen:
        try:
            app_exe = ensure_bundle(
                "build.spec", APP_BUNDLE, APP_INPUTS, results / "build-app.log", reuse
            )
            bare_exe = ensure_bundle(
                "benchmarks/bare_window.spec",
                BARE_BUNDLE,
                BARE_INPUTS,
                results / "build-bare.log",
                reuse,
            )
        except BenchmarkError as exc:
            errors.append(str(exc))
            frozen = False
        else:
            commands["app_frozen"] = [str(app_exe), "open"]
            commands["bare_frozen"] = [str(bare_exe), "--quit-when-idle"]
    with tempfile.TemporaryDirectory(prefix="order-desk-bench-") as temporary:
        homes = {name: Path(temporary) / name for name in commands}
        for home in homes.values():
            home.mkdir()
        env = {
            name: bench_env(homes[name], {"ORDER_DESK_QUIT_WHEN_IDLE": "1"}) for name in commands
        }
        for variables in env.values():
            variables.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its .pyc files
        times = _starts(commands, env, runs)
        heavy = heavy_imports(Path(temporary) / "importtime")
    figures.append(_startup("startup.source", "Start-up from source", times, "source"))
    if frozen:
        figures.append(_startup("startup.frozen", "Start-up, onedir bundle", times, "frozen"))
        app_size, bare_size = folder_size(APP_BUNDLE), folder_size(BARE_BUNDLE)
        figures.append(
            Figure(
                "bundle.size",
                "Bundle size (onedir)",
                app_size,
                BYTES,
                "bare window bundle",
                bare_size,
                Target.ratio(BUNDLE_SIZE_RATIO),
                notes="both trimmed by desktop_app/bootstrap/bundle_rules.py, stripped, no UPX",
            )
        )
    figures.append(
        Figure(
            "startup.heavy_imports",
            "Heavy modules loaded at start-up",
            len(heavy),
            COUNT,
            "bare window: none",
            None,
            Target.at_most(0, COUNT),
            notes=", ".join(heavy) or f"none of {', '.join(HEAVY_MODULES)}",
        )
    )
    return figures, errors


def _startup(key: str, title: str, times: dict[str, list[float]], kind: str) -> Figure:
    app, bare = times[f"app_{kind}"], times[f"bare_{kind}"]
    return Figure(
        key,
        title,
        median(app),
        SECONDS,
        "bare PySide6 window",
        median(bare),
        Target.ratio(STARTUP_RATIO),
        samples=app,
        baseline_samples=bare,
        notes=f"median of {len(app)} starts each, process start to shown and idle",
    )
