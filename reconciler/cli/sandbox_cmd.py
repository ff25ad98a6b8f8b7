"""``camp sandbox``: run the local emulator of all three vendor APIs (shared/api/sandbox.md).

The server announces a ready-to-paste camp.yaml accounts block; the command gives its accounts
the keys the examples and the repository's camp.yaml use (``cold``, ``news``, ``dm``) and their
``prune_prefix``, so the block pastes over camp.yaml and the example campaigns just work.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import TextIO, cast

import click

from reconciler.sandbox.faults import FaultConfig
from reconciler.sandbox.server import serve

PROBABILITY = click.FloatRange(0.0, 1.0)
# The account keys of the examples (camp.yaml at the repository root, campaigns/, README).
ACCOUNT_KEYS = {"coldsend": "cold", "easymail": "news", "inbox": "dm"}
PRUNE_PREFIX = '"[camp] "'
_ACCOUNT_LINE = re.compile(r"^  (?P<vendor>[A-Za-z0-9_-]+):$")
_KEY_ENV_LINE = re.compile(r"^    api_key_env: \S+$")


def example_accounts(block: str) -> str:
    """The server's accounts block with the examples' account keys and a prune prefix."""
    lines = []
    for line in block.split("\n"):
        match = _ACCOUNT_LINE.match(line)
        if match:
            line = f"  {ACCOUNT_KEYS.get(match['vendor'], match['vendor'])}:"
        lines.append(line)
        if _KEY_ENV_LINE.match(line):
            lines.append(f"    prune_prefix: {PRUNE_PREFIX}")
    return "\n".join(lines)


class _ExampleAccounts(io.TextIOBase):
    """The stream the server announces on: each flushed announcement is rewritten, then
    passed on whole (the first line, the address, stays first: tests read it)."""

    def __init__(self, target: TextIO) -> None:
        self._target = target
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target.write(example_accounts(self._pending))
            self._pending = ""
        self._target.flush()


@click.command(name="sandbox")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8700,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite file for the state (default: in memory).",
)
@click.option("--seed", is_flag=True, help="Load the seed data (wipes an existing --db).")
@click.option(
    "--latency-ms", type=click.IntRange(min=0), default=0, help="Added latency per request."
)
@click.option(
    "--fault-rate", type=PROBABILITY, default=0.0, help="Share of requests answered 500/503."
)
@click.option(
    "--rate-limit",
    type=click.IntRange(min=0),
    default=None,
    help="Requests per minute per vendor, answered 429 beyond (0 or unset: unthrottled).",
)
@click.option(
    "--drop-rate",
    type=PROBABILITY,
    default=0.0,
    help="Share of requests processed but answered by closing the connection.",
)
@click.option("--fault-seed", type=int, default=None, help="Seed of the fault dice (reproducible).")
@click.option(
    "--api-key", default="sandbox-key", show_default=True, help="The key every vendor accepts."
)
def sandbox_command(
    host: str,
    port: int,
    db_path: Path | None,
    seed: bool,
    latency_ms: int,
    fault_rate: float,
    rate_limit: int | None,
    drop_rate: float,
    fault_seed: int | None,
    api_key: str,
) -> None:
    """Run the local emulator of the ColdSend, easymail and Inbox APIs.

    Prints its address and a ready camp.yaml accounts block; stops on Ctrl-C or SIGTERM.
    """
    faults = FaultConfig(latency_ms, fault_rate, rate_limit, drop_rate, fault_seed)
    out = cast(TextIO, _ExampleAccounts(sys.stdout))  # the server only writes and flushes
    code = serve(
        host=host, port=port, db_path=db_path, seed=seed, faults=faults, api_key=api_key, out=out
    )
    out.flush()
    raise SystemExit(code)
