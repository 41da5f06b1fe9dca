"""Python's cycle collector runs on the GUI thread only, once the window runs threads.

Left alone, the collector runs on whichever thread allocates when a threshold
is crossed, a background task's thread too. If a cycle it breaks holds the
last reference to a Qt object, that object is destroyed on the wrong thread,
which Qt does not survive (a crash, not an exception). So once background
tasks exist, automatic collection is off and a timer on the GUI thread
collects instead, generation by generation, as Python's own thresholds say.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 200  # a young-generation pass takes well under a millisecond


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects from a timer in the thread it lives in."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_due)
        gc.disable()
        self.timer.start()
        self.destroyed.connect(_enable_collection)

    def collect_due(self) -> int:
        """Collect the generations past their thresholds; returns how many objects went."""
        young, middle, old = gc.get_count()
        first, second, third = self.thresholds
        if young <= first:
            return 0
        if middle <= second:
            return gc.collect(0)
        if old <= third:
            return gc.collect(1)
        return gc.collect(2)


def _enable_collection(*_: object) -> None:
    gc.enable()  # the application is gone: no thread is left to fear


_installed: GuiThreadCollector | None = None


def install(app: QObject) -> GuiThreadCollector:
    """Collect only on ``app``'s thread from now on (idempotent)."""
    import shiboken6

    global _installed
    if _installed is None or not shiboken6.isValid(_installed):
        _installed = GuiThreadCollector(app)
    return _installed
