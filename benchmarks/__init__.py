"""Order Desk's benchmark suite: the figures that matter on big orders, against baselines.

Run it with ``python3 -m desktop_app.bootstrap bench`` (or ``.venv/bin/python
benchmarks/run.py`` once set up).  Every figure is measured beside a baseline
doing comparable work in the same run, so the ratios stay honest on a noisy
machine.  Timings live here, never in the unit tests.
"""
