"""The operator's task through the accessibility bus, as a screen-reader user does it.

Run by ``test_accessibility_bus.py`` with the system's Python (where pyatspi and
its ``gi`` Atspi live), inside ``dbus-run-session``::

    /usr/bin/python3 atspi_operator.py HOME PYTHON [ARGS...]

It starts Xvfb and the accessibility bus, starts the window
(``PYTHON -m desktop_app open --practice``, its data in ``HOME``), and then,
through AT-SPI only:

1. checks that every showing focusable node has a name;
2. follows focus through AT-SPI focus events (the Domains table first);
3. adds a domain, generates mailboxes, opens the review and sends in practice,
   with keyboard events (xdotool) and accessible actions;
4. reads the order ID from the result dialog.

It prints one JSON line: ``{"ok": true, "order_id": …, "focus": [...]}`` or
``{"ok": false, "error": …}``, and exits 0 or 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

APP_NAME = "Order Desk"
WAIT = 30.0
# Nodes that are named by their content, or are parts of a bigger named node.
UNNAMED_ALLOWED = {
    Atspi.Role.TABLE_CELL,
    Atspi.Role.LIST_ITEM,
    Atspi.Role.TREE_ITEM,
    Atspi.Role.COLUMN_HEADER,
    Atspi.Role.ROW_HEADER,
    Atspi.Role.TABLE_COLUMN_HEADER,
    Atspi.Role.TABLE_ROW_HEADER,
    Atspi.Role.MENU_ITEM,
    Atspi.Role.PAGE_TAB,
    Atspi.Role.SEPARATOR,
}
CONTAINERS_OF_ROWS = {Atspi.Role.TABLE, Atspi.Role.TREE_TABLE, Atspi.Role.LIST, Atspi.Role.TREE}


class Failed(Exception):
    """The task could not be done as a screen-reader user would do it."""


def pump(seconds: float = 0.05) -> None:
    """Let AT-SPI events arrive for ``seconds``."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.01)


def wait_for(what: str, found: Callable[[], Any], timeout: float = WAIT) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = found()
        except GLib.Error:
            value = None
        if value:
            return value
        pump(0.1)
    raise Failed(f"waited {timeout:.0f} s for {what}")


def states(node: Atspi.Accessible) -> Atspi.StateSet:
    return node.get_state_set()


def showing(node: Atspi.Accessible) -> bool:
    return states(node).contains(Atspi.StateType.SHOWING)


def walk(node: Atspi.Accessible, depth: int = 0) -> Iterator[Atspi.Accessible]:
    """Every showing node under ``node`` (not into tables' rows, nor hidden parts).

    A node that goes away meanwhile (a closed editor) is passed over.
    """
    yield node
    try:
        if depth > 40 or node.get_role() in CONTAINERS_OF_ROWS:
            return
        children = [node.get_child_at_index(i) for i in range(node.get_child_count())]
    except GLib.Error:
        return
    for child in children:
        try:
            shown = child is not None and showing(child)
        except GLib.Error:
            continue
        if shown:
            yield from walk(child, depth + 1)


def find(root: Atspi.Accessible, name: str, role: Atspi.Role | None = None) -> Any:
    for node in walk(root):
        try:
            if node.get_name() == name and (role is None or node.get_role() == role):
                return node
        except GLib.Error:  # gone meanwhile
            continue
    return None


def describe(node: Atspi.Accessible) -> str:
    return f"{node.get_role_name()} {node.get_name()!r}"


def unnamed_focusable(root: Atspi.Accessible) -> list[str]:
    unnamed = []
    for node in walk(root):
        if node.get_role() in UNNAMED_ALLOWED:
            continue
        if states(node).contains(Atspi.StateType.FOCUSABLE) and not node.get_name().strip():
            parent = node.get_parent()
            unnamed.append(f"{node.get_role_name()} in {describe(parent) if parent else '?'}")
    return unnamed


