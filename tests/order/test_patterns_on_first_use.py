"""Regular expressions are compiled when first used, not when their module is imported."""

from __future__ import annotations

import subprocess
import sys

IMPORT_AND_COUNT = """
import re
import sys
compiled = []
compile_now = re.compile

def counted(*args, **kwargs):
    if "desktop_app" in sys._getframe(1).f_code.co_filename:  # ours, not the library's
        compiled.append(args[0])
    return compile_now(*args, **kwargs)

re.compile = counted
import desktop_app.draft.atomic_files
import desktop_app.draft.csv_io
import desktop_app.order.generator
import desktop_app.order.names
import desktop_app.order.picture_scan
import desktop_app.order.table_text
from desktop_app.order.names import printable
print(len(compiled))
assert printable("a\\u202eb") == "a\\\\u202eb"  # and used, it is compiled then
print(len(compiled))
"""


def test_importing_the_order_and_draft_modules_compiles_no_pattern_until_one_is_used():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_COUNT], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "1"]
