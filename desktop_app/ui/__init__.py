"""The order window (PySide6).

Everything here adapts the Qt-free core to widgets: thin table models over
the core's lists, panes, undo steps, autosave.  Start with
:func:`desktop_app.ui.app.run_window`; the hooks sending plugs into are
listed in :mod:`desktop_app.ui.main_window`.
"""

# Imported for its effect, before any window code emits a signal.
from desktop_app.ui import pyside_fixes as _pyside_fixes  # noqa: F401
