"""The create-order API as the app speaks it: the request, its multipart body, the sender,
what an answer means, addresses, the rate limit, TLS, the curl twin, order status.

Above :mod:`desktop_app.order` only; Qt-free and without state of its own on disk.
"""
