"""Benchmarks 1 and 2: `camp plan` of 1,000 live campaigns and `camp apply` creating 200.

Both run the real command line against the sandbox at 50 ms latency per request, loopback
only. The ideal is latency-bound: ``calls ÷ parallelism × 50 ms``. The request log of the
sandbox counts the calls. A raw replay of the plan's reads (bare httpx, same concurrency)
shows what the sandbox itself allows, so camp's own overhead can be told from the
emulator's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import workload
from benchmarks.harness import (
    LATENCY_MS,
    PARALLELISM,
    Figure,
    Run,
    Sandbox,
    Section,
    call_counts,
    camp,
    camp_yaml,
    expect,
    git,
    load_average,
    median,
    replay,
    startup,
    writes,
)

PAGE = 100  # campaigns per list page camp asks for (every vendor)
# Lookups of names → ids, once per account per run: ColdSend sender accounts; easymail sender
# identities, lists, segments; Inbox account links, lists (each fits one page here).
REFERENCE_CALLS = {"coldsend": 1, "easymail": 3, "inbox": 2}
# Reads per campaign a plan cannot do without: ColdSend the campaign and its one page of
# leads (the YAML manages leads); easymail the campaign; Inbox none (its list items are whole
# campaigns, inbox.md).
READS_PER_CAMPAIGN = {"coldsend": 2, "easymail": 1, "inbox": 0}
# What a saved plan's freshness check reads per campaign (no leads: a fingerprint only).
FINGERPRINT_READS = {"coldsend": 1, "easymail": 1, "inbox": 0}
SECONDS_PER_CALL = LATENCY_MS / 1000
CHANGED_INDEX = 501  # the campaign the pull request edits (ColdSend, halfway through loading)
VALIDATE_RUNS = 3


@dataclass(frozen=True)
class HttpOptions:
    plan_campaigns: int = 1000
    apply_campaigns: int = 200
    window_campaigns: int = 70
    repeat: int = 1
    busy: bool = False


def _pages(count: int) -> int:
    return max(1, math.ceil(count / PAGE))


def plan_minimum(items: Sequence[workload.Campaign]) -> tuple[int, list[str]]:
    """Calls a plan cannot do without, and how they were counted."""
    total, lines = 0, []
    for kind in workload.KINDS:
        n = sum(1 for c in items if c.kind == kind)
        if not n:
            continue
        pages, refs, reads = _pages(n), REFERENCE_CALLS[kind], n * READS_PER_CAMPAIGN[kind]
        total += pages + refs + reads
        lines.append(f"{kind}: {pages} list pages + {refs} reference lookups + {reads} reads")
    return total, lines


def _plan_run(sandbox: Sandbox, repo: Path) -> tuple[Run, list[dict[str, object]], float]:
    sandbox.clear_log()
    cpu_before = sandbox.cpu_seconds()
    run = expect(camp(repo, "plan", "--parallelism", str(PARALLELISM), "--detailed-exitcode"), 0)
    sandbox_cpu = sandbox.cpu_seconds() - cpu_before
    return run, sandbox.log(), sandbox_cpu


def _validate_wall(repo: Path) -> float:
    """The offline part of a plan: interpreter, imports, loading and checking every file."""
    return median([expect(camp(repo, "validate"), 0).wall for _ in range(VALIDATE_RUNS)])


def bench_plan(work: Path, options: HttpOptions) -> Section:
    section = Section(f"1. camp plan of {options.plan_campaigns} live campaigns (mixed kinds)")
    repo = work / "plan"
    repo.mkdir()
    items = workload.campaigns(options.plan_campaigns, busy=options.busy, leads=True)
    workload.write(repo, items)
    with Sandbox() as sandbox:
        (repo / "camp.yaml").write_text(camp_yaml(sandbox.base_url), encoding="utf-8")
        sandbox.set_latency(0)
        workload.seed(sandbox.base_url, items)
        sandbox.advance_clock(600)  # lead uploads done, Inbox's syncingLeads settled
        sandbox.set_latency(LATENCY_MS)
        load = load_average()
        validate = _validate_wall(repo)
        starts = {command: startup(repo, command).wall for command in ("plan", "validate")}
        runs = [_plan_run(sandbox, repo) for _ in range(options.repeat)]
        walls = [run.wall for run, _, _ in runs]
        run, log, sandbox_cpu = runs[walls.index(median(walls))]
        floor = replay(sandbox.base_url, log, PARALLELISM)
        sandbox.clear_log()
        noop = expect(camp(repo, "apply", "--auto-approve", "--parallelism", str(PARALLELISM)), 0)
        noop_log = sandbox.log()
        changed = _changed_since(sandbox, repo, items)

    minimum, how = plan_minimum(items)
    ideal = minimum / PARALLELISM * SECONDS_PER_CALL
    section.figures += [
        Figure("plan HTTP calls", len(log), minimum, "calls", "minimum", 1.0),
        Figure("plan wall − validate wall", run.wall - validate, ideal, "s", "ideal", 1.15),
        Figure("plan wall time", run.wall, ideal, "s", "ideal", None),
        Figure("no-op apply: write calls", writes(noop_log), 0, "calls", "minimum", 0),
        Figure("plan wall vs raw replay of its reads", run.wall, floor, "s", "replay", None),
        *changed.figures,
    ]
    counts = call_counts(log)
    section.details += [
        f"ideal = {minimum} calls ÷ {PARALLELISM} (--parallelism) × {LATENCY_MS} ms "
        f"= {ideal:.2f} s; minimum = " + "; ".join(how),
        "measured calls by endpoint: "
        + ", ".join(f"{shape} ×{n}" for shape, n in sorted(counts.items())),
        f"runs (wall s): {', '.join(f'{w:.2f}' for w in walls)}; median reported; camp CPU "
        f"{run.cpu:.2f} s, sandbox CPU {sandbox_cpu:.2f} s during the run; load average "
        f"before: {load}",
        f"validate wall (`camp validate` of the same files, median of {VALIDATE_RUNS}): "
        f"{validate:.2f} s: the offline part, which the live reads overlap (list pages and "
        "look-ups start while the files load)",
        f"start-up (`camp COMMAND --help`, best of 3: interpreter and the command's imports): "
        f"plan {starts['plan']:.2f} s, validate {starts['validate']:.2f} s; the plan's own "
        f"imports ({starts['plan'] - starts['validate']:.2f} s) count in its live part",
        f"raw replay: the same {len(log)} GETs from a bare httpx client, {PARALLELISM} at a "
        f"time, took {floor:.2f} s = {floor / ideal:.2f}× the ideal: what this sandbox "
        "allows before any camp overhead",
        f"no-op apply (`camp apply --auto-approve` on the same {len(items):,}): exit 0, "
        f"{len(noop_log)} requests, {writes(noop_log)} writes, {noop.wall:.2f} s",
        "mix: " + _mix(items),
        *changed.details,
    ]
    return section


def _changed_since(sandbox: Sandbox, repo: Path, items: Sequence[workload.Campaign]) -> Section:
    """A pull request editing one campaign: `camp plan --changed-since` its base."""
    out = Section("changed-since")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "seeded campaigns")
    target = items[CHANGED_INDEX % len(items)]
    workload.write(repo, [workload.edited(target)])
    sandbox.clear_log()
    run = expect(
        camp(repo, "plan", "--changed-since", "HEAD", "--parallelism", str(PARALLELISM)), 0
    )
    log = sandbox.log()
    git(repo, "checkout", "-q", "--", ".")
    n = sum(1 for c in items if c.kind == target.kind)
    bound = _pages(n) + REFERENCE_CALLS[target.kind] + 3
    out.figures += [
        Figure(
            "--changed-since plan (1 campaign edited): calls",
            len(log),
            bound,
            "calls",
            "budget",
            1.0,
        ),
        Figure("--changed-since plan (1 campaign edited): wall", run.wall, 1.5, "s", "budget", 1.0),
    ]
    out.details += [
        f"--changed-since HEAD with one {target.kind} campaign ({target.file_name}) edited "
        f"in a git repository of all {len(items):,} files: bound = {_pages(n)} list pages + "
        f"{REFERENCE_CALLS[target.kind]} look-ups + 3; measured: "
        + ", ".join(f"{shape} ×{k}" for shape, k in sorted(call_counts(log).items()))
        + f"; {run.wall:.2f} s (all {len(items):,} files still load and validate); first "
        f"line: {run.stdout.splitlines()[0][:100]}…",
    ]
    return out


def _mix(items: Sequence[workload.Campaign]) -> str:
    parts = []
    for kind in workload.KINDS:
        states: dict[str, int] = {}
        for c in items:
            if c.kind == kind:
                state = next(
                    (
                        line.split(": ", 1)[1].strip('"')
                        for line in c.yaml.splitlines()
                        if line.startswith("state: ")
                    ),
                    "unmanaged",
                )
                states[state] = states.get(state, 0) + 1
        parts.append(f"{kind} " + "/".join(f"{n} {s}" for s, n in sorted(states.items())))
    return "; ".join(parts)


def bench_apply(work: Path, options: HttpOptions) -> Section:
    n = options.apply_campaigns
    section = Section(f"2. camp apply creating {n} campaigns (mixed kinds, --parallelism 8)")
    repo = work / "apply"
    repo.mkdir()
    items = workload.campaigns(n, prefix="[apply]", busy=options.busy)
    workload.write(repo, items)
    walls: list[float] = []
    with Sandbox() as sandbox:
        (repo / "camp.yaml").write_text(camp_yaml(sandbox.base_url), encoding="utf-8")
        for _ in range(options.repeat):
            sandbox.reset()
            sandbox.set_latency(LATENCY_MS)
            sandbox.clear_log()
            cpu_before = sandbox.cpu_seconds()
            run = expect(
                camp(repo, "apply", "--auto-approve", "--parallelism", str(PARALLELISM)), 0
            )
            sandbox_cpu = sandbox.cpu_seconds() - cpu_before
            log = sandbox.log()
            walls.append(run.wall)
        sandbox.set_latency(0)
        verify = expect(camp(repo, "plan", "--detailed-exitcode"), 0)
        saved_log, saved = _apply_saved(sandbox, repo, items)

    create_calls = sum(c.create_calls for c in items)
    plan_calls = sum(1 + REFERENCE_CALLS[kind] for kind in workload.KINDS)
    fingerprints = sum(FINGERPRINT_READS[c.kind] for c in items)
    critical = max(1 + refs for refs in REFERENCE_CALLS.values())
    ideal = (critical + create_calls / PARALLELISM) * SECONDS_PER_CALL
    wall = median(walls)
    per_kind = {
        kind: next(c.create_calls for c in items if c.kind == kind) for kind in workload.KINDS
    }
    section.figures += [
        Figure("apply wall time", wall, ideal, "s", "ideal", 1.5),
        Figure("apply HTTP calls", len(log), plan_calls + create_calls, "calls", "minimum", None),
        Figure(
            f"apply of a saved plan ({n} updates): HTTP calls",
            len(saved_log),
            plan_calls + fingerprints + writes(saved_log),
            "calls",
            "minimum",
            1.05,
        ),
    ]
    section.details += [
        "sequential calls per new campaign: "
        + ", ".join(f"{kind} {k}" for kind, k in per_kind.items())
        + " (ColdSend POST + PUT inboxes/variants/sequences; easymail one POST with every "
        "field; Inbox POST with links/rules/timezone, PATCH the rest, PUT the sequence)",
        f"ideal = plan phase, whose longest chain is {critical} sequential calls (easymail: "
        f"list, then identities, lists, segments) + {create_calls} create calls ÷ "
        f"{PARALLELISM} campaigns at a time, × {LATENCY_MS} ms = {ideal:.2f} s",
        f"minimum calls = {plan_calls} (plan: one empty list page + lookups per account) + "
        f"{create_calls} creates; measured by endpoint: "
        + ", ".join(f"{shape} ×{k}" for shape, k in sorted(call_counts(log).items())),
        f"runs (wall s): {', '.join(f'{w:.2f}' for w in walls)}; camp CPU {run.cpu:.2f} s, "
        f"sandbox CPU {sandbox_cpu:.2f} s (last run); a fresh plan afterwards is empty "
        f"(exit {verify.code})",
        f"saved plan: one field of each of the {n} campaigns edited, `camp plan --out`, then "
        f"`camp apply plan.json` ({saved.wall:.2f} s at 0 ms latency): minimum = {plan_calls} "
        f"(list pages + lookups) + {fingerprints} GETs (fingerprint check; Inbox's list items "
        f"are whole campaigns) + {writes(saved_log)} writes; "
        "measured: "
        + ", ".join(f"{shape} ×{k}" for shape, k in sorted(call_counts(saved_log).items())),
    ]
    return section


def _apply_saved(
    sandbox: Sandbox, repo: Path, items: Sequence[workload.Campaign]
) -> tuple[list[dict[str, object]], Run]:
    """Edit every campaign, save a plan, and count the calls of applying that file."""
    workload.write(repo, [workload.edited(c) for c in items])
    expect(camp(repo, "plan", "--out", "plan.json"), 0)
    sandbox.clear_log()
    run = expect(camp(repo, "apply", "plan.json", "--parallelism", str(PARALLELISM)), 0)
    return sandbox.log(), run
