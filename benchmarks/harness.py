"""What every benchmark needs: a sandbox subprocess, a repository folder, and `camp` to run in it.

Everything here talks to 127.0.0.1 only. ``Sandbox`` is a context manager that always stops
the process it started (SIGTERM, then SIGKILL after a timeout), also when a benchmark fails.
``Figure`` is one measured number next to its reference (the ideal, the minimum or a budget).
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import select
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
KEY = "sandbox-key"
ENV_KEYS = {"COLDSEND_API_KEY": KEY, "EASYMAIL_API_KEY": KEY, "INBOX_API_KEY": KEY}
LATENCY_MS = 50
PARALLELISM = 8
COMMAND_TIMEOUT = 300.0  # no single camp run may take longer than this
_LISTENING = re.compile(r"camp sandbox listening on (http://127\.0\.0\.1:\d+)")


@dataclass(frozen=True)
class Figure:
    """A measured value, its reference and the largest acceptable ratio between them.

    ``reference_kind`` says what the reference is: ``ideal`` (a lower bound from latency),
    ``minimum`` (calls that cannot be avoided) or ``budget`` (an absolute target). A
    reference of 0 means the value itself must be 0.
    """

    name: str
    value: float
    reference: float
    unit: str
    reference_kind: str
    max_ratio: float | None  # None: reported for context, no target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if self.reference == 0 else self.value / self.reference

    @property
    def ok(self) -> bool:
        if self.max_ratio is None:
            return True
        ratio = self.ratio
        return self.value <= 0 if ratio is None else ratio <= self.max_ratio


@dataclass
class Section:
    """One benchmark's figures plus free-form lines explaining how they were counted."""

    title: str
    figures: list[Figure] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


