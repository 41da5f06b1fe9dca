"""The curl command equivalent to an order's request, for operators who script.

The key is never printed: the command carries ``<api-key>`` where it goes.
Avatars are written to a folder as the exact bytes the app would send.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from desktop_app.api.payload import API_KEY_HEADER, OrderRequest

KEY_PLACEHOLDER = "<api-key>"


def write_avatar_files(request: OrderRequest, folder: Path) -> dict[str, Path]:
    """Write each file part's bytes to ``folder``; returns field name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for part in request.files:
        path = folder / part.filename
        path.write_bytes(part.avatar.read())
        written[part.name] = path
    return written


def curl_command(request: OrderRequest, avatar_paths: dict[str, Path]) -> str:
    """A shell-ready curl command sending ``request`` (one argument a line)."""
    args = [
        "curl",
        "--fail-with-body",
        # No --location: following a redirect can repeat a POST, and a repeated
        # create-order is a second order.
        "--request",
        "POST",
        request.url,
        "--header",
        f"{API_KEY_HEADER}: {KEY_PLACEHOLDER}",
    ]
    for name, value in request.headers.items():
        # The same headers the app sends, so a gateway treats both alike; curl
        # would otherwise announce itself as curl/<version>.
        if name.lower() == "user-agent":
            args += ["--user-agent", value]
        else:
            args += ["--header", f"{name}: {value}"]
    for name, value in request.fields:
        # --form-string sends the value verbatim (-F would read '@...' and '<...' as files).
        args += ["--form-string", f"{name}={value}"]
    for part in request.files:
        path = avatar_paths[part.name]
        # Quoted, so a folder name with ';' or ',' is not read as a curl option.
        quoted = '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'
        args += [
            "--form",
            f"{part.name}=@{quoted};type={part.content_type};filename={part.filename}",
        ]
    lines = [shlex.quote(arg) for arg in args]
    # Keep "--flag value" pairs on one line for a readable command.
    joined: list[str] = []
    for token in lines:
        if (
            joined
            and not token.startswith("-")
            and joined[-1].startswith("-")
            and " " not in joined[-1]
        ):
            joined[-1] += " " + token
        else:
            joined.append(token)
    return " \\\n  ".join(joined)
