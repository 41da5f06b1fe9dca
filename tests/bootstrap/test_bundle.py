"""The frozen onedir bundle works, sees the same keyring backends as the source app, and is lean.

These run against ``dist/order-desk`` as built by ``build.spec``; without a
bundle they are skipped.  The bootstrap's test command builds it first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import APP_ID, __version__

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / APP_ID
EXECUTABLE = BUNDLE / (f"{APP_ID}.exe" if sys.platform == "win32" else APP_ID)

BUILD_INPUTS = ["desktop_app/**/*.py", "resources/*", "build.spec"]


def _why_not_testable() -> str | None:
    if not EXECUTABLE.is_file():
        return f"no bundle at dist/{APP_ID}: build it with `.venv/bin/pyinstaller build.spec`"
    built = EXECUTABLE.stat().st_mtime
    newer = [p for pattern in BUILD_INPUTS for p in ROOT.glob(pattern) if p.stat().st_mtime > built]
    if newer:
        # Testing an old bundle would report on code that has changed since.
        return f"dist/{APP_ID} is older than {newer[0].relative_to(ROOT)}: rebuild it"
    return None


# Set by the bootstrap's build step: there, a missing or stale bundle is a failure, not a skip.
REQUIRED_ENV = "ORDER_DESK_BUNDLE_REQUIRED"

pytestmark = [pytest.mark.bundle, pytest.mark.usefixtures("bundle")]


@pytest.fixture(scope="module")
def bundle() -> Path:
    reason = _why_not_testable()
    if reason:
        if os.environ.get(REQUIRED_ENV) == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return BUNDLE


def _bundle_rules():
    from desktop_app.bootstrap import bundle_rules

    return bundle_rules


def _run(command: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ORDER_DESK_HOME": str(home)}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def frozen_self_test(bundle, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    return _run([str(EXECUTABLE), "--self-test"], home)


def _check_line(output: str, name: str) -> str:
    lines = [line for line in output.splitlines() if line[5:].startswith(f"{name}:")]
    assert len(lines) == 1, output
    return lines[0]


def test_the_frozen_self_test_passes(frozen_self_test):
    output = frozen_self_test.stdout + frozen_self_test.stderr
    assert frozen_self_test.returncode == 0, output
    assert "(frozen," in frozen_self_test.stdout.splitlines()[0]
    from desktop_app.self_check.checks import CHECKS

    for name, _ in CHECKS:
        assert _check_line(frozen_self_test.stdout, name).startswith("ok   "), output


def test_the_frozen_app_sees_the_same_keyring_backends_as_the_source_app(
    frozen_self_test, tmp_path
):
    frozen = _check_line(frozen_self_test.stdout, "keyring")
    # The source app's view, computed the same way in a fresh process of the same environment.
    source = _run(
        [
            sys.executable,
            "-c",
            "from desktop_app.self_check.checks import keyring_report; print(keyring_report())",
        ],
        tmp_path,
    )
    assert source.returncode == 0, source.stderr
    assert frozen == f"ok   keyring: {source.stdout.strip()}"


def test_the_bundle_reports_the_package_version(tmp_path):
    result = _run([str(EXECUTABLE), "--version"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{APP_ID} {__version__}"


def test_the_bundle_is_within_its_size_budget():
    rules = _bundle_rules()
    size = rules.tree_size(BUNDLE) / rules.MIB
    assert size <= rules.BUNDLE_BUDGET_MIB, (
        f"dist/{APP_ID} is {size:.1f} MiB, over its budget of {rules.BUNDLE_BUDGET_MIB} MiB "
        f"({size / rules.BARE_WINDOW_FLOOR_MIB:.2f}× the bare-window floor); "
        "see desktop_app/bootstrap/bundle_rules.py"
    )


def test_nothing_the_trimming_rules_drop_is_in_the_bundle():
    rules = _bundle_rules()
    contents = BUNDLE / "_internal"
    unwanted = [
        str(path.relative_to(contents))
        for path in contents.rglob("*")
        if path.is_file() and rules.is_unwanted(str(path.relative_to(contents)))
    ]
    assert unwanted == []
    # The hooks' biggest over-collection, GTK for the GTK platform theme, is gone too.
    assert not list(contents.glob("libgtk-3*"))
