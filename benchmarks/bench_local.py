"""Benchmarks 3 and 4, offline: `camp validate` of 1,000 files and a 100,000-row leads delta."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import workload
from benchmarks.harness import ROOT, Figure, Section, camp, camp_yaml, expect, median, startup
from benchmarks.leads_worker import lead_email

REPEAT = 3  # cheap: median of three runs


def bench_validate(work: Path, files: int) -> Section:
    section = Section(f"3. camp validate of {files} campaign files")
    repo = work / "validate"
    repo.mkdir()
    (repo / "camp.yaml").write_text(camp_yaml("http://127.0.0.1:9"), encoding="utf-8")
    workload.write(repo, workload.campaigns(files))
    runs = [expect(camp(repo, "validate"), 0) for _ in range(REPEAT)]
    walls = [run.wall for run in runs]
    run = runs[walls.index(median(walls))]
    base = startup(repo, "validate")
    loading = run.wall - base.wall
    section.figures += [
        Figure("validate wall time", run.wall, 1.0, "s", "budget", 1.0),
        Figure("validate wall per file", run.wall / files * 1000, 1.0, "ms", "budget", None),
    ]
    section.details += [
        f"`camp validate` on {files} files (the benchmark-1 campaigns, one per file): "
        f"{run.stdout.strip().splitlines()[-1]}",
        f"runs (wall s): {', '.join(f'{w:.2f}' for w in walls)}; camp CPU {run.cpu:.2f} s",
        f"of which interpreter start + the command's imports (`camp validate --help`, best "
        f"of 3): "
        f"{base.wall:.2f} s; loading and checking: {loading:.2f} s = "
        f"{loading / files * 1000:.2f} ms per file",
    ]
    return section


def write_leads_csv(path: Path, rows: int) -> None:
    """``rows`` leads with the standard columns and one custom column; some emails upper-case."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["email", "first_name", "last_name", "company", "job_title", "city"])
        for i in range(rows):
            email = lead_email(i)
            if i % 7 == 0:
                email = email.capitalize()
            company = f"Company {i % 500}"
            writer.writerow([email, f"First{i}", f"Last{i}", company, "Head of Growth", "Berlin"])


def _worker(csv_path: Path, live: int, overlap: int, *, trace: bool) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "benchmarks.leads_worker",
        str(csv_path),
        "--live",
        str(live),
        "--overlap",
        str(overlap),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [*command, *(["--trace"] if trace else [])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def bench_leads(work: Path, rows: int, live: int, overlap: int) -> Section:
    section = Section(f"4. leads delta: {rows:,}-row CSV against {live:,} live leads")
    csv_path = work / "leads.csv"
    started = time.perf_counter()
    write_leads_csv(csv_path, rows)
    generated = time.perf_counter() - started
    runs = [_worker(csv_path, live, overlap, trace=False) for _ in range(REPEAT)]
    totals = [r["total_s"] for r in runs]
    result = runs[totals.index(median(totals))]
    traced = _worker(csv_path, live, overlap, trace=True)
    peak_mb = max(r["rss_peak_kb"] for r in runs) / 1024
    section.figures += [
        Figure("CSV read + leads_delta", result["total_s"], 2.0, "s", "budget", 1.0),
        Figure("peak RSS of the process", peak_mb, 200.0, "MB", "budget", 1.0),
    ]
    size_mb = csv_path.stat().st_size / 1_000_000
    section.details += [
        f"CSV: {rows:,} rows, 6 columns, {size_mb:.1f} MB (written in {generated:.1f} s, not "
        f"timed); live: {live:,} lower-cased emails built in memory in the measuring process "
        f"({overlap:,} also in the CSV, {live - overlap:,} live only) — nothing uploaded over "
        "HTTP",
        f"result: {result['rows']:,} leads accepted, {result['new']:,} new, "
        f"{result['present']:,} already live, {result['live_only']:,} live only",
        f"time (median of {REPEAT}, fresh process each): read_leads {result['read_s']:.2f} s + "
        f"leads_delta {result['delta_s']:.2f} s; runs: " + ", ".join(f"{t:.2f}" for t in totals),
        f"RSS before the timed part (interpreter, imports, live set): "
        f"{result['rss_before_kb'] / 1024:.0f} MB; peak {peak_mb:.0f} MB; tracemalloc peak of "
        f"the timed part alone: {traced['traced_peak_bytes'] / 1_000_000:.0f} MB",
    ]
    return section
