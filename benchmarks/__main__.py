"""``python -m benchmarks``: run the performance benchmarks of issue 8 and check their targets.

Exit status 1 when any target is missed (0 with ``--no-fail``), 2 when a benchmark could not
run. See README ("Performance") and benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks import report
from benchmarks.bench_http import HttpOptions, bench_apply, bench_plan
from benchmarks.bench_local import bench_leads, bench_validate
from benchmarks.bench_window import bench_window
from benchmarks.harness import ROOT, Section, load_average, warm_up

NAMES = ("plan", "apply", "validate", "leads", "window")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--only",
        action="append",
        choices=NAMES,
        help="run only this benchmark (repeatable); default: all five",
    )
    parser.add_argument("--no-fail", action="store_true", help="report only: exit 0 on a miss")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of plan and apply (median reported)"
    )
    parser.add_argument(
        "--record", action="store_true", help="write the results into benchmarks/RESULTS.md"
    )
    parser.add_argument(
        "--busy-mix",
        action="store_true",
        help="also schedule/activate a quarter of the easymail/Inbox campaigns "
        "(the sandbox then spends more than the latency on its background model)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a tenth of every size: checks the harness only"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    selected = args.only or list(NAMES)
    scale = 10 if args.quick else 1
    http = HttpOptions(
        plan_campaigns=1000 // scale,
        apply_campaigns=200 // scale,
        window_campaigns=70 // scale,
        repeat=args.repeat,
        busy=args.busy_mix,
    )
    jobs: dict[str, Callable[[Path], Section]] = {
        "plan": lambda work: bench_plan(work, http),
        "apply": lambda work: bench_apply(work, http),
        "validate": lambda work: bench_validate(work, 1000 // scale),
        "leads": lambda work: bench_leads(work, 100_000 // scale, 90_000 // scale, 80_000 // scale),
        "window": lambda work: bench_window(work, http.window_campaigns),
    }
    notes = [f"Load average at start: {load_average()}."]
    sections: list[Section] = []
    failed: list[str] = []
    started = time.perf_counter()
    warm_up()
    with tempfile.TemporaryDirectory(prefix="camp-bench-") as tmp:
        for name in NAMES:
            if name not in selected:
                continue
            print(f"running {name} …", file=sys.stderr, flush=True)
            try:
                sections.append(jobs[name](Path(tmp)))
            except Exception:  # report it and go on with the other benchmarks
                failed.append(name)
                traceback.print_exc()
    notes.append(
        f"Load average at end: {load_average()}; total {time.perf_counter() - started:.0f} s."
    )
    if args.quick:
        notes.append("--quick: sizes divided by 10, so the targets do not apply.")
    print(report.text(sections))
    print()
    print(" ".join(notes))
    command = "python -m benchmarks " + shlex.join(sys.argv[1:] if argv is None else argv)
    if args.record:
        block = report.markdown(sections, command=command.strip(), notes=notes)
        report.record(ROOT / "benchmarks" / "RESULTS.md", block)
    missed = [f.name for s in sections for f in s.figures if not f.ok]
    if failed:
        print(f"could not run: {', '.join(failed)}", file=sys.stderr)
        return 2
    if missed and not args.quick:
        print(f"targets missed: {'; '.join(missed)}", file=sys.stderr)
        return 0 if args.no_fail else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
