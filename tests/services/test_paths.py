"""Where the resources and the README are found: a checkout, an installed wheel, a frozen bundle.

The installed wheel itself is tested end to end in ``tests/bootstrap/test_wheel.py``;
these tests take each way of finding them one at a time, in this process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import desktop_app
from desktop_app.services import paths

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def not_a_checkout(tmp_path, monkeypatch):
    """The package seen from a folder that is no checkout (site-packages, a bundle)."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.setattr(paths, "checkout_root", lambda: folder)
    return folder


@pytest.fixture
def installed_resources(tmp_path, monkeypatch):
    """A ``desktop_app/resources`` data folder as the wheel installs it, on the package's path."""
    site = tmp_path / "site"
    data = site / "desktop_app" / "resources"
    data.mkdir(parents=True)
    (data / paths.SAMPLE_DRAFT).write_bytes(b"PK\x05\x06" + bytes(18))
    monkeypatch.setattr(desktop_app, "__path__", [*desktop_app.__path__, str(site / "desktop_app")])
    monkeypatch.delitem(sys.modules, paths.RESOURCE_PACKAGE, raising=False)
    yield data
    sys.modules.pop(paths.RESOURCE_PACKAGE, None)


def test_a_checkout_reads_its_resources_folder():
    assert paths.installed_resources() is None  # the editable install maps no data package
    assert paths.resources_dir() == ROOT / "resources"
    assert paths.sample_draft() == ROOT / "resources" / "sample.cmrorder"
    assert paths.sample_draft().is_file()


def test_an_installed_package_reads_its_data_through_importlib_resources(installed_resources):
    assert paths.installed_resources() == installed_resources
    assert paths.resources_dir() == installed_resources
    assert paths.resource("icon.png") == installed_resources / "icon.png"
    assert paths.sample_draft().read_bytes().startswith(b"PK")


def test_a_frozen_bundle_reads_the_resources_beside_it(tmp_path, monkeypatch, installed_resources):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"


def test_the_guide_reads_the_checkouts_readme():
    assert paths.readme_text() == README


def test_the_guide_reads_the_readme_at_the_top_of_a_frozen_bundle(
    tmp_path, monkeypatch, not_a_checkout
):
    (tmp_path / "README.md").write_text("# Order Desk\n\n## Quick start\n\nFrozen.\n")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.readme_text() == "# Order Desk\n\n## Quick start\n\nFrozen.\n"


def test_the_guide_reads_the_installed_distributions_description(not_a_checkout):
    from importlib import metadata

    text = paths.readme_text()
    assert text == metadata.metadata("order-desk")["Description"]
    assert text.startswith("# Order Desk\n") and "\n## Quick start\n" in text


def test_no_readme_anywhere_is_an_empty_guide_not_an_error(monkeypatch, not_a_checkout):
    monkeypatch.setattr(paths, "DISTRIBUTION", "order-desk-never-installed")
    assert paths.readme_text() == ""
    (not_a_checkout / "pyproject.toml").write_text("")  # a checkout that lost its README
    assert paths.readme_text() == ""
