"""Work-arounds for PySide6: a crash guard, and two start-up costs avoided.

**The crash guard.**

PySide6 6.12.0 returns ``True`` from ``SignalInstance.emit()`` without taking
a reference to it.  On Python 3.12 and later ``True`` is immortal and nothing
happens; on Python 3.10 and 3.11 every emit from Python code lowers its
reference count by one, and after a few thousand emits (minutes of editing)
the interpreter aborts with "deallocating True or False".  PySide6 6.11.3
does not have the bug.

The guard measures the leak once at import and, only where it exists, gives
``True`` so many references that it can never run out (what Python 3.12 does
for every interpreter).

**Viewports.** ``viewport()`` of a scroll area returns a plain ``QWidget``
that Python has not seen yet; to find its most derived type, PySide loads
every widget class of QtWidgets and builds their enums (~10 ms, once).
:func:`keep_viewport` wraps it without that search.

**Every module's source read after PySide.**  PySide's import hook asks of
each module imported after it whether its source mentions ``PySide6`` (for
its ``__feature__`` switches), through ``inspect.getsource``: decoding,
splitting into lines and caching every module's text (~40 ms for the ~290
modules the window imports from source).  :func:`read_sources_raw` asks the
same question of the file's bytes, with the same answer; anything that is not
a plain ``.py`` file still goes the original way.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from types import ModuleType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

_PROBES = 8
_PLENTY = 1 << 40


class _Probe(QObject):
    fired = Signal()


def emit_drops_references() -> bool:
    """True when emitting a signal from Python loses a reference to ``True``."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    return sys.getrefcount(True) < before


def protect_true(leaks: Callable[[], bool] = emit_drops_references) -> bool:
    """Apply the guard where the leak exists (``leaks()`` says); returns whether it was applied."""
    if sys.version_info >= (3, 12) or not leaks():
        return False
    # ob_refcnt is the first field of every object in CPython's non-debug builds.
    ctypes.c_ssize_t.from_address(id(True)).value += _PLENTY
    return True


def keep_viewport(area: QAbstractScrollArea) -> QWidget:
    """``area``'s viewport, wrapped without PySide's search for its type.

    Found by its object name, the child is wrapped as the ``QWidget`` it is.
    Keep the result (an attribute of ``area``): while it lives, every
    ``viewport()`` call returns it instead of searching again.
    """
    viewport = area.findChild(
        QWidget, "qt_scrollarea_viewport", Qt.FindChildOption.FindDirectChildrenOnly
    )
    return viewport if viewport is not None else area.viewport()


def read_sources_raw() -> bool:
    """Make PySide's "does this module use PySide6?" check read bytes; returns whether it did."""
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_raw", False):
        return False

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    mod_uses_pyside.reads_raw = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]
    return True


protected = protect_true()
reading_raw = read_sources_raw()
