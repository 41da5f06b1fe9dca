"""The practice server: a loopback stand-in for the API that keeps orders in memory.

It is a server, not part of the order: it reads requests with the API layer
and never imports the services or the window.
"""
