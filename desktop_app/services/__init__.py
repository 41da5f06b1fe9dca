"""What owns the app home: History, the key store, settings, environments, the send flow.

Qt-free, shared by the command line, the self-check and the window, so each flow
is written once here and each face only shows it.
"""
