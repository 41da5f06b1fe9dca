"""The reference point for start-up and bundle size: a bare PySide6 window.

A ``QMainWindow`` holding one empty ``QTableView``, nothing else.  The
benchmarks compare Order Desk against it, started the same way (from source,
or frozen by ``bare_window.spec`` with the same options as ``build.spec``).

    python benchmarks/bare_window.py                    # show the window until closed
    python benchmarks/bare_window.py --quit-when-idle
    python benchmarks/bare_window.py --screenshot PNG

``--quit-when-idle`` prints ``shown`` once the window is on screen and the
event loop has nothing left to do, then exits 0.  ``--screenshot`` does what
``order-desk open --screenshot`` does, with nothing of its own: start, show
at the same size, process events, grab once, save the PNG, exit 0 (1 when
the file cannot be written).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

SCREENSHOT_SIZE = (1280, 800)  # Order Desk's default size, which its screenshot uses


def main(argv: list[str]) -> int:
    app = QApplication(argv)
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.setCentralWidget(QTableView())
    if "--screenshot" in argv:
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        QCoreApplication.processEvents()
        image = window.grab()
        path = argv[argv.index("--screenshot") + 1]
        return 0 if image.save(path, "PNG") else 1
    window.resize(800, 500)
    window.show()
    if "--quit-when-idle" in argv:
        # A zero-delay timer fires once every pending event (the first paint
        # included) has been handled.
        def report_shown() -> None:
            print("shown", flush=True)
            app.quit()

        QTimer.singleShot(0, report_shown)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
