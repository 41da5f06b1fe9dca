"""``python -m desktop_app`` behaves exactly like the ``order-desk`` command.

This is also the frozen bundle's entry point: there, a picture worker process
is the bundle started again, and ``freeze_support`` turns it into a worker
before anything else runs.
"""

import sys

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()

    from desktop_app.cli.main import main

    sys.exit(main())
