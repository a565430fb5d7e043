"""`carbonspace resolve NODE_DIR PRODUCT` (issue 7, item 6): fetch every supplier line of a
product through the running node (catalog, negotiation or reused agreement, transfer or reused
EDR), recompute, publish; a progress bar while lines complete, then the breakdown table.
`--json` prints the same JSON as `POST /api/management/upstream/resolve/{product}`.

Also registers `carbonspace installation ...` (connector/calculation/installation_cli.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from connector.calculation.installation_cli import register as register_installation
from connector.settings import SettingsError, load_settings
from connector.upstream._client import NodeNotRunningError, management_client
from connector.upstream._render import print_report

err = Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


async def _stream(settings: Any, product: str, concurrency: int, quiet: bool) -> dict[str, Any]:
    path = f"/api/management/upstream/resolve/{product}"
    final: dict[str, Any] = {}
    with Progress(
        TextColumn("resolving {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task(product, total=None)
        async with (
            management_client(settings, in_process_ok=False) as http,
            http.stream(
                "POST", path, params={"stream": "true"}, json={"concurrency": concurrency}
            ) as reply,
        ):
            if reply.status_code >= 400:
                await reply.aread()
                body = reply.json()
                message = body[0]["message"] if isinstance(body, list) and body else str(body)
                return {"event": "error", "detail": message}
            async for raw in reply.aiter_lines():
                if not raw.strip():
                    continue
                event = json.loads(raw)
                if event["event"] == "lines":
                    bar.update(task, total=event["total"])
                elif event["event"] == "line":
                    bar.advance(task)
                else:
                    final = event
    return final


def register(app: typer.Typer) -> None:
    """Add `resolve` and the `installation` group to the root app."""
    register_installation(app)

    @app.command("resolve")
    def resolve(
        node_dir: Annotated[Path, typer.Argument(help="The node directory (node must run)")],
        product: Annotated[str, typer.Argument(help="Our product id")],
        concurrency: Annotated[int, typer.Option(help="Suppliers resolved at once")] = 8,
        output_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    ) -> None:
        """Resolve a product's upstream now and show its footprint by tier and precursor."""
        try:
            settings = load_settings(node_dir)
        except SettingsError as exc:
            raise _fail(str(exc)) from None
        try:
            final = asyncio.run(_stream(settings, product, concurrency, output_json))
        except NodeNotRunningError as exc:
            raise _fail(str(exc)) from None
        if final.get("event") != "report":
            raise _fail(str(final.get("detail", "no answer from the node")))
        report = final["report"]
        if output_json:
            typer.echo(json.dumps(report, indent=2))
        else:
            print_report(Console(), report)
        if report.get("error"):
            raise typer.Exit(1)