class Focus:
    """Follows focus through AT-SPI's focus events, as a screen reader does."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self._listener = Atspi.EventListener.new(self._on_event)
        self._listener.register("object:state-changed:focused")

    def _on_event(self, event: Any) -> None:
        if event.detail1:
            self.events.append((event.source.get_role_name(), event.source.get_name()))

    def now(self) -> tuple[str, str] | None:
        return self.events[-1] if self.events else None

    def wait(self, name: str, timeout: float = WAIT) -> None:
        wait_for(f"the focus on {name!r} (it is on {self.now()})", lambda: self._on(name), timeout)

    def _on(self, name: str) -> bool:
        current = self.now()
        return current is not None and current[1] == name


def debug(*what: Any) -> None:
    if os.environ.get("ATSPI_DEBUG"):
        print(*what, file=sys.stderr, flush=True)


def keys(*sequence: str) -> None:
    """Press keys as the operator does (xdotool sends them to the focused window)."""
    subprocess.run(["xdotool", "key", "--delay", "60", *sequence], check=True)
    pump(0.3)


def type_text(text: str) -> None:
    subprocess.run(["xdotool", "type", "--delay", "30", text], check=True)
    pump(0.3)


def press(node: Atspi.Accessible) -> None:
    """Do a button's accessible action (what a screen reader's "activate" does)."""
    with warnings.catch_warnings():  # its replacement is not in every version of Atspi
        warnings.simplefilter("ignore", DeprecationWarning)
        actions = [node.get_action_name(i) for i in range(node.get_n_actions())]
    for wanted in ("Press", "press", "click"):
        if wanted in actions:
            node.do_action(actions.index(wanted))
            pump(0.3)
            return
    raise Failed(f"{describe(node)} has no press action, only {actions}")


def text_of(node: Atspi.Accessible) -> str:
    return str(node.get_text(0, node.get_character_count()))


def top_window(app: Atspi.Accessible, title_part: str) -> Any:
    for index in range(app.get_child_count()):
        child = app.get_child_at_index(index)
        if child is not None and title_part in child.get_name() and showing(child):
            return child
    return None


def focus_the_window() -> None:
    """Give the main window the keyboard, as a window manager does (Xvfb runs none)."""
    subprocess.run(
        ["xdotool", "search", "--sync", "--name", "— Practice", "windowfocus", "--sync"],
        check=True,
        timeout=WAIT,
    )
    pump(0.3)


def start_xvfb() -> subprocess.Popen[bytes]:
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as answer:
        display = answer.readline().strip()
    if not display:
        raise Failed("Xvfb did not start")
    os.environ["DISPLAY"] = f":{display}"
    return xvfb


def operator_task(python: list[str], home: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "ORDER_DESK_HOME": home,
    }
    env.pop("QT_SCALE_FACTOR", None)
    # The app's keyring and caches in the throw-away home, never the machine's.
    for variable in ("HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[variable] = home
    log = open(os.path.join(home, "app.log"), "wb")  # noqa: SIM115 - open while the app runs
    app_process = subprocess.Popen(
        [*python, "-m", "desktop_app", "open", "--practice"], env=env, stdout=log, stderr=log
    )
    try:
        return _drive(app_process)
    finally:
        app_process.kill()
        app_process.wait()
        log.close()


def _drive(app_process: subprocess.Popen[bytes]) -> dict[str, Any]:
    focus = Focus()
    desktop = Atspi.get_desktop(0)

    def application() -> Any:
        if app_process.poll() is not None:
            raise Failed(f"the app stopped (exit {app_process.returncode})")
        for index in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(index)
            if child is not None and child.get_name() == APP_NAME:
                return child
        return None

    app = wait_for("the app on the accessibility bus", application)
    window = wait_for("the window", lambda: top_window(app, "Order Desk — Practice"))
    focus_the_window()
    # 1. Names.
    wait_for("the Domains table", lambda: find(window, "Domains table"))
    unnamed = unnamed_focusable(window)
    if unnamed:
        raise Failed(f"showing focusable nodes without a name: {unnamed}")
    combo = wait_for("the environment combo", lambda: _first(window, Atspi.Role.COMBO_BOX))
    if combo.get_name() != "Environment":
        raise Failed(f"the environment combo is named {combo.get_name()!r}, not 'Environment'")
    # 2. The work has the focus first, not the banner.
    focus.wait("Domains table")

    # 3. Add a domain: Ctrl+Shift+D adds a row and opens its first cell; Enter keeps it.
    keys("ctrl+shift+d")
    type_text("brand-new.com")
    keys("Return")
    domains = find(window, "Domains table")
    wait_for("the new domain in its table", lambda: _cells(domains, 0) == ["brand-new.com", "1"])

    # Generate mailboxes: Ctrl+G; the focus starts in the names box (a screen reader says so).
    keys("ctrl+g")
    dialog = wait_for("Generate Mailboxes", lambda: top_window(app, "Generate Mailboxes"))
    focus.wait("Names")
    type_text("Ann Archer")
    keys("Return")
    type_text("Bob Baker")
    keys("alt+a")  # &Add Mailboxes
    wait_for("the dialog to close", lambda: not showing(dialog) or not top_window(app, "Generate"))
    mailboxes = find(window, "Mailboxes table")
    wait_for("the mailboxes in their table", lambda: mailboxes.get_n_rows() == 3)

    # Open the review: Ctrl+Return.  Cancel has the focus first.
    focus_the_window()  # a closed dialog hands the keyboard back (a window manager's job)
    focus.wait("Domains table")
    keys("ctrl+Return")  # Send Order…
    review = wait_for("the review", lambda: top_window(app, "Review before sending"))
    focus.wait("Cancel")
    unnamed = unnamed_focusable(review)
    if unnamed:
        raise Failed(f"the review has focusable nodes without a name: {unnamed}")
    send = wait_for("the Send button", lambda: _send_button(review))
    sent_with = send.get_name()
    press(send)

    # The result: read the order ID.
    result = wait_for("the result", lambda: top_window(app, "Send result"))
    field = wait_for("the order ID", lambda: find(result, "Order ID"))
    order_id = wait_for("an order ID", lambda: text_of(field))
    return {"ok": True, "order_id": order_id, "focus": focus.events, "sent_with": sent_with}


def _cells(table: Atspi.Accessible, row: int) -> list[str]:
    """The first two cells of ``row`` of a table, as a screen reader reads them."""
    if table.get_n_rows() <= row:
        return []
    return [table.get_accessible_at(row, column).get_name() for column in (0, 1)]


def _first(root: Atspi.Accessible, role: Atspi.Role) -> Any:
    return next((node for node in walk(root) if node.get_role() == role), None)


def _send_button(review: Atspi.Accessible) -> Any:
    for node in walk(review):
        if node.get_role() == Atspi.Role.PUSH_BUTTON and node.get_name().startswith("Send "):
            return node
    return None


def main(argv: list[str]) -> int:
    home, python = argv[1], argv[2:]
    xvfb = start_xvfb()
    bus = subprocess.Popen(
        ["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        pump(1.0)
        Atspi.init()
        outcome = operator_task(python, home)
    except (Failed, subprocess.SubprocessError, GLib.Error) as exc:
        log = Path(home, "app.log")
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.exists() else ""
        outcome = {"ok": False, "error": str(exc), "app_log": tail}
        debug(traceback.format_exc())
    except Exception as exc:
        outcome = {"ok": False, "error": f"{exc!r}", "traceback": traceback.format_exc()}
    finally:
        bus.terminate()
        xvfb.terminate()
        bus.wait()
        xvfb.wait()
    print(json.dumps(outcome), flush=True)
    return 0 if outcome.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
