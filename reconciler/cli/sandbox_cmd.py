"""``camp sandbox``: run the local emulator of all three vendor APIs (shared/api/sandbox.md)."""

from __future__ import annotations

from pathlib import Path

import click

from reconciler.sandbox.faults import FaultConfig
from reconciler.sandbox.server import serve

PROBABILITY = click.FloatRange(0.0, 1.0)


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
    faults = FaultConfig(
        latency_ms=latency_ms,
        error_rate=fault_rate,
        rate_limit_per_minute=rate_limit,
        drop_rate=drop_rate,
        seed=fault_seed,
    )
    code = serve(host=host, port=port, db_path=db_path, seed=seed, faults=faults, api_key=api_key)
    raise SystemExit(code)
