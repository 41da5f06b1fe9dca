"""The test command's npm step: ``npm ci`` only when node_modules is missing or stale."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from desktop_app import bootstrap

pytestmark = pytest.mark.skipif(
    shutil.which("npm") is None or shutil.which("node") is None, reason="node and npm are needed"
)


@pytest.fixture
def interop(tmp_path, monkeypatch):
    """A package with one local dependency and its lock file: npm ci works offline."""
    folder = tmp_path / "interop"
    (folder / "tiny").mkdir(parents=True)
    (folder / "tiny" / "package.json").write_text('{"name": "tiny", "version": "1.0.0"}')
    package = {"name": "x", "version": "1.0.0", "private": True}
    package["dependencies"] = {"tiny": "file:./tiny"}
    (folder / "package.json").write_text(json.dumps(package))
    quiet = ["--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(["npm", "install", *quiet], cwd=folder, check=True, capture_output=True)
    shutil.rmtree(folder / "node_modules")
    monkeypatch.setattr(bootstrap, "INTEROP", folder)
    return folder


def test_npm_ci_runs_when_node_modules_is_missing_or_older_than_the_lock(interop, capsys):
    installed = interop / "node_modules" / ".package-lock.json"
    bootstrap.ensure_node_packages()
    assert "npm ci" in capsys.readouterr().out
    assert installed.exists() and (interop / "node_modules" / "tiny" / "package.json").exists()

    bootstrap.ensure_node_packages()  # up to date: nothing to do, nothing said
    assert capsys.readouterr().out == ""

    lock_time = (interop / "package-lock.json").stat().st_mtime
    stale = lock_time - 3600  # installed an hour before the lock file last changed
    os.utime(installed, (stale, stale))
    bootstrap.ensure_node_packages()
    assert "npm ci" in capsys.readouterr().out
    assert installed.stat().st_mtime >= lock_time
