"""Run the benchmark suite: print a table and write ``benchmarks/results/latest.json``.

    .venv/bin/python benchmarks/run.py [--only startup,drafts,window,send,hostile,pictures]
                                       [--runs 7] [--no-frozen] [--output FILE] [--strict]
                                       [--domains 1000] [--big-domains 4000]

``python3 -m desktop_app.bootstrap bench`` sets up ``.venv`` and runs this.
The drafts (1,000 and 4,000 domains × 5 mailboxes: 5,000 and 20,000 distinct
avatars) are made on the first run and cached under ``benchmarks/results/data``;
the onedir bundles are built when missing or older than their sources.  The
draft figures are measured at both sizes, with how each grew between them.  Exit status: 0
when every benchmark ran, 2 when one could not (the table says which), and
with ``--strict`` 1 when a target was missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import data
from benchmarks.harness import BenchmarkError, Figure, bench_env
from benchmarks.report import format_table, write_json

GROUPS = ("startup", "drafts", "window", "send", "hostile", "pictures")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Order Desk's benchmarks, against baselines.")
    parser.add_argument("--only", default=",".join(GROUPS), help="comma-separated groups to run")
    parser.add_argument("--runs", type=int, default=7, help="starts of each program (default 7)")
    parser.add_argument("--send-runs", type=int, default=5, help="sends of each kind (default 5)")
    parser.add_argument("--no-frozen", action="store_true", help="skip the onedir bundles")
    parser.add_argument(
        "--reuse-bundles", action="store_true", help="use the bundles in dist/ even if stale"
    )
    parser.add_argument("--domains", type=int, default=1000)
    parser.add_argument(
        "--big-domains", type=int, default=4000, help="the second size (0: only the first)"
    )
    parser.add_argument("--per-domain", type=int, default=5)
    parser.add_argument("--output", type=Path, default=data.RESULTS / "latest.json")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = set(args.groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group {', '.join(sorted(unknown))}; choose from {', '.join(GROUPS)}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    figures: list[Figure] = []
    errors: list[str] = []
    began = time.perf_counter()
    say = lambda text: print(f"[bench] {text}", flush=True)  # noqa: E731
    say(f"draft: {args.domains} domains × {args.per_domain} mailboxes, distinct avatars")
    draft = data.ensure_draft(args.domains, args.per_domain)
    sizes = [(args.domains * args.per_domain, draft)]
    if args.big_domains and ({"drafts", "window"} & set(args.groups)):
        say(f"draft: {args.big_domains} domains × {args.per_domain} mailboxes, distinct avatars")
        big = data.ensure_draft(args.big_domains, args.per_domain)
        sizes.append((args.big_domains * args.per_domain, big))
    with tempfile.TemporaryDirectory(prefix="order-desk-bench-") as temporary:
        work = Path(temporary)
        env = bench_env(work / "home")
        (work / "home").mkdir()
        steps = {
            "startup": lambda: _startup(args, errors),
            "drafts": lambda: _drafts(sizes, work, env),
            "window": lambda: _window(sizes, env),
            "send": lambda: _send(draft, work, env, args.send_runs),
            "hostile": lambda: _hostile(work, env),
            "pictures": lambda: _pictures(env),
        }
        for group in args.groups:
            say(f"{group} ...")
            try:
                figures += steps[group]()
            except (BenchmarkError, OSError, ValueError, KeyError) as exc:
                errors.append(f"{group}: {exc}")
                say(f"{group} could not run: {exc}")
    print()
    print(format_table(figures))
    if "startup" in args.groups and args.no_frozen:
        print("\nnot measured (--no-frozen): start-up of the onedir bundle and its size")
    for error in errors:
        print(f"\nnot measured: {error}")
    write_json(figures, args.output, errors, draft=draft.name, seconds=time.perf_counter() - began)
    print(f"\nwrote {args.output}")
    if errors:
        return 2
    if args.strict and any(f.met is False for f in figures):
        return 1
    return 0


def _startup(args: argparse.Namespace, errors: list[str]) -> list[Figure]:
    from benchmarks.startup import startup_figures

    figures, problems = startup_figures(
        args.runs, not args.no_frozen, data.RESULTS, args.reuse_bundles
    )
    errors.extend(f"startup: {p}" for p in problems)
    return figures


def _drafts(sizes: list[tuple[int, Path]], work: Path, env: dict[str, str]) -> list[Figure]:
    from benchmarks.drafts_bench import core_figures

    return _at_each_size(sizes, lambda count, draft: core_figures(draft, work, env, count))


def _window(sizes: list[tuple[int, Path]], env: dict[str, str]) -> list[Figure]:
    from benchmarks.drafts_bench import window_figures

    return _at_each_size(sizes, lambda count, draft: window_figures(draft, env, count)[0])


def _at_each_size(
    sizes: list[tuple[int, Path]], measure: Callable[[int, Path], list[Figure]]
) -> list[Figure]:
    """The figures at each size, then how each grew from the first size to the last."""
    from benchmarks.drafts_bench import scaling_figures

    measured = [measure(count, draft) for count, draft in sizes]
    figures = [figure for figures in measured for figure in figures]
    if len(sizes) > 1:
        figures += scaling_figures(measured[0], measured[-1], (sizes[0][0], sizes[-1][0]))
    return figures


def _send(draft: Path, work: Path, env: dict[str, str], runs: int) -> list[Figure]:
    from benchmarks.send_bench import send_figures

    return send_figures(draft, work / "send", env, runs)


def _hostile(work: Path, env: dict[str, str]) -> list[Figure]:
    from benchmarks.hostile_bench import hostile_figures

    return hostile_figures(work / "hostile", env)


def _pictures(env: dict[str, str]) -> list[Figure]:
    from benchmarks.pictures_bench import pictures_figures

    return pictures_figures(data.RESULTS / "data", env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
