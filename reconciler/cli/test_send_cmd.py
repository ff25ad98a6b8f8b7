"""``camp test-send``: a test email of the live campaign a document names (easymail's test
endpoint), after checking that live shows what the YAML says."""

from __future__ import annotations

import re
from pathlib import Path

import click

from reconciler.cli import exits
from reconciler.cli.flow import Stop, load, run_async, stopping
from reconciler.cli.globals import Globals
from reconciler.cli.session import open_providers
from reconciler.config.loader import CampaignDoc
from reconciler.engine.test_send import SentTests, check_supported, send_tests

_ADDRESS = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]{2,}")


@click.command("test-send")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "addresses",
    multiple=True,
    required=True,
    metavar="ADDRESS",
    help="Recipient (repeatable).",
)
@click.option(
    "--as-live", is_flag=True, help="Test the live content even where it differs from the YAML."
)
@click.pass_obj
def test_send_command(g: Globals, path: Path, addresses: tuple[str, ...], as_live: bool) -> None:
    """Send a test of the live campaign that the document at PATH names.

    Exit 0 sent, 1 error (invalid input, a vendor without a test endpoint, a campaign not live
    yet, the vendor refused), 3 refused: live differs from the YAML in what the email shows
    (apply first, or --as-live). Never changes a campaign's status.
    """
    with stopping(g):
        sent = _run(g, path, addresses, as_live=as_live)
    for address in sent.addresses:
        click.echo(f"Sent a test of {sent.live.name!r} ({sent.live.id}) to {address}.")
    if sent.differences:
        shown = ", ".join(sent.differences)
        click.echo(f"note: --as-live: the test shows the live {shown}, not the YAML's", err=True)
    raise SystemExit(exits.OK)


test_send = test_send_command


def _run(g: Globals, path: Path, addresses: tuple[str, ...], *, as_live: bool) -> SentTests:
    _check_addresses(addresses)
    ws, config = load(g, [path])
    doc = _one_document(ws.campaigns, path)
    check_supported(doc)

    async def go() -> SentTests:
        async with open_providers(config, [doc.account], parallelism=1) as providers:
            return await send_tests(doc, providers[doc.account], addresses, as_live=as_live)

    return run_async(go(), config)


def _check_addresses(addresses: tuple[str, ...]) -> None:
    for address in addresses:
        if not _ADDRESS.fullmatch(address):
            raise Stop(exits.ERROR, f"--to {address!r} is not an email address (name@example.com)")


def _one_document(docs: list[CampaignDoc], path: Path) -> CampaignDoc:
    if len(docs) != 1:
        raise Stop(
            exits.ERROR,
            f"{path} holds {len(docs)} campaigns: name a file with exactly one campaign document",
        )
    return docs[0]
