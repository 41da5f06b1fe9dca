"""Where the app keeps its state and finds its bundled resources.

All state lives under one folder, the app's home: ``$ORDER_DESK_HOME`` when it
is set, else the platform's user data folder.  Resources are found in a source
checkout, installed from the wheel (as package data) and inside a PyInstaller bundle.
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


# resources/ at the top of the checkout, installed by the wheel as this package's data.
RESOURCE_PACKAGE = "desktop_app.resources"
SAMPLE_DRAFT = "sample.cmrorder"


def resources_dir() -> Path:
    """The bundled resources: in a frozen bundle, installed with the package, or in a checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    installed = installed_resources()
    return installed if installed is not None else checkout_root() / "resources"


def installed_resources() -> Path | None:
    """``desktop_app.resources`` as installed from the wheel, or None where it is not there.

    A checkout has no such package: its ``resources/`` is beside ``desktop_app/``, and the
    editable install cannot map a folder without ``__init__.py`` into the package
    (setuptools issue 4943), so the checkout's folder is read as it is.
    """
    import importlib.util

    # Asked first, so a checkout's start-up does not import importlib.resources for nothing.
    if importlib.util.find_spec(RESOURCE_PACKAGE) is None:
        return None
    import importlib.resources

    folder = importlib.resources.files(RESOURCE_PACKAGE)
    # A data folder is a namespace package: its Traversable (a MultiplexedPath) is no
    # path, but the files in it are.
    child = folder.joinpath(SAMPLE_DRAFT)
    return child.parent if isinstance(child, Path) else None


def checkout_root() -> Path:
    """The folder holding ``desktop_app/`` (in a checkout: ``pyproject.toml``, ``README.md``)."""
    return Path(__file__).resolve().parents[2]


def resource(name: str) -> Path:
    return resources_dir() / name


def sample_draft() -> Path:
    return resource(SAMPLE_DRAFT)


# The name the package is installed under (pyproject.toml's [project] name).
DISTRIBUTION = "order-desk"


def readme_text() -> str:
    """The README that Help ▸ Guide shows, or "" where this copy has none.

    Read from the checkout when running from one (always the current text), from
    the top of a frozen bundle (``build.spec`` puts it there), and otherwise from
    the installed distribution's metadata, which holds it as the long description.
    """
    root = checkout_root()
    if (root / "pyproject.toml").is_file():
        return _read_text(root / "README.md")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return _read_text(Path(bundle) / "README.md")
    return installed_readme()


GUIDE_PACKAGE = "desktop_app.guide"  # docs/ as the wheel installs it
GUIDE_FILE = "guide.md"


def guide_text() -> str:
    """The operator's guide (``docs/guide.md``) that Help ▸ Guide shows, or "" where it is not.

    Read from the checkout when running from one, from the frozen bundle's
    ``docs/`` (``build.spec`` puts it there), and otherwise from the installed
    package ``desktop_app.guide``.
    """
    root = checkout_root()
    if (root / "pyproject.toml").is_file():
        return _read_text(root / "docs" / GUIDE_FILE)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return _read_text(Path(bundle) / "docs" / GUIDE_FILE)
    import importlib.util

    if importlib.util.find_spec(GUIDE_PACKAGE) is None:
        return ""
    import importlib.resources

    try:
        return importlib.resources.files(GUIDE_PACKAGE).joinpath(GUIDE_FILE).read_text("utf-8")
    except (OSError, UnicodeError):
        return ""


def guide_folder() -> Path | None:
    """The folder of the guide's pictures, where it is a folder on disk (else None)."""
    root = checkout_root()
    if (root / "pyproject.toml").is_file():
        return root / "docs"
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) / "docs" if bundle else None


def installed_readme() -> str:
    """The installed distribution's long description (its README), or ""."""
    from importlib import metadata

    try:
        descriptions = metadata.metadata(DISTRIBUTION).get_all("Description") or []
    except metadata.PackageNotFoundError:
        return ""
    return str(descriptions[0]) if descriptions else ""


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return ""
