"""The draft on disk: the .cmrorder archive and its JSON, CSV, picture folders, atomic saves.

Above :mod:`desktop_app.order` only. Modules the window does not need to open
(csv, zipfile, json) are imported by the functions that use them.
"""
