"""The command line as scripts use it: real processes, real files, the documented exit codes."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from cli_support import order_desk
from factories import make_jpeg_with_exif_gps, make_png, sample_order

from desktop_app.draft import draft_file


def assert_one_clean_sentence(result):
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("order-desk: "), result.stderr


@pytest.fixture
def good_draft(tmp_path):
    path = tmp_path / "good.cmrorder"
    draft_file.save(sample_order(2, 2), path)
    return path


def test_validate_clean_draft_exits_0(good_draft):
    result = order_desk("validate", good_draft)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_validate_reports_each_problem_and_exits_1(tmp_path):
    order = sample_order(1, 2)
    order.domains[0].years = "ten"
    order.mailboxes[1].username = order.mailboxes[0].username.upper()
    order.mailboxes[0].avatar = None
    path = tmp_path / "bad.cmrorder"
    draft_file.save(order, path)
    result = order_desk("validate", path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "error: domains row 1 (years): Years must be a whole number from 1 to 10." in lines
    assert any(line.startswith("error: mailboxes row 2 (username): Duplicate") for line in lines)
    assert any(line.startswith("warning: avatar user0@") for line in lines)
    assert lines[-1] == "bad.cmrorder: 3 errors, 1 warning"


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04 broken"])
def test_validate_unreadable_file_exits_2_with_one_sentence(tmp_path, content):
    path = tmp_path / "junk.cmrorder"
    path.write_bytes(content)
    result = order_desk("validate", path)
    assert result.returncode == 2
    assert_one_clean_sentence(result)


def test_validate_missing_file_exits_2(tmp_path):
    result = order_desk("validate", tmp_path / "nowhere.cmrorder")
    assert result.returncode == 2
    assert_one_clean_sentence(result)


def test_import_builds_a_draft_with_avatars_and_export_round_trips(tmp_path):
    (tmp_path / "domains.csv").write_text(
        "domain;years\nalpha.com;2\nbeta.io;\n", encoding="utf-8-sig"
    )
    (tmp_path / "mailboxes.csv").write_text(
        "email,firstName,lastName\nann@alpha.com,Ann,Lee\nbob@beta.io,Bob,Ray\n", encoding="utf-8"
    )
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "ann@alpha.com.jpg").write_bytes(make_jpeg_with_exif_gps())
    (pictures / "bob@beta.io.png").write_bytes(make_png())
    out = tmp_path / "june.cmrorder"
    result = order_desk(
        "import",
        "--domains",
        tmp_path / "domains.csv",
        "--mailboxes",
        tmp_path / "mailboxes.csv",
        "--avatars",
        pictures,
        "-o",
        out,
    )
    assert result.returncode == 0, result.stderr
    order = draft_file.load(out)
    assert [(d.domain, d.years) for d in order.domains] == [("alpha.com", 2), ("beta.io", 1)]
    assert [m.email for m in order.mailboxes] == ["ann@alpha.com", "bob@beta.io"]
    assert all(m.avatar is not None and m.avatar.problem is None for m in order.mailboxes)
    with zipfile.ZipFile(out) as archive:  # the GPS position did not survive the import
        assert not any(
            b"GPS" in archive.read(n) for n in archive.namelist() if n.startswith("avatars/")
        )

    result = order_desk(
        "export", out, "--domains", tmp_path / "d2.csv", "--mailboxes", tmp_path / "m2.csv"
    )
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.cmrorder"
    assert (
        order_desk(
            "import",
            "--domains",
            tmp_path / "d2.csv",
            "--mailboxes",
            tmp_path / "m2.csv",
            "-o",
            again,
        ).returncode
        == 0
    )
    reloaded = draft_file.load(again)
    assert [(d.domain, d.years) for d in reloaded.domains] == [("alpha.com", 2), ("beta.io", 1)]
    assert [(m.email, m.first_name, m.last_name) for m in reloaded.mailboxes] == [
        ("ann@alpha.com", "Ann", "Lee"),
        ("bob@beta.io", "Bob", "Ray"),
    ]


def test_import_of_an_unreadable_csv_writes_nothing(tmp_path):
    (tmp_path / "domains.csv").write_bytes(b"\xff\xfe\x00\x00binary\x00junk")
    out = tmp_path / "never.cmrorder"
    result = order_desk("import", "--domains", tmp_path / "domains.csv", "-o", out)
    assert result.returncode == 2
    assert_one_clean_sentence(result)
    assert not out.exists()


def test_curl_prints_a_command_without_the_key(good_draft, tmp_path, monkeypatch):
    monkeypatch.setenv("CMR_API_KEY", "super-secret-key")
    result = order_desk("curl", good_draft, "--avatars-dir", tmp_path / "pics")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("curl ") and "<api-key>" in result.stdout
    assert "super-secret-key" not in result.stdout + result.stderr
    assert len(list((tmp_path / "pics").iterdir())) == 4


def test_curl_refuses_an_order_with_errors(tmp_path):
    order = sample_order(1, 1)
    order.mailboxes[0].first_name = ""
    path = tmp_path / "bad.cmrorder"
    draft_file.save(order, path)
    result = order_desk("curl", path)
    assert result.returncode == 1
    assert "First name is required" in result.stderr and "Traceback" not in result.stderr


def test_opening_the_window_builds_only_the_parser_it_needs():
    code = (
        "import sys\n"
        "from desktop_app.cli.main import build_parser\n"
        "args = build_parser(window_only=True).parse_args(['open', 'x.cmrorder', '--practice'])\n"
        "print(args.practice, args.file, 'desktop_app.cli.send' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "x.cmrorder", "False"]
    full = order_desk("--help")
    for command in ("validate", "import", "export", "curl", "send", "sandbox", "history", "key"):
        assert command in full.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is Linux's")
def test_opening_the_window_without_a_display_is_one_sentence(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    result = order_desk("open")
    assert result.returncode == 2  # rather than Qt aborting the process
    assert_one_clean_sentence(result)
    assert "display" in result.stderr
