"""The sandbox over real HTTP: printed address and accounts, clean stops, drops, a ColdSend run."""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner
from starlette.types import Receive, Scope, Send

from reconciler.cli.sandbox_cmd import sandbox_command
from reconciler.sandbox import coldsend
from reconciler.sandbox.app import build_app
from reconciler.sandbox.faults import FaultConfig
from reconciler.sandbox.gateway import TRANSPORT_KEY
from tests.support.sandbox import SandboxProcess, serve_in_thread, start_sandbox

COLD = "/coldsend/api/public/v1"
HEADERS = {"X-API-Key": "sandbox-key"}
VARIANT = {
    "variant_name": "A",
    "subject_template": "Hello {{first_name}}",
    "email_content": "A short note for {{company}}.",
    "distribution_percent": 100,
}


@pytest.fixture(scope="module")
def live() -> Iterator[SandboxProcess]:
    with start_sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def client(live: SandboxProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url(COLD), headers=HEADERS, timeout=10) as http:
        yield http


def test_prints_address_then_accounts_and_stops_on_sigterm() -> None:
    sandbox = start_sandbox()
    port = sandbox.base_url.rsplit(":", 1)[1]
    assert sandbox.base_url.startswith("http://127.0.0.1:") and port != "0"
    output = sandbox.stop(signal.SIGTERM)
    lines = output.splitlines()
    assert lines[0] == f"camp sandbox listening on {sandbox.base_url}"
    assert "export COLDSEND_API_KEY=sandbox-key EASYMAIL_API_KEY=sandbox-key" in output
    block = "\n".join(line for line in lines[1:] if not line.startswith("#"))
    assert block == "\n".join(
        ["accounts:"]
        + [
            f"  {name}:\n    provider: {name}\n    base_url: {sandbox.base_url}{mount}\n"
            f"    api_key_env: {name.upper()}_API_KEY"
            for name, mount in [
                ("coldsend", COLD),
                ("easymail", "/easymail/api/v1"),
                ("inbox", "/inbox/api/v1"),
            ]
        ]
    )
    assert "Traceback" not in sandbox.errors


def test_stops_cleanly_on_sigint_too() -> None:
    sandbox = start_sandbox("--api-key", "other-key")
    response = httpx.get(sandbox.url(COLD + "/campaigns"), headers=HEADERS)
    assert response.status_code == 401
    assert "export COLDSEND_API_KEY=other-key" in sandbox.stop(signal.SIGINT)


def test_dropped_create_raises_in_the_client_yet_exists_on_the_server() -> None:
    with start_sandbox("--drop-rate", "1") as sandbox:
        http = httpx.Client(base_url=sandbox.url(COLD), headers=HEADERS, timeout=10)
        with pytest.raises(httpx.TransportError):
            http.post("/campaigns", json={"name": "Created then dropped"})
        httpx.post(sandbox.url("/_sandbox/faults"), json={"drop_rate": 0})
        listing = http.get("/campaigns").json()
        log = httpx.get(sandbox.url("/_sandbox/requests")).json()
        http.close()
    assert [c["name"] for c in listing["campaigns"]] == ["Created then dropped"]
    assert (log[0]["method"], log[0]["status"]) == ("POST", 201)
    assert "Traceback" not in sandbox.errors and "ERROR" not in sandbox.errors


async def _nodelay_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the TCP_NODELAY option of the connection's own socket."""
    sock = scope["extensions"][TRANSPORT_KEY].get_extra_info("socket")
    value = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(value).encode()})


def test_connections_have_tcp_nodelay() -> None:
    """Else each kept-alive answer waits ~40 ms for the client's delayed ACK (Nagle)."""
    with serve_in_thread(_nodelay_app) as base, httpx.Client(base_url=base) as http:
        assert all(int(http.get("/").text) != 0 for _ in range(3))  # one kept-alive connection


def test_drop_in_a_thread_keeps_the_server_healthy() -> None:
    app = build_app(vendors=[coldsend.VENDOR], faults=FaultConfig(drop_rate=0.5, seed=1))
    with serve_in_thread(app) as base, httpx.Client(base_url=base + COLD, headers=HEADERS) as http:
        outcomes = []
        for _ in range(12):
            try:
                outcomes.append(http.get("/campaigns").status_code)
            except httpx.RemoteProtocolError:
                outcomes.append(0)
    assert 0 in outcomes and 200 in outcomes


def test_a_coldsend_campaign_from_create_to_completed(
    client: httpx.Client, live: SandboxProcess
) -> None:
    created = client.post("/campaigns", json={"name": "Real HTTP outreach"})
    assert created.status_code == 201
    campaign_id = created.json()["campaign_id"]
    files = {"file": ("leads.csv", b"email,company\nann@x.example,Acme\n", "text/csv")}
    job_id = client.post(f"/campaigns/{campaign_id}/leads", files=files).json()["job_id"]
    job = _poll(client, f"/campaigns/{campaign_id}/leads/upload/{job_id}")
    assert (job["status"], job["success_count"]) == ("COMPLETED", 1)
    inbox = client.get("/sender-accounts").json()["sender_accounts"][0]["inbox_id"]
    body = {"inbox_ids": [inbox], "variants": [VARIANT], "launch": True}
    assert client.put(f"/campaigns/{campaign_id}", json=body).json()["status"] == "ACTIVE"
    httpx.post(live.url("/_sandbox/clock"), json={"advance_seconds": 2 * 86_400})
    assert client.get(f"/campaigns/{campaign_id}").json()["status"] == "COMPLETED"


def _poll(client: httpx.Client, path: str) -> dict[str, object]:
    for _ in range(40):
        job = dict(client.get(path).json())
        if job["status"] in ("COMPLETED", "FAILED"):
            return job
        time.sleep(0.1)
    raise AssertionError("upload job never finished")


def test_errors_over_http_keep_their_shape(client: httpx.Client) -> None:
    short = client.post("/campaigns", json={"name": "short"})
    assert short.status_code == 422
    assert short.json()["detail"][0]["msg"] == "ensure this value has at least 8 characters"
    assert client.get("/campaigns", headers={"X-API-Key": "nope"}).status_code == 401
    assert client.get("/campaigns").headers["x-ratelimit-limit"] == "10000"


def test_rate_limit_flag_sets_the_budget() -> None:
    with start_sandbox("--rate-limit", "2") as sandbox:
        statuses = [
            httpx.get(sandbox.url(COLD + "/campaigns"), headers=HEADERS).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    "args",
    [["--fault-rate", "1.5"], ["--drop-rate", "-1"], ["--port", "70000"], ["--rate-limit", "-1"],
     ["--latency-ms", "-5"], ["--bogus"]],
)  # fmt: skip
def test_cli_rejects_bad_flags(args: list[str]) -> None:
    result = CliRunner().invoke(sandbox_command, args)
    assert result.exit_code == 2


def test_cli_help_lists_the_spec_flags() -> None:
    text = CliRunner().invoke(sandbox_command, ["--help"]).output
    for flag in ("--host", "--port", "--db", "--seed", "--latency-ms", "--fault-rate",
                 "--rate-limit", "--drop-rate", "--fault-seed", "--api-key"):  # fmt: skip
        assert flag in text