class Sandbox:
    """``python -m reconciler.sandbox.server`` on a free loopback port, with the seed data."""

    def __init__(self, *extra: str, timeout: float = 20.0) -> None:
        command = [
            sys.executable,
            "-m",
            "reconciler.sandbox.server",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--seed",
            *extra,
        ]
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=self._stderr
        )
        try:
            self.base_url = _listening_url(self.process, timeout)
        except BaseException:
            self.stop()
            raise
        self.admin = httpx.Client(base_url=self.base_url + "/_sandbox", timeout=60.0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()
        admin = getattr(self, "admin", None)
        if admin is not None:
            admin.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- admin endpoints (never delayed, faulted or logged) --------------------------------

    def reset(self) -> None:
        self.admin.post("/reset").raise_for_status()

    def set_latency(self, latency_ms: int, *, rate_limit: int | None = None) -> None:
        """Latency per request and a per-vendor budget per minute (None: unthrottled); a
        new budget starts fresh windows."""
        faults = {"latency_ms": latency_ms, "error_rate": 0, "drop_rate": 0}
        self.admin.post(
            "/faults", json={**faults, "rate_limit_per_minute": rate_limit}
        ).raise_for_status()

    def advance_clock(self, seconds: float) -> None:
        """Run the background progressions (e.g. Inbox's syncingLeads) to a settled state."""
        self.admin.post("/clock", json={"advance_seconds": seconds}).raise_for_status()

    def cpu_seconds(self) -> float:
        """User + system CPU the sandbox process has used so far (Linux /proc)."""
        return process_cpu(self.process.pid)

    def clear_log(self) -> None:
        self.admin.delete("/requests").raise_for_status()

    def log(self) -> list[dict[str, Any]]:
        response = self.admin.get("/requests")
        response.raise_for_status()
        entries: list[dict[str, Any]] = response.json()
        return entries


def _listening_url(process: subprocess.Popen[bytes], timeout: float) -> str:
    assert process.stdout is not None
    fd, data = process.stdout.fileno(), b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise RuntimeError("the sandbox did not start in time")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise RuntimeError("the sandbox exited before listening")
        data += chunk
    match = _LISTENING.match(data.decode().splitlines()[0])
    if not match:
        raise RuntimeError(f"unexpected sandbox output: {data!r}")
    return match.group(1)


def camp_yaml(base_url: str) -> str:
    """Accounts for the three vendors of one sandbox (no guards: the plan must not block)."""
    return textwrap.dedent(
        f"""\
        accounts:
          cold:
            provider: coldsend
            base_url: {base_url}/coldsend/api/public/v1
            api_key_env: COLDSEND_API_KEY
          news:
            provider: easymail
            base_url: {base_url}/easymail/api/v1
            api_key_env: EASYMAIL_API_KEY
          dm:
            provider: inbox
            base_url: {base_url}/inbox/api/v1
            api_key_env: INBOX_API_KEY
        """
    )


def process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Run:
    """One finished `camp` command: wall time and the CPU time it used (user + system)."""

    args: tuple[str, ...]
    code: int
    wall: float
    cpu: float
    stdout: str
    stderr: str


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo`` (a commit needs no configured identity)."""
    identity = ["-c", "user.name=camp benchmarks", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


# What an installed camp imports (pip compiles it to bytecode at install time).
WARM_IMPORTS = (
    "reconciler.cli.plan_cmd",
    "reconciler.cli.apply_cmd",
    "reconciler.cli.validate_cmd",
    "reconciler.providers.coldsend.provider",
    "reconciler.providers.easymail.provider",
    "reconciler.providers.inbox.provider",
)


def _camp_env() -> dict[str, str]:
    """The user's environment, with bytecode caching on: an environment that turns it off
    (``PYTHONDONTWRITEBYTECODE``) would make every run compile its imports again, ~0.6 s."""
    env = {**os.environ, **ENV_KEYS, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up() -> None:
    """Import once what the runs import, so that none of them pays for compiling it."""
    code = "; ".join(f"import {module}" for module in WARM_IMPORTS)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_camp_env(), check=True)


def camp(repo: Path, *args: str, timeout: float = COMMAND_TIMEOUT) -> Run:
    """Run ``python -m reconciler ARGS`` in ``repo`` as a user would, timing the whole command."""
    env = _camp_env()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(tuple(args), done.returncode, wall, cpu, done.stdout, done.stderr)


def expect(run: Run, *codes: int) -> Run:
    if run.code not in codes:
        tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-15:])
        raise RuntimeError(f"camp {' '.join(run.args)} exited {run.code}:\n{tail}")
    return run


def startup(repo: Path, command: str) -> Run:
    """`camp COMMAND --help`, best of 3: interpreter start and the imports of that command
    (the CLI imports a command's modules only when it is named, so bare `camp --help` pays
    for none of them)."""
    runs = [expect(camp(repo, command, "--help", timeout=60), 0) for _ in range(3)]
    return min(runs, key=lambda run: run.wall)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def call_counts(log: list[dict[str, Any]]) -> Counter[str]:
    """Vendor requests by ``vendor METHOD path-shape`` (ids replaced by ``{id}``)."""
    shapes: Counter[str] = Counter()
    for entry in log:
        shapes[f"{entry['vendor']} {entry['method']} {_shape(entry['path'])}"] += 1
    return shapes


def writes(log: list[dict[str, Any]]) -> int:
    return sum(1 for entry in log if entry["method"] not in ("GET", "HEAD"))


_ID = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-z]{20,})(?=/|$)")


def _shape(path: str) -> str:
    return _ID.sub("/{id}", path)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


_AUTH = {
    "coldsend": {"X-API-Key": KEY},
    "easymail": {"Authorization": f"Bearer {KEY}"},
    "inbox": {"Authorization": f"Bearer {KEY}"},
}


def replay(base_url: str, log: list[dict[str, Any]], concurrency: int) -> float:
    """Send the logged GETs again from a bare httpx client, ``concurrency`` at a time.

    The wall time is what this sandbox allows for that many reads when nothing but HTTP runs
    on the client (no ordering between them, no planning): the practical floor for camp.
    """
    gets = [(e["vendor"], e["path"]) for e in log if e["method"] == "GET"]

    async def run() -> float:
        limits = httpx.Limits(max_connections=concurrency * 2)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60.0) as client:
            queue = iter(gets)

            async def worker() -> None:
                for vendor, path in queue:
                    response = await client.get(path, headers=_AUTH[vendor])
                    response.raise_for_status()

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return time.perf_counter() - started

    return asyncio.run(run())
