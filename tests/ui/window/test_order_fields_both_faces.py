"""Every order field through both faces: ``order-desk import`` and ``set``, and the window.

The same CSV files, picture folder and field values give the same ``order.json``,
byte for byte, whether the draft was made in a terminal or in the window.
"""

from __future__ import annotations

import zipfile

import pytest
from cli_support import order_desk
from factories import make_jpeg, make_png
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui

CLIENT_ID = "536726988839-pt93oro4685dtb1emb0pp2vjgjol5mls.apps.googleusercontent.com"
FIELDS = {
    "Google OAuth route": "https://oauth.example.com/google",
    "Client ID": CLIENT_ID,
    "App name": "Outreach Mail",
    "Microsoft OAuth route": "https://login.example.com/microsoft",
    "Name": "June batch: Zoe & Mueller",
    "User ID": "8J7HM04FRXUT4VK86128K6D25APS",
}


@pytest.fixture
def inputs(tmp_path):
    domains = tmp_path / "domains.csv"
    domains.write_text("domain,years\nalpha.com,1\nbeta.org,2\n", encoding="utf-8")
    mailboxes = tmp_path / "mailboxes.csv"
    mailboxes.write_text(
        "email,firstName,lastName\nann@alpha.com,Ann,Archer\nbob@alpha.com,Bob,Baker\n"
        "cat@beta.org,Cat,Cole\n",
        encoding="utf-8",
    )
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "ann@alpha.com.png").write_bytes(make_png((200, 40, 40), 90))
    (pictures / "cat@beta.org.jpg").write_bytes(make_jpeg((40, 200, 40), 90))
    return domains, mailboxes, pictures


def order_json(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("order.json")


def test_a_draft_made_on_the_command_line_is_the_one_the_window_saves(
    qtbot, window, tmp_path, inputs, wait_for_pictures
):
    domains, mailboxes, pictures = inputs
    made = tmp_path / "terminal.cmrorder"
    result = order_desk(
        "import",
        "--domains",
        domains,
        "--mailboxes",
        mailboxes,
        "--avatars",
        pictures,
        "-o",
        made,
        "--provider",
        "google",
        "--google-oauth-route",
        FIELDS["Google OAuth route"],
        "--client-id",
        "123",  # changed below with `set`
        "--app-name",
        FIELDS["App name"],
        "--microsoft-oauth-route",
        FIELDS["Microsoft OAuth route"],
        "--name",
        FIELDS["Name"],
        "--user-id",
        f"  {FIELDS['User ID']} ",  # the window keeps a User ID without outer spaces too
        "--process-at-once",
        "--renew-automatically",
    )
    assert result.returncode == 0, result.stderr
    for name, value in (
        ("Client ID", CLIENT_ID),
        ("provider", "Microsoft 365"),
        ("renew-automatically", "off"),
    ):
        changed = order_desk("set", made, name, value)
        assert changed.returncode == 0, changed.stderr

    window.files.new()
    window.files.import_domains(domains)
    window.files.import_mailboxes(mailboxes)
    window.avatars.set_from_paths([], [str(pictures)])
    wait_for_pictures(window)
    provider = window.settings_pane.provider
    options = window.settings_pane.options
    provider.google.click()
    for name in ("google.oauth_route", "google.client_id", "google.app_name"):
        label = provider.fields[name].accessibleName()
        qtbot.keyClicks(provider.fields[name], FIELDS[label])
    provider.microsoft.click()
    qtbot.keyClicks(provider.fields["microsoft_oauth_route"], FIELDS["Microsoft OAuth route"])
    qtbot.keyClicks(options.name, FIELDS["Name"])
    qtbot.keyClicks(options.user_id, f"  {FIELDS['User ID']} ")
    options.confirm.click()
    qtbot.mouseClick(options.auto_renew, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(options.auto_renew, Qt.MouseButton.LeftButton)
    saved = tmp_path / "window.cmrorder"
    assert window.files.save_to(saved)

    assert order_json(made) == order_json(saved)
    listing = order_desk("set", made).stdout
    assert "Provider               serviceProvider          Microsoft 365" in listing
    assert f"Client ID              google.clientId          {CLIENT_ID}" in listing
