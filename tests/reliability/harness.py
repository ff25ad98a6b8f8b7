"""Shared pieces of the reliability tests: camp run in-process against a sandbox on loopback.

``Workspace`` is a user's repository (camp.yaml pointing at the sandbox, campaign files) plus
ways to run ``camp`` in it and to look at the sandbox behind camp's back:

- ``run(*args)`` invokes the real click group (``reconciler.cli.main.cli``) in this process
  through ``click.testing.CliRunner``, with the API keys and ``NO_COLOR`` in the environment and
  the repository as the working directory. ``asyncio.run`` inside the commands works as in the
  ``camp`` process; what changes is only the start-up (no new interpreter, ~1 s saved per run).
  An exception escaping the command (which the real ``main`` would print as "internal error")
  is re-raised here, so a crash can never pass as exit 1.
- ``api(vendor, method, path)`` talks to a vendor API directly, as a dashboard user would.
- ``log()`` / ``clear_log()`` read and clear the sandbox's request log.

``start_sandbox_with_window(seconds, *flags)`` starts the sandbox as a subprocess with its
fixed 60 s rate-limit window shortened (``reconciler.sandbox.faults.WINDOW_SECONDS``), so a 429
asks for a wait of a few seconds instead of up to a minute.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from reconciler.cli.main import cli
from tests.support.sandbox import SandboxProcess, _first_line

KEY = "sandbox-key"
ENV = {
    "COLDSEND_API_KEY": KEY,
    "EASYMAIL_API_KEY": KEY,
    "INBOX_API_KEY": KEY,
    "NO_COLOR": "1",
}
MOUNTS = {
    "coldsend": ("/coldsend/api/public/v1", {"X-API-Key": KEY}),
    "easymail": ("/easymail/api/v1", {"Authorization": f"Bearer {KEY}"}),
    "inbox": ("/inbox/api/v1", {"Authorization": f"Bearer {KEY}"}),
}
NO_FAULTS = {"latency_ms": 0, "error_rate": 0, "drop_rate": 0, "rate_limit_per_minute": None}


def camp_yaml(base_url: str) -> str:
    """One account per vendor, all pointing at the sandbox; no guards."""
    accounts = [("cold", "coldsend"), ("news", "easymail"), ("dm", "inbox")]
    lines = ["accounts:"]
    for key, provider in accounts:
        mount = MOUNTS[provider][0]
        lines += [
            f"  {key}:",
            f"    provider: {provider}",
            f"    base_url: {base_url}{mount}",
            f"    api_key_env: {provider.upper()}_API_KEY",
            '    prune_prefix: "[camp] "',
        ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Run:
    """What one ``camp`` invocation did."""

    code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Workspace:
    """A repository folder wired to a sandbox."""

    root: Path
    base_url: str

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def write_bytes(self, relative: str, data: bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def run(self, *args: str, env: dict[str, str] | None = None) -> Run:
        runner = CliRunner()
        with contextlib.chdir(self.root):
            result = runner.invoke(
                cli, list(args), env={**ENV, **(env or {})}, standalone_mode=False
            )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    # -- the sandbox behind camp's back ------------------------------------------------------

    def admin(self, method: str, path: str, json: Any = None) -> Any:
        response = httpx.request(method, f"{self.base_url}/_sandbox{path}", json=json)
        response.raise_for_status()
        return response.json() if response.content else None

    def api(self, vendor: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        mount, headers = MOUNTS[vendor]
        return httpx.request(method, self.base_url + mount + path, headers=headers, **kwargs)

    def ok(self, vendor: str, method: str, path: str, **kwargs: Any) -> Any:
        """A direct call that must succeed (setup only, with no faults set)."""
        response = self.api(vendor, method, path, **kwargs)
        assert response.status_code < 300, (vendor, method, path, response.text)
        return response.json() if response.content else None

    def log(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.admin("GET", "/requests")
        return entries

    def clear_log(self) -> None:
        self.admin("DELETE", "/requests")

    def writes(self) -> list[dict[str, Any]]:
        return [r for r in self.log() if r["method"] != "GET"]

    def reset(self) -> None:
        self.admin("POST", "/faults", NO_FAULTS)
        self.admin("POST", "/reset")
        self.clear_log()


@contextlib.contextmanager
def workspace(base_url: str) -> Any:
    """A fresh repository folder (hypothesis examples can't use the ``tmp_path`` fixture)."""
    with tempfile.TemporaryDirectory(prefix="camp-rel-") as folder:
        root = Path(folder)
        (root / "camp.yaml").write_text(camp_yaml(base_url), encoding="utf-8")
        yield Workspace(root, base_url)


_PATCHED_SERVER = textwrap.dedent(
    """\
    import sys
    import reconciler.sandbox.faults as faults
    faults.WINDOW_SECONDS = int(sys.argv[1])
    from reconciler.sandbox.server import main
    sys.exit(main(sys.argv[2:]))
    """
)


def start_sandbox_with_window(window_seconds: int, *extra_args: str) -> SandboxProcess:
    """``start_sandbox`` with the rate-limit window shortened to ``window_seconds``."""
    command = [sys.executable, "-c", _PATCHED_SERVER, str(window_seconds), "--port", "0", "--seed"]
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by SandboxProcess.stop()
    process = subprocess.Popen([*command, *extra_args], stdout=subprocess.PIPE, stderr=stderr)
    try:
        head = _first_line(process, 15)
    except BaseException:
        process.kill()
        process.wait()
        stderr.seek(0)
        message = stderr.read().decode()
        stderr.close()
        raise RuntimeError(f"sandbox did not start: {message}") from None
    return SandboxProcess(process, stderr, head)
