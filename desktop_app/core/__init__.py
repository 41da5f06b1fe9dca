"""The order logic: model, rules, request, files and images.

Nothing under this package imports Qt (a test enforces it), so everything here
runs and is tested without a display, from scripts and from the window alike.
"""
