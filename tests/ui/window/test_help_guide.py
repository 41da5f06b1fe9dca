"""Help ▸ Guide shows the README's sections wherever this copy of the app came from."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTextBrowser

from desktop_app.services import paths

pytestmark = pytest.mark.gui


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The app as a wheel installs it: no checkout around the package."""
    monkeypatch.setattr(paths, "checkout_root", lambda: tmp_path)


def test_an_installed_app_shows_the_guide_from_its_distributions_readme(window, installed):
    window.help_menu.show_guide("Sending")
    browser = window.help_menu.dialog.findChild(QTextBrowser)
    text = browser.toPlainText()
    assert text.startswith("Sending") and "API key lives in the OS keyring" in text


def test_a_copy_without_any_readme_says_so_in_the_status_bar(window, installed, monkeypatch):
    monkeypatch.setattr(paths, "DISTRIBUTION", "order-desk-never-installed")
    window.help_menu.show_guide("Sending")
    assert window.help_menu.dialog is None
    message = window.statusBar().currentMessage()
    assert message == "The guide is not installed with this copy of Order Desk."
