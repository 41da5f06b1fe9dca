"""``order-desk settings``: the shared settings shown and changed, each refusal one sentence."""

from __future__ import annotations

import pytest

from desktop_app.cli.main import main
from desktop_app.order.model import PRODUCTION_BASE_URL
from desktop_app.services.settings import OPTIONS, Settings, option_named


def shown(capsys) -> dict[str, str]:
    assert main(["settings"]) == 0
    out, _ = capsys.readouterr()
    return dict(line.split("=", 1) for line in out.splitlines())


def test_every_setting_is_shown_with_its_default(capsys):
    assert shown(capsys) == {o.key: o.text(o.default) for o in OPTIONS}


def test_a_setting_changed_is_kept_and_shown(capsys, app_home):
    assert main(["settings", "set", "sending/max_mailboxes", "40"]) == 0
    assert main(["settings", "set", "sending/base_url", "https://gateway.example.com"]) == 0
    values = shown(capsys)
    assert values["sending/max_mailboxes"] == "40"
    assert values["sending/base_url"] == "https://gateway.example.com"
    assert Settings(app_home).get(option_named("sending/max_mailboxes")) == 40


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["sending/max_mailboxes", "0"], "sending/max_mailboxes: '0' is not a whole number"),
        (["sending/environment", "moon"], "'moon' is not one of practice, sandbox, production"),
        (["sending/base_url", "http://api.example.com"], "plain http"),
        (["sending/nothing", "1"], "There is no setting 'sending/nothing'"),
    ],
)
def test_a_value_refused_is_one_sentence_and_nothing_is_written(capsys, app_home, args, sentence):
    assert main(["settings", "set", *args]) == 1
    _, err = capsys.readouterr()
    assert sentence in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (app_home / "settings.ini").exists()


def test_a_setting_that_cannot_be_saved_exits_1_saying_why(capsys, app_home):
    (app_home / "settings.ini").mkdir()
    assert main(["settings", "set", "sending/max_mailboxes", "40"]) == 1
    _, err = capsys.readouterr()
    assert "could not be read (it is a folder)" in err and "until Order Desk closes" in err
    assert (app_home / "settings.ini").is_dir()


@pytest.mark.parametrize("value", ["0", "993", "many"])
def test_max_mailboxes_on_the_command_line_follows_the_settings_rule(capsys, tmp_path, value):
    with pytest.raises(SystemExit) as exited:
        main(["send", str(tmp_path / "any.cmrorder"), "--max-mailboxes", value])
    assert exited.value.code == 2
    _, err = capsys.readouterr()
    assert f"{value!r} is not a whole number from 1 to 992" in err


def test_a_file_that_cannot_be_read_is_said_once_per_command(capsys, app_home):
    from desktop_app.cli.common import configured_base_url, configured_mailboxes_per_request

    (app_home / "settings.ini").write_bytes("[sending]\n".encode("utf-16"))
    # What `send` reads: the mailboxes per request, then the address.
    assert configured_mailboxes_per_request() == 992
    assert configured_base_url() == PRODUCTION_BASE_URL
    _, err = capsys.readouterr()
    assert err.count("could not be read") == 1 and err.count("\n") == 1
