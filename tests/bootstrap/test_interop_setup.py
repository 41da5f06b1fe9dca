"""Without node, the real-backend tests skip saying why, and under CI they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ONE_TEST = "tests/interop/test_node_backends.py::test_the_request_says_it_comes_from_order_desk"


def run_without_node(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(Path(sys.executable).parent)  # python, and no node
    if ci is not None:
        env["CI"] = ci
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", ONE_TEST]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("ci", [None, "false"])
def test_without_node_the_tests_skip_and_say_what_to_install(ci):
    result = run_without_node(ci)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 skipped" in result.stdout and "node is not installed" in result.stdout


def test_without_node_under_ci_the_tests_fail_with_the_reason():
    result = run_without_node("true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The real Node backends are required under CI: node is not installed" in result.stdout
    assert "passed" not in result.stdout
