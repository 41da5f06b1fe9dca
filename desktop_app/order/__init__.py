"""The order itself: its model, the rules for names and rows, the generator, the pictures.

The lowest layer: it imports nothing else of the app, and nothing here imports
Qt, so it runs the same from scripts, the command line and the window.
"""
