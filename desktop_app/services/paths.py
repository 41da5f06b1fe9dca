"""Where the app keeps its state and finds its bundled resources.

All state lives under one folder, the app's home: ``$ORDER_DESK_HOME`` when it
is set, else the platform's user data folder.  Resources are found both from a
source checkout and inside a PyInstaller bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop_app import APP_ID

HOME_ENV = "ORDER_DESK_HOME"


def app_home() -> Path:
    """The folder for settings, autosaves and history, created on first use."""
    configured = os.environ.get(HOME_ENV, "").strip()
    if configured:
        home = Path(configured).expanduser()
    elif sys.platform == "win32":
        home = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "OrderDesk"
    elif sys.platform == "darwin":
        home = Path.home() / "Library" / "Application Support" / "Order Desk"
    else:
        data = os.environ.get("XDG_DATA_HOME", "").strip()
        home = (Path(data) if data else Path.home() / ".local" / "share") / APP_ID
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HomeUnusable(
            f"The app's home folder {home} cannot be used ({exc.strerror or exc}); "
            f"point {HOME_ENV} at a folder Order Desk may write."
        ) from None
    return home


class HomeUnusable(OSError):
    """The app's home folder cannot be made or used; the message is one sentence."""


def resources_dir() -> Path:
    """``resources/`` from a checkout, or its copy inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(name: str) -> Path:
    return resources_dir() / name


def sample_draft() -> Path:
    return resource("sample.cmrorder")
