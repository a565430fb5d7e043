"""`carbonspace interop TARGET`: run the DSP 2025-1 conformance checks against a peer."""

from __future__ import annotations

import asyncio
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from connector.interop.model import CheckResult
from connector.interop.node import (
    HarnessNode,
    NodeUnavailable,
    load_harness_node,
    mint_headers,
    resolve_target,
)
from connector.interop.report import json_report, table_report
from connector.interop.runner import RunOptions, exit_code, run_checks, selected
from connector.settings import SettingsError


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


def _usage(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


def interop(
    target: Annotated[str, typer.Argument(help="The peer's DSP base URL, or its DID")],
    node: Annotated[Path, typer.Option("--node", help="Our node directory (must be serving)")],
    counterparty_id: Annotated[str, typer.Option("--counterparty-id", help="Peer DID")] = "",
    offer_id: Annotated[str, typer.Option("--offer-id", help="Offer to negotiate")] = "",
    output_format: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON here")] = None,
    only: Annotated[str, typer.Option("--only", help="Check id glob(s), comma-separated")] = "",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per check")] = 20.0,
) -> None:
    """Check a peer connector's DSP 2025-1 endpoint and print a conformance report."""
    if not target.startswith(("http://", "https://", "did:")):
        raise _usage("TARGET: expected an http(s) URL or a DID")
    if only and not selected(only):
        raise _usage(f"--only: no check matches {only!r}")
    if timeout <= 0:
        raise _usage("--timeout: must be > 0")
    try:
        harness = load_harness_node(node)
    except (SettingsError, OSError) as exc:
        raise _usage(f"--node: {exc}") from None
    try:
        results, base = asyncio.run(_run(harness, target, counterparty_id, offer_id, only, timeout))
    except NodeUnavailable as exc:
        raise _usage(str(exc)) from None
    report = json_report(base, results)
    if output is not None:
        output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if output_format is Format.JSON:
        typer.echo(json.dumps(report, indent=2))
    else:
        Console(width=160).print(table_report(base, results))
    raise typer.Exit(exit_code(results))


async def _run(
    harness: HarnessNode,
    target: str,
    counterparty_id: str,
    offer_id: str,
    only: str,
    timeout: float,
) -> tuple[list[CheckResult], str]:
    base, did = await resolve_target(harness, target)
    peer_did = counterparty_id or did
    if not peer_did:
        raise NodeUnavailable(
            "--counterparty-id: the peer DID is needed for the DCP token "
            "and could not be found at TARGET's /.well-known/did.json"
        )
    await mint_headers(harness, peer_did)  # fail early when our node is not serving

    async def authorize() -> dict[str, str]:
        return await mint_headers(harness, peer_did)

    options = RunOptions(base, authorize, peer_did, offer_id, "", only, timeout)
    return await run_checks(options), base


def register(app: typer.Typer) -> None:
    app.command("interop")(interop)
