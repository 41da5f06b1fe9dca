"""``python3 -m desktop_app.bootstrap run|test|build|bench``: see the package docstring."""

import sys

from desktop_app.bootstrap import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
