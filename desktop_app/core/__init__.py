"""The order logic: model, rules, request, files and images.

Nothing under this package imports Qt (a test enforces it), so everything here
runs and is tested without a display, from scripts and from the window alike.

Modules the window does not need to open (idna, hashlib, csv, json, datetime)
are imported by the functions that use them: each costs a few milliseconds of
start-up.
"""
