"""Run the sandbox over real HTTP for tests: as a subprocess, or as uvicorn in a thread.

``start_sandbox`` runs ``python -m reconciler.sandbox.server --port 0 --seed ...`` (no dependency
on the ``camp`` command group), reads the ``camp sandbox listening on URL`` line for the address,
and ``stop()`` sends SIGTERM and asserts a clean exit::

    with start_sandbox("--rate-limit", "5") as sandbox:
        httpx.get(sandbox.base_url + "/coldsend/api/public/v1/campaigns", headers=...)
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import IO

import uvicorn
from starlette.types import ASGIApp

from reconciler.sandbox.server import SandboxH11Protocol

LISTENING = re.compile(r"camp sandbox listening on (http://\S+)")


class SandboxProcess:
    """A sandbox subprocess; ``output`` holds its whole stdout once stopped."""

    def __init__(self, process: subprocess.Popen[bytes], stderr: IO[bytes], head: bytes) -> None:
        self.process = process
        self._stderr = stderr
        self._head = head
        match = LISTENING.match(head.decode().splitlines()[0])
        assert match, f"unexpected first line: {head!r}"
        self.base_url = match.group(1)
        self.output = ""
        self.errors = ""

    def url(self, path: str) -> str:
        return self.base_url + path

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 10) -> str:
        """Signal the server, wait, assert exit status 0; return its stdout."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        rest, _ = self.process.communicate(timeout=timeout)
        self._stderr.seek(0)
        self.errors = self._stderr.read().decode()
        self._stderr.close()
        self.output = (self._head + (rest or b"")).decode()
        assert self.process.returncode == 0, f"exit {self.process.returncode}: {self.errors}"
        return self.output

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.process.returncode is None:
            if kind is None:
                self.stop()
            else:  # the test already failed: just make sure nothing is left running
                self.process.kill()
                self.process.wait()
                self._stderr.close()


def start_sandbox(*extra_args: str, timeout: float = 15) -> SandboxProcess:
    """Start the sandbox on a free loopback port with seed data; ``extra_args`` are its flags."""
    command = [sys.executable, "-m", "reconciler.sandbox.server", "--port", "0", "--seed"]
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 - outlives this function; closed by stop()
    process = subprocess.Popen([*command, *extra_args], stdout=subprocess.PIPE, stderr=stderr)
    try:
        head = _first_line(process, timeout)
    except BaseException:
        process.kill()
        process.wait()
        stderr.seek(0)
        message = stderr.read().decode()
        stderr.close()
        raise RuntimeError(f"sandbox did not start: {message}") from None
    return SandboxProcess(process, stderr, head)


def _first_line(process: subprocess.Popen[bytes], timeout: float) -> bytes:
    """Bytes read until the first newline (raw reads: nothing stays in a Python buffer)."""
    assert process.stdout is not None
    fd, data = process.stdout.fileno(), b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError("no listening line")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise EOFError("sandbox exited")
        data += chunk
    return data


@contextlib.contextmanager
def serve_in_thread(app: ASGIApp) -> Iterator[str]:
    """Serve ``app`` with the sandbox's uvicorn protocol in a thread; yields the base URL."""
    sock = socket.create_server(("127.0.0.1", 0))
    config = uvicorn.Config(
        app, http=SandboxH11Protocol, ws="none", lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
