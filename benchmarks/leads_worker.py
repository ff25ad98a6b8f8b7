"""Run in a fresh process: read a leads CSV and compute its delta against live leads in memory.

``python -m benchmarks.leads_worker CSV --live N --overlap K [--trace]`` prints one JSON line.
The live set (lower-cased emails, as ``live_lead_emails`` returns them) is built in memory:
``K`` of the CSV's emails plus ``N - K`` that only live has. Nothing is uploaded: 90,000
leads over HTTP would measure the sandbox, not the delta. Peak RSS is the whole process
(interpreter, imports, live set, CSV, delta); ``--trace`` adds tracemalloc's peak for the
timed part alone (tracing slows it down, so the time is taken from an untraced run).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import tracemalloc
from pathlib import Path

from reconciler.providers.coldsend.leads import leads_delta
from reconciler.providers.coldsend.leads_csv import read_leads


def lead_email(i: int) -> str:
    return f"lead{i}@company{i % 500}.example"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", type=Path)
    parser.add_argument("--live", type=int, required=True)
    parser.add_argument("--overlap", type=int, required=True)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()

    live = {lead_email(i) for i in range(args.overlap)}
    live |= {lead_email(10_000_000 + i) for i in range(args.live - args.overlap)}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.trace:
        tracemalloc.start()
    started = time.perf_counter()
    leads = read_leads(args.csv, display_path=args.csv.name)
    read_done = time.perf_counter()
    delta = leads_delta(leads, live)
    finished = time.perf_counter()
    traced_peak = tracemalloc.get_traced_memory()[1] if args.trace else None
    result = {
        "read_s": read_done - started,
        "delta_s": finished - read_done,
        "total_s": finished - started,
        "rss_before_kb": rss_before,
        "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "traced_peak_bytes": traced_peak,
        "rows": len(leads.rows),
        "errors": sum(1 for p in leads.problems if p.is_error),
        "new": len(delta.rows),
        "present": delta.present,
        "live_only": delta.live_only,
        "live": len(live),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
