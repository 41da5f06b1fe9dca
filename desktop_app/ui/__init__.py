"""The order window (PySide6).

Everything here adapts the Qt-free core to widgets: thin table models over
the core's lists, panes, undo steps, autosave.  Start with
:func:`desktop_app.ui.window.app.run_window`; the hooks sending plugs into are
listed in :mod:`desktop_app.ui.window.main_window`.

Start-up matters: dialogs, and the Qt classes only they use (message boxes,
file dialogs), are imported where they are opened, not at the top of a
module.  Importing a PySide6 class builds Python enums for all of its Qt
enums, which costs start-up time for a window that may never open them.
"""

# Imported for its effect, before any window code emits a signal.
from desktop_app.ui.common import pyside_fixes as _pyside_fixes  # noqa: F401
