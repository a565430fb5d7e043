"""`carbonspace installation import NODE_DIR FILE [--link GOOD=PRODUCT]` (issue 7, item 2).

Goes through the node's management API (`POST /api/management/installations`): over HTTP when
the node runs, else with the node started in-process on its database. A bad file is refused
whole: one line per problem, each naming its path; exit code 2."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from connector.calculation.installation import read_document
from connector.outcome import Failure
from connector.settings import SettingsError, load_settings
from connector.upstream._client import management_client

installation_app = typer.Typer(
    help="The node's own installation data (calc input files).", no_args_is_help=True
)
err = Console(stderr=True, soft_wrap=True)


def _links(pairs: list[str]) -> dict[str, str]:
    links = {}
    for pair in pairs:
        item, sep, product = pair.partition("=")
        if not sep or not item or not product:
            raise _fail(f"--link {pair!r}: expected GOOD_OR_BOM_ID=PRODUCT_ID")
        links[item] = product
    return links


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


@installation_app.command("import")
def import_command(
    node_dir: Annotated[Path, typer.Argument(help="The node directory")],
    file: Annotated[Path, typer.Argument(help="Installation file (.json, .yaml, .yml)")],
    link: Annotated[
        list[str] | None,
        typer.Option(
            "--link", help="Link a good / BOM product of the file to a product id: ID=PRODUCT"
        ),
    ] = None,
    output_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON")] = False,
) -> None:
    """Import (or replace) an installation file; the node recomputes and publishes."""
    try:
        settings = load_settings(node_dir)
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    document = read_document(file)
    if isinstance(document, Failure):
        raise _fail(document.detail)
    body = {"document": document.value, "links": _links(link or [])}
    status, answer = asyncio.run(_post(settings, body))
    if status >= 400:
        problems = (
            [e.get("message", "") for e in answer] if isinstance(answer, list) else [str(answer)]
        )
        for problem in problems:
            err.print(f"[red]error:[/red] {problem}", highlight=False)
        raise typer.Exit(2)
    if output_json:
        typer.echo(json.dumps(answer, indent=2))
        return
    _print(answer)


async def _post(settings: Any, body: dict[str, Any]) -> tuple[int, Any]:
    async with management_client(settings, in_process_ok=True) as http:
        reply = await http.post("/api/management/installations", json=body)
    return reply.status_code, reply.json()


def _print(answer: dict[str, Any]) -> None:
    console = Console()
    verb = "replaced" if answer["replaced"] else "imported"
    console.print(f"installation [bold]{answer['installationId']}[/bold] {verb}")
    table = Table("product", "version", "published", "SEE total t/t", "PCF kg CO2e", "problems")
    for product in answer["products"]:
        result = product["result"]
        table.add_row(
            product["productId"],
            str(product["version"]),
            "yes" if product["published"] else "no",
            result.get("see", {}).get("totalTCo2ePerT", "-"),
            result.get("pcf", {}).get("pcfKgCo2e", "-"),
            "; ".join(product["problems"]),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the `installation` command group to the root app."""
    app.add_typer(installation_app, name="installation")
