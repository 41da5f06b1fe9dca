"""The README's three lines, from two CSV files and a picture folder to a validated draft."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from cli_support import order_desk
from factories import make_jpeg, make_png

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_lines() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    after = text.split("From two CSV files and a picture folder to a complete, validated draft:")
    block = re.search(r"```sh\n(.*?)```", after[1], re.DOTALL)
    assert block is not None
    return [shlex.split(line) for line in block.group(1).splitlines() if line.strip()]


def test_the_readmes_three_lines_make_a_complete_validated_draft(tmp_path):
    lines = readme_lines()
    assert len(lines) == 3 and all(line[0] == "order-desk" for line in lines)
    (tmp_path / "domains.csv").write_text("domain,years\nalpha.com,1\nbeta.org,2\n")
    (tmp_path / "mailboxes.csv").write_text(
        "email,firstName,lastName\nann@alpha.com,Ann,Archer\ncat@beta.org,Cat,Cole\n"
    )
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "ann@alpha.com.png").write_bytes(make_png((200, 40, 40), 90))
    (tmp_path / "pictures" / "cat@beta.org.jpg").write_bytes(make_jpeg((40, 200, 40), 90))
    results = [order_desk(*line[1:], cwd=tmp_path) for line in lines]
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert results[-1].stdout == "june.cmrorder: 0 errors, 0 warnings\n"
