"""Set up a checkout and run the app or the tests: the README's Quick start.

    python3 -m desktop_app.bootstrap run    # the app, in practice mode, with the sample order
    python3 -m desktop_app.bootstrap test   # lint, type checks and every test
    python3 -m desktop_app.bootstrap build  # the standalone executable, self-tested
    python3 -m desktop_app.bootstrap bench  # the benchmarks: a table, and benchmarks/results/

Standard library only: this runs before anything is installed.  As root on
Debian or Ubuntu it installs the system libraries Qt needs (and, for the
tests, a Secret Service, curl and binutils); elsewhere it says what is
missing.  Python packages go into ``.venv`` beside ``pyproject.toml`` and are
reinstalled only when ``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")

# What Qt's offscreen and xcb platforms load on a fresh Debian 12 / Ubuntu.
QT_PACKAGES = [
    "libglib2.0-0", "libegl1", "libgl1", "libx11-6", "libdbus-1-3", "libfontconfig1",
    "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-render-util0", "libxcb-render0", "libxcb-shape0", "libxcb-util1",
    "libxcb-xkb1", "libxcb-randr0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0",
    "libxcb-xinerama0", "fonts-dejavu-core",
]  # fmt: skip
# The tests also use a real Secret Service, real curl, PyInstaller (binutils), the sources
# localedef compiles an ISO-8859-1 locale from (locales, tests/cli), and a virtual screen
# with the accessibility bus, driven as a screen reader would
# (tests/ui/window/test_accessibility_bus.py).
TEST_PACKAGES = [
    "gnome-keyring", "dbus", "curl", "binutils", "locales",
    "xvfb", "xauth", "at-spi2-core", "python3-pyatspi", "xdotool",
]  # fmt: skip
# The interop tests run real Express and NestJS servers (tests/interop/).
NODE_PACKAGES = ["nodejs", "npm"]
INTEROP = ROOT / "tests" / "interop"
MIN_NODE_MAJOR = 20  # what NestJS 11 and newer need


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def missing_debian_packages(packages: list[str]) -> list[str]:
    missing = []
    for package in packages:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        )
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def ensure_system_packages(packages: list[str]) -> None:
    if not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None:
        return
    if not _has_ensurepip():
        packages = [*packages, f"python3.{sys.version_info.minor}-venv"]
    missing = missing_debian_packages(packages)
    if not missing:
        return
    if os.geteuid() != 0:
        say("missing system packages; install them with:")
        say(f"  sudo apt-get install -y {' '.join(missing)}")
        return
    say(f"installing {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in apt_commands(missing):
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


# A fresh machine often runs unattended upgrades at first boot: wait for the
# package lock they hold instead of failing at once.
APT_LOCK_WAIT = ["-o", "DPkg::Lock::Timeout=120"]


def apt_commands(missing: list[str]) -> list[list[str]]:
    """The apt-get commands that install ``missing``, each waiting for a held lock."""
    return [
        ["apt-get", *APT_LOCK_WAIT, "update", "-q"],
        ["apt-get", *APT_LOCK_WAIT, "install", "-y", "-q", "--no-install-recommends", *missing],
    ]


def _has_ensurepip() -> bool:
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def ensure_node_packages() -> None:
    """``npm ci`` in tests/interop when its node_modules is missing or older than the lock.

    Node and npm come from apt as root on Debian or Ubuntu; elsewhere this says
    what to install.  It never stops the tests: without the Node stacks their
    tests skip, saying why (and fail under CI).
    """
    if shutil.which("node") is None or shutil.which("npm") is None:
        ensure_system_packages(NODE_PACKAGES)
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        say(f"the interop tests need Node.js {MIN_NODE_MAJOR} or newer with npm: install them")
        say("  (Debian/Ubuntu: apt-get install nodejs npm; otherwise https://nodejs.org)")
        return
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = version.lstrip("v").split(".", 1)[0]
    if not major.isdigit() or int(major) < MIN_NODE_MAJOR:
        say(
            f"Node.js {version or '?'} is too old for the interop tests' NestJS; "
            f"install Node.js {MIN_NODE_MAJOR} or newer (https://nodejs.org)"
        )
        return
    # npm ci writes this file last, so it dates the installed tree.
    installed = INTEROP / "node_modules" / ".package-lock.json"
    lock = INTEROP / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    say("npm ci: Express and NestJS for the interop tests (tests/interop)")
    quiet = ["--no-audit", "--no-fund", "--loglevel=error"]
    if subprocess.run([npm, "ci", *quiet], cwd=INTEROP, stdout=subprocess.DEVNULL).returncode:
        say("npm ci failed; the interop tests will say why they cannot run")


def ensure_venv(extras: str) -> None:
    """``.venv`` with Order Desk installed (editable) and its ``extras`` (``"test,build"``).

    One environment serves every command: the stamp records which extras are
    in, so ``run`` after ``test`` installs nothing, and ``test`` after ``run``
    adds only what is missing.  Only a changed ``pyproject.toml`` reinstalls.
    """
    python = BIN / "python"
    if not python.exists():
        say("creating .venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / ".installed"
    project = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    install = extras_to_install(_read(stamp), project, extras)
    if install is None:
        return
    say(f"installing Order Desk and its {', '.join(install) or 'runtime'} dependencies into .venv")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    quiet_run([*pip, "--upgrade", "pip"])
    target = f".[{','.join(install)}]" if install else "."
    quiet_run([*pip, "--editable", target], cwd=ROOT)
    stamp.write_text(stamp_text(project, install))


def extras_to_install(stamp: str, project: str, wanted: str) -> list[str] | None:
    """The extras to install (all those in use), or None when ``.venv`` already has them."""
    want = {extra for extra in wanted.split(",") if extra}
    try:
        recorded = json.loads(stamp) if stamp else {}
    except ValueError:
        recorded = {}
    if not isinstance(recorded, dict) or recorded.get("pyproject") != project:
        return sorted(want)  # a new .venv, an old stamp, or a changed pyproject.toml
    have = {extra for extra in recorded.get("extras", []) if isinstance(extra, str)}
    return None if want <= have else sorted(want | have)


def stamp_text(project: str, extras: list[str]) -> str:
    return json.dumps({"pyproject": project, "extras": sorted(extras)})


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def quiet_run(command: list[str], cwd: Path | None = None) -> None:
    """Run a set-up step, showing its output only when it fails.

    pip's build backend prints setuptools' "Editable installation" banner (a
    warning meant for package authors) on every editable install: a newcomer
    sees a wall of asterisks for a step that worked.
    """
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        raise subprocess.CalledProcessError(result.returncode, command)


def run_app(extra_args: list[str]) -> int:
    ensure_system_packages(QT_PACKAGES)
    ensure_venv("")  # whatever extras .venv already has stay
    command = [str(BIN / "order-desk"), "open", "--practice", *extra_args]
    if not extra_args:
        command.append(str(ROOT / "resources" / "sample.cmrorder"))
    return subprocess.run(command).returncode


def run_tests(extra_args: list[str]) -> int:
    ensure_system_packages(QT_PACKAGES + TEST_PACKAGES)
    ensure_venv("test,build")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    steps = [
        ("ruff", [str(BIN / "ruff"), "check", "."]),
        ("mypy", [str(BIN / "mypy")]),
        # The layers in pyproject.toml; no cache, so a fresh clone and a re-run read the same.
        ("layers", [str(BIN / "lint-imports"), "--no-cache"]),
    ]
    for name, command in steps:
        say(f"{name}: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}")
        if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
            say(f"{name} failed")
            return 1
    ensure_node_packages()
    reports = Path(tempfile.mkdtemp(prefix="order-desk-reports-"))
    try:
        # The bundle checks wait for the bundle to be rebuilt: run before, they
        # would test the bundle of older sources (or skip, and be counted twice).
        chosen = extra_args or ["-m", "not bundle"]
        report = f"--junitxml={reports / 'suite.xml'}"
        suite = [str(BIN / "python"), "-m", "pytest", *chosen, report]
        status = _with_secret_service(suite, env)
        if status == 0 and not extra_args:  # a chosen subset of tests skips the bundle build
            status = build_and_check_bundle(env, reports / "bundle.xml")
        say(total_line(sorted(reports.glob("*.xml"))))
        return status
    finally:
        shutil.rmtree(reports, ignore_errors=True)


def total_line(reports: list[Path]) -> str:
    """One line for every pytest run of the test command: ``total: 812 passed, 3 skipped``."""
    import xml.etree.ElementTree as ElementTree

    counts = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for report in reports:
        try:
            root = ElementTree.parse(report).getroot()
        except (OSError, ElementTree.ParseError):
            continue
        for suite in [root] if root.tag == "testsuite" else root.iter("testsuite"):
            for key in counts:
                counts[key] += int(suite.get(key, "0") or 0)
    failed = counts["failures"] + counts["errors"]
    passed = counts["tests"] - failed - counts["skipped"]
    parts = [f"{passed:,} passed"]
    parts += [f"{failed:,} failed"] if failed else []
    parts += [f"{counts['skipped']:,} skipped"] if counts["skipped"] else []
    runs = "the suite and the bundle checks" if len(reports) > 1 else "the suite"
    return f"total: {', '.join(parts)} ({runs})"


def run_build() -> int:
    """Set up, then freeze the app and check the bundle, as CI does."""
    ensure_system_packages(QT_PACKAGES + TEST_PACKAGES)
    ensure_venv("test,build")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    status = build_and_check_bundle(env)
    if status == 0:
        say(f"built {ROOT / 'dist' / 'order-desk'}")
    return status


def build_and_check_bundle(env: dict[str, str], report: Path | None = None) -> int:
    """Freeze the app with ``build.spec`` (onedir), then test it: self-test, keyring, size."""
    say("pyinstaller: build.spec -> dist/order-desk")
    build = [str(BIN / "pyinstaller"), "--noconfirm", "--log-level", "WARN", "build.spec"]
    if subprocess.run(build, cwd=ROOT, env=env).returncode != 0:
        say("the bundle did not build")
        return 1
    bundle_tests = [
        str(BIN / "python"),
        "-m",
        "pytest",
        "-m",
        "bundle",
        "tests/bootstrap/test_bundle.py",
    ]
    if report is not None:
        bundle_tests.append(f"--junitxml={report}")
    return _with_secret_service(bundle_tests, {**env, "ORDER_DESK_BUNDLE_REQUIRED": "1"})


def _with_secret_service(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` on a private session bus with an unlocked gnome-keyring.

    That is how the keyring tests meet a real Secret Service on a headless
    machine; without those tools they are skipped and say why.
    """
    if shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"):
        # The daemon keeps its keyrings in a folder of its own, made new for each
        # run: a login keyring left by another password would refuse to unlock.
        keyrings = tempfile.mkdtemp(prefix="order-desk-keyring-")
        inner = (
            'echo -n order-desk-tests | XDG_DATA_HOME="$KEYRING_HOME" '
            "gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
            'exec "$@"'
        )
        command = ["dbus-run-session", "--", "sh", "-c", inner, "sh", *command]
        env = {**env, "KEYRING_HOME": keyrings}
    say("pytest")
    try:
        return subprocess.run(command, cwd=ROOT, env=env).returncode
    finally:
        if "KEYRING_HOME" in env:
            shutil.rmtree(env["KEYRING_HOME"], ignore_errors=True)


def run_bench(extra_args: list[str]) -> int:
    """Set up as the tests do, then run the benchmarks (they build the bundles they need)."""
    ensure_system_packages(QT_PACKAGES + TEST_PACKAGES)
    ensure_venv("test,build")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [str(BIN / "python"), str(ROOT / "benchmarks" / "run.py"), *extra_args]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "build", "bench"}:
        print(__doc__)
        return 2
    try:
        if argv[0] == "run":
            return run_app(argv[1:])
        if argv[0] == "build":
            return run_build()
        if argv[0] == "bench":
            return run_bench(argv[1:])
        return run_tests(argv[1:])
    except subprocess.CalledProcessError as exc:
        say(f"a setup step failed: {' '.join(map(str, exc.cmd))} (exit {exc.returncode})")
        return 1
