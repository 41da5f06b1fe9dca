"""Start-up and bundle figures: Order Desk against a bare PySide6 window started the same way.

A start is what a user meets: a fresh process ``order-desk open --practice
--screenshot PNG`` on the sample order (practice mode, as the Quick start
opens it) with an empty app home, timed from creating the process to it
having saved the picture and exited.  The baseline is ``bare_window.py
--screenshot PNG`` (a ``QMainWindow`` with one ``QTableView``: start, show,
process events, grab, save, exit), started the same way.  Starts alternate
between the two so a busy moment of the machine hits both alike.

From source there are two figures: with the app's bytecode compiled (an
installed app has its ``.pyc`` files) and with it not written (a read-only
install, or ``PYTHONDONTWRITEBYTECODE``: a copy of the package without
``__pycache__`` run with that variable set, so every start compiles it).
Frozen, both are onedir bundles made with the same trimming rules
(``build.spec`` and ``benchmarks/bare_window.spec``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
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
    time_until_exit,
)

STARTUP_RATIO = 1.5
BUNDLE_SIZE_RATIO = 1.25  # the budget in desktop_app/bootstrap/bundle_rules.py
SAMPLE = ROOT / "resources" / "sample.cmrorder"
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


def without_bytecode(target: Path) -> Path:
    """A copy of the app's package and resources under ``target`` with no ``__pycache__``."""
    for name in ("desktop_app", "resources"):
        shutil.copytree(
            ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    return target


Command = Callable[[Path], list[str]]


def app_command(program: Sequence[str]) -> Command:
    """The user's start: the sample order in practice mode, rendered to a PNG."""
    return lambda png: [*program, "open", "--practice", "--screenshot", str(png), str(SAMPLE)]


def bare_command(program: Sequence[str]) -> Command:
    return lambda png: [*program, "--screenshot", str(png)]


def alternate_starts(
    commands: dict[str, Command], env: dict[str, dict[str, str]], runs: int, work: Path
) -> dict[str, list[float]]:
    """Seconds of ``runs`` starts of each command, taken in turn, each in an empty home.

    One start of each comes first and is not counted (it writes ``.pyc``
    files where they are written, and warms the disk cache for all).
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    starts = 0
    for round_ in range(runs + 1):
        for name, command in commands.items():
            starts += 1
            home = work / f"home-{starts}"
            home.mkdir()
            picture = work / f"{name}-{round_}.png"
            # Started outside the checkout: ``python -m`` looks in the current folder first.
            variables = {**env[name], "ORDER_DESK_HOME": str(home)}
            seconds = time_until_exit(command(picture), variables, cwd=work)
            if not picture.is_file() or picture.stat().st_size == 0:
                raise BenchmarkError(f"{name} exited without writing {picture.name}")
            picture.unlink()
            if round_:
                times[name].append(seconds)
    return times


def startup_figures(
    runs: int, frozen: bool, results: Path, reuse: bool = False
) -> tuple[list[Figure], list[str]]:
    """Start-up from source (compiled, and bytecode not written), from the bundles, bundle size."""
    figures: list[Figure] = []
    errors: list[str] = []
    python = sys.executable
    bare_script = str(ROOT / "benchmarks" / "bare_window.py")
    commands = {
        "app_source": app_command([python, "-m", "desktop_app"]),
        "bare_source": bare_command([python, bare_script]),
        "app_nobytecode": app_command([python, "-m", "desktop_app"]),
        "bare_nobytecode": bare_command([python, bare_script]),
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
            commands["app_frozen"] = app_command([str(app_exe)])
            commands["bare_frozen"] = bare_command([str(bare_exe)])
    with tempfile.TemporaryDirectory(prefix="order-desk-bench-") as temporary:
        work = Path(temporary)
        copy = without_bytecode(work / "no-bytecode")
        compiled = bench_env(work / "unused-home")
        compiled.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its .pyc files
        not_written = {
            **compiled,
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(copy), os.environ.get("PYTHONPATH")])),
        }
        env = {name: not_written if name.endswith("nobytecode") else compiled for name in commands}
        times = alternate_starts(commands, env, runs, work)
        heavy = heavy_imports(work / "importtime")
    figures.append(
        _startup("startup.source", "Start-up from source, bytecode compiled", times, "source")
    )
    figures.append(
        _startup(
            "startup.no_bytecode", "Start-up from source, bytecode not written", times, "nobytecode"
        )
    )
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
        notes=f"median of {len(app)} starts each, alternated; a fresh process with an empty "
        "home, from its start to the screenshot saved and the process gone",
    )
