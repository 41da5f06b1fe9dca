"""What the frozen bundles leave out, and how big they may be.

Shared by ``build.spec`` (the app) and ``benchmarks/bare_window.spec`` (a bare
PySide6 window frozen the same way, the size floor the app is measured
against), so both are trimmed by exactly the same rules.  The size check in
``tests/bootstrap/test_bundle.py`` reads the budget from here too.

PyInstaller's Qt hooks collect every plugin and translation that the imported
Qt modules *might* use, and then every library those plugins link to (GTK,
Kerberos, OpenSSL...).  :func:`trim` drops the plugins and data the app does
not use, then the libraries that only the dropped files needed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path, PurePath

# --- Python modules --------------------------------------------------------------

EXCLUDES = [
    "tkinter",  # the GUI is Qt; Pillow's ImageTk would otherwise pull in Tcl/Tk
    "_tkinter",  # the C half of tkinter
    "unittest",  # tests are not shipped
    "doctest",  # tests are not shipped
    "pydoc",  # interactive help; nothing calls help()
    "pdb",  # no debugger in the shipped app
    "lib2to3",  # a source converter, never imported at run time
    "distutils",  # build tooling
    "setuptools",  # build tooling
    "pip",  # installer, not a run-time dependency
    "xmlrpc",  # no XML-RPC anywhere
    "httpx._main",  # the `httpx` command-line tool; httpx imports it only if it can
    "pygments",  # syntax colouring for that tool (~1.8 MB), present only via the test tools
    "anyio",  # httpx's async backend; the sender is synchronous and httpcore copes without it
    "PySide6.QtNetwork",  # HTTP goes through httpx; Qt's network stack is unused
    "PySide6.QtQml",  # no QML
    "PySide6.QtQuick",  # no QML
    "PySide6.QtQuickWidgets",  # no QML
    "PySide6.QtPdf",  # no PDF rendering
    "PySide6.QtOpenGL",  # widgets paint with the raster engine
    "PySide6.QtOpenGLWidgets",  # no GL widgets
    "PySide6.QtSvg",  # icons are PNG
    "PySide6.QtSvgWidgets",  # icons are PNG
    "PySide6.QtDBus",  # Qt uses D-Bus internally (libQt6DBus stays); Python never calls it
    "PySide6.QtPrintSupport",  # nothing is printed
    "PySide6.QtSql",  # history uses Python's sqlite3
    "PySide6.QtTest",  # tests are not shipped
    "PySide6.QtXml",  # no XML
    "PySide6.QtConcurrent",  # threads are QThread/Python threads
    "PySide6.QtHelp",  # no Qt Assistant help
    "PySide6.QtDesigner",  # no Designer plugins
    "PySide6.QtUiTools",  # no .ui files loaded at run time
    "PIL.ImageTk",  # tkinter bridge
    "PIL.ImageQt",  # thumbnails are handed to Qt as bytes, not through this bridge
    "PIL._avif",  # AVIF is not an accepted avatar format (saves libavif, ~5 MB)
    "PIL.AvifImagePlugin",  # the Python half of AVIF support
    "PIL._imagingft",  # no text drawn on pictures (saves FreeType/HarfBuzz copies)
    "PIL.ImageFont",  # the Python half of text drawing
    "PIL._imagingcms",  # no colour-profile conversion (saves LittleCMS)
    "PIL.ImageCms",  # the Python half of colour management
]

# --- Qt plugins and data -------------------------------------------------------------

# Plugin folders dropped whole: nothing in a widgets app with PNG icons uses them.
DROPPED_PLUGIN_DIRS = {
    "designer",  # Qt Designer integration
    "egldeviceintegrations",  # EGLFS (embedded, no window system)
    "generic",  # evdev/tslib input for EGLFS and linuxfb
    "iconengines",  # SVG icons; ours are PNG
    "networkinformation",  # QtNetwork
    "platformthemes",  # GTK3 / portal themes: the GTK one alone pulls ~15 MB of GTK libraries
    "printsupport",  # nothing is printed
    "qmltooling",  # QML debugging
    "sqldrivers",  # QtSql
    "tls",  # QtNetwork's TLS; httpx uses Python's ssl
    "vectorimageformats",  # Lottie/SVG animations
    "wayland-graphics-integration-client",  # GL buffer sharing; widgets use shared memory
    "wayland-graphics-integration-server",  # for Wayland compositors
    "xcbglintegrations",  # OpenGL on X11; widgets paint with the raster engine
}

# Plugin folders where only some plugins are kept (by base name, without
# "lib"/"q" prefixes and file suffixes); others in these folders are dropped.
KEPT_PLUGINS = {
    # Desktop window systems, plus offscreen for the self-test on headless machines.
    "platforms": {"xcb", "wayland", "offscreen", "windows", "cocoa"},
    # Compose keys and dead keys, and IBus input methods (accented and non-Latin names).
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    # JPEG avatars shown as Qt images; PNG, BMP and friends are built into QtGui.
    "imageformats": {"jpeg"},
    # The standard desktop shell protocol; the others are for special compositors.
    "wayland-shell-integration": {"xdg-shell"},
    # Title bars where the compositor draws none (GNOME); adwaita would pull in QtSvg.
    "wayland-decoration-client": {"bradient"},
}


def _plugin_base_name(filename: str) -> str:
    """The plugin name without prefix and suffix: ``libqxcb.so`` and ``qxcb.dll`` -> ``xcb``."""
    name = filename.split(".")[0]
    name = re.sub(r"^lib", "", name)
    return re.sub(r"^q(?=[a-z])", "", name) if not name.startswith("qt-") else name


def _qt_plugin_parts(dest: str) -> tuple[str, str] | None:
    """(plugin folder, file name) when ``dest`` is a Qt plugin inside PySide6, else None."""
    parts = PurePath(dest).parts
    for i in range(len(parts) - 2):
        if parts[i] == "plugins" and parts[i - 1 : i] in (("Qt",), ("PySide6",)):
            return parts[i + 1], parts[-1]
    return None


def is_unwanted(dest: str) -> bool:
    """Whether the file collected at ``dest`` (relative to the bundle) can go."""
    path = PurePath(dest)
    if "PySide6" in path.parts and "translations" in path.parts:
        return True  # the app is in English and installs no Qt translator
    plugin = _qt_plugin_parts(dest)
    if plugin is None:
        return False
    folder, filename = plugin
    if folder in DROPPED_PLUGIN_DIRS:
        return True
    kept = KEPT_PLUGINS.get(folder)
    return kept is not None and _plugin_base_name(filename) not in kept


# --- Pruning libraries nothing needs any more ---------------------------------------


def _imports(src: str) -> set[str]:
    """Real paths of the shared libraries ``src`` links to."""
    from PyInstaller.depend.bindepend import get_imports

    try:
        found = get_imports(src)
    except Exception:  # an unreadable file: assume it needs nothing we could drop
        return set()
    return {os.path.realpath(path) for _, path in found if path}


def _closure(starts: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    todo = [os.path.realpath(s) for s in starts]
    while todo:
        src = todo.pop()
        if src in seen:
            continue
        seen.add(src)
        todo.extend(_imports(src) - seen)
    return seen


Toc = list[tuple[str, str, str]]


def trim(binaries: Toc, datas: Toc) -> tuple[Toc, Toc, Toc]:
    """Drop unwanted Qt plugins and data, then libraries only they needed.

    Returns the kept binaries, the kept datas, and what was dropped (for the
    build log).  A library is dropped only if a dropped file linked to it and
    no kept file does, so nothing the hooks collected on purpose is lost.
    """
    dropped = [entry for entry in binaries if is_unwanted(entry[0])]
    kept = [entry for entry in binaries if not is_unwanted(entry[0])]
    kept_datas = [entry for entry in datas if not is_unwanted(entry[0])]
    dropped += [entry for entry in datas if is_unwanted(entry[0])]

    real = {entry[0]: os.path.realpath(entry[1]) for entry in kept if entry[2] != "SYMLINK"}
    suspects = _closure(entry[1] for entry in dropped if entry[2] != "SYMLINK") & set(real.values())
    roots = [src for src in real.values() if src not in suspects]
    needed = _closure(roots)
    orphans = {dest for dest, src in real.items() if src in suspects and src not in needed}

    def keep(entry: tuple[str, str, str]) -> bool:
        dest, src, typecode = entry
        # A symlink is (its name, the bundle path it points to, "SYMLINK"); the
        # analysis files them under datas as well as binaries.
        return dest not in orphans and not (typecode == "SYMLINK" and src in orphans)

    dropped += [entry for entry in kept + kept_datas if not keep(entry)]
    return [e for e in kept if keep(e)], [e for e in kept_datas if keep(e)], dropped


# --- Size -------------------------------------------------------------------------

MIB = 1024 * 1024

# A bare PySide6 window (benchmarks/bare_window.py) frozen onedir on Linux x86-64
# with these same rules and stripped weighs 109 MiB (PySide6 6.12, Python 3.11):
# the floor for any Qt widgets app.  Untrimmed it is 170 MiB.
BARE_WINDOW_FLOOR_MIB = 109
# The app may weigh about a quarter more than that floor.  dist/order-desk over
# this fails the bundle tests (and so CI).
BUNDLE_BUDGET_MIB = 136


def tree_size(folder: Path) -> int:
    """Bytes in every regular file under ``folder`` (symlinks are not counted twice)."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total
