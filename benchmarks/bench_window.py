"""Benchmark 5: a plan that needs two rate-limit windows (70 ColdSend campaigns at 100/min).

ColdSend allows 100 requests a minute (coldsend.md). Seventy campaigns that manage leads cost
a list page, the sender accounts, and per campaign the campaign and a page of its leads: 142
calls, so the plan must wait for a second window. camp paces itself to the window the
vendor's headers describe, so it should take barely longer than the window allows and never
be answered 429. The ideal is window-bound: every full window it must wait for, plus the
calls of the last one at the latency bound.
"""

from __future__ import annotations

import math
from pathlib import Path

from benchmarks import workload
from benchmarks.harness import (
    LATENCY_MS,
    PARALLELISM,
    Figure,
    Sandbox,
    Section,
    call_counts,
    camp,
    camp_yaml,
    expect,
)

BUDGET_PER_MINUTE = 100  # ColdSend's documented limit, set on the sandbox (--rate-limit)
WINDOW_SECONDS = 60


def window_ideal(calls: int) -> tuple[float, int]:
    """Seconds the vendor's windows allow ``calls`` in at best, and how many windows."""
    windows = math.ceil(calls / BUDGET_PER_MINUTE)
    last = calls - (windows - 1) * BUDGET_PER_MINUTE
    return (windows - 1) * WINDOW_SECONDS + last / PARALLELISM * LATENCY_MS / 1000, windows


def bench_window(work: Path, count: int) -> Section:
    section = Section(
        f"5. camp plan of {count} ColdSend campaigns at a {BUDGET_PER_MINUTE}/minute budget"
    )
    repo = work / "window"
    repo.mkdir()
    items = workload.campaigns(count, prefix="[window]", leads=True, kinds=("coldsend",))
    workload.write(repo, items)
    with Sandbox() as sandbox:
        (repo / "camp.yaml").write_text(camp_yaml(sandbox.base_url), encoding="utf-8")
        sandbox.set_latency(0)
        workload.seed(sandbox.base_url, items)
        sandbox.advance_clock(600)  # the lead uploads are done
        sandbox.set_latency(LATENCY_MS, rate_limit=BUDGET_PER_MINUTE)  # fresh windows
        sandbox.clear_log()
        run = expect(camp(repo, "plan", "--detailed-exitcode"), 0)
        log = sandbox.log()
    limited = sum(1 for entry in log if entry["status"] == 429)
    ideal, windows = window_ideal(len(log))
    section.figures += [
        Figure("plan wall time", run.wall, ideal, "s", "ideal", 1.05),
        Figure("429 answers", limited, 0, "calls", "minimum", 0),
    ]
    notes = [line for line in run.stderr.splitlines() if line.startswith("note:")]
    section.details += [
        f"{len(log)} calls ({', '.join(f'{s} ×{n}' for s, n in sorted(call_counts(log).items()))})"
        f" need {windows} windows of {BUDGET_PER_MINUTE}: ideal = {windows - 1} × "
        f"{WINDOW_SECONDS} s + the last window's calls ÷ {PARALLELISM} × {LATENCY_MS} ms = "
        f"{ideal:.2f} s (start-up and loading not counted)",
        "camp said before reading: " + (" / ".join(notes) or "(nothing)"),
    ]
    return section
