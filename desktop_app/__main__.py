"""``python -m desktop_app`` behaves exactly like the ``order-desk`` command."""

import sys

from desktop_app.cli import main

sys.exit(main())
