"""Serve the sandbox over HTTP (uvicorn): ``camp sandbox``, ``python -m reconciler.sandbox.server``.

Startup prints ``camp sandbox listening on http://HOST:PORT`` (the real port, also when 0 asked
the OS to choose) and then a ready-to-paste ``camp.yaml`` accounts block; tests read that first
line to find the server. SIGINT and SIGTERM stop it cleanly with exit status 0.

To drop a connection after processing a request (``drop_rate``) the app needs the socket's
transport, which ASGI does not expose: :class:`SandboxH11Protocol` puts it into each request's
scope under ``scope["extensions"]["sandbox.transport"]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from reconciler.sandbox.app import DEFAULT_API_KEY, build_app
from reconciler.sandbox.faults import FaultConfig
from reconciler.sandbox.gateway import TRANSPORT_KEY
from reconciler.sandbox.vendor import Vendor

ENV_VARS = {
    "coldsend": "COLDSEND_API_KEY",
    "easymail": "EASYMAIL_API_KEY",
    "inbox": "INBOX_API_KEY",
}


class SandboxH11Protocol(H11Protocol):
    """uvicorn's h11 protocol: TCP_NODELAY on, and the transport handed to the app.

    TCP_NODELAY: ``serve`` listens on a socket from ``socket.create_server``, whose ``proto`` is
    0, so asyncio does not set it on accepted connections (it only does for ``IPPROTO_TCP``).
    uvicorn writes a response's headers and body in two sends; with Nagle on, the body waits for
    the client's delayed ACK of the headers, ~40 ms on every kept-alive request.
    The transport goes into the scope for ``drop_rate``.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)
        self.app = _with_transport(self.app, transport)


def _no_delay(transport: asyncio.BaseTransport) -> None:
    """Send small writes at once on a TCP connection (a Unix socket has no such option)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # e.g. the peer has already gone
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _with_transport(app: ASGIApp, transport: asyncio.Transport) -> ASGIApp:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            extensions = {**(scope.get("extensions") or {}), TRANSPORT_KEY: transport}
            scope = {**scope, "extensions": extensions}
        await app(scope, receive, send)

    return wrapped


def accounts_block(base_url: str, vendors: Sequence[Vendor], api_key: str) -> str:
    """The ``camp.yaml`` snippet pointing every account at this sandbox."""
    names = [v.name for v in vendors]
    exports = " ".join(f"{ENV_VARS.get(n, n.upper() + '_API_KEY')}={api_key}" for n in names)
    lines = [
        "# camp.yaml accounts for this sandbox. Before running camp, export the key:",
        f"#   export {exports}",
        "accounts:",
    ]
    for vendor in vendors:
        env = ENV_VARS.get(vendor.name, vendor.name.upper() + "_API_KEY")
        lines += [
            f"  {vendor.name}:",
            f"    provider: {vendor.name}",
            f"    base_url: {base_url}{vendor.mount}",
            f"    api_key_env: {env}",
        ]
    return "\n".join(lines)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8700,
    db_path: str | Path | None = None,
    seed: bool = False,
    faults: FaultConfig = FaultConfig(),  # noqa: B008 - frozen, so a shared default is safe
    api_key: str = DEFAULT_API_KEY,
    out: TextIO | None = None,
) -> int:
    """Run the sandbox until SIGINT/SIGTERM; returns the exit status (0)."""
    out = out or sys.stdout
    app = build_app(api_key=api_key, db_path=db_path, seed=seed, faults=faults)
    sock = socket.create_server((host, port), family=_family(host))
    bound_host, bound_port = sock.getsockname()[:2]
    base_url = f"http://{_url_host(bound_host)}:{bound_port}"

    def announce() -> None:
        print(f"camp sandbox listening on {base_url}", file=out)
        print(accounts_block(base_url, app.state.sandbox.vendors, api_key), file=out, flush=True)

    config = uvicorn.Config(
        app, http=SandboxH11Protocol, ws="none", lifespan="off", log_level="warning"
    )
    _quiet_signals()
    _AnnouncingServer(config, announce).run(sockets=[sock])
    return 0


class _AnnouncingServer(uvicorn.Server):
    """Announces the address only once uvicorn listens and has taken over SIGINT/SIGTERM.

    So whoever reads the listening line may stop the server at once and get a clean exit.
    """

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            self.announce()


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _quiet_signals() -> None:
    """uvicorn re-raises the stop signal after its graceful shutdown; make that a no-op.

    Otherwise SIGTERM would kill the process (status -15) and SIGINT raise KeyboardInterrupt
    once the server had already stopped cleanly.
    """
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, _ignore)


def _ignore(signum: int, frame: Any) -> None:
    """Keep the default action away: uvicorn has already shut down."""


def _probability(raw: str) -> float:
    value = float(raw)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{raw} is not between 0 and 1")
    return value


def _at_least(minimum: int) -> Any:
    def parse(raw: str) -> int:
        value = int(raw)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{raw} is below {minimum}")
        return value

    return parse


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The flags of ``camp sandbox`` (spec.md), for running without the ``camp`` group."""
    parser = argparse.ArgumentParser(prog="python -m reconciler.sandbox.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=_at_least(0), default=8700)
    parser.add_argument("--db", default=None)
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--latency-ms", type=_at_least(0), default=0)
    parser.add_argument("--fault-rate", type=_probability, default=0.0)
    parser.add_argument("--rate-limit", type=_at_least(0), default=None)  # 0: no budget
    parser.add_argument("--drop-rate", type=_probability, default=0.0)
    parser.add_argument("--fault-seed", type=int, default=None)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    return parser.parse_args(argv)


def fault_config(args: argparse.Namespace) -> FaultConfig:
    """The faults the flags ask for; flags and :class:`FaultConfig` fields differ in name."""
    return FaultConfig(
        latency_ms=args.latency_ms,
        error_rate=args.fault_rate,
        rate_limit_per_minute=args.rate_limit,
        drop_rate=args.drop_rate,
        seed=args.fault_seed,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``serve`` as the flags say."""
    args = parse_args(argv)
    return serve(
        host=args.host,
        port=args.port,
        db_path=args.db,
        seed=args.seed,
        faults=fault_config(args),
        api_key=args.api_key,
    )


if __name__ == "__main__":
    sys.exit(main())
