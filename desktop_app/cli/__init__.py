"""The command line, ``order-desk``: one module per group of commands.

:mod:`desktop_app.cli.main` parses the arguments and opens the window only when asked.
"""
