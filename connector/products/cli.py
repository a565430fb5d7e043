"""`carbonspace products import NODE_DIR FILE`, `carbonspace products list NODE_DIR` and
`carbonspace aas export NODE_DIR -o FILE` (issue 5). They work on the node's database directly
(migrated first), so they run whether or not the node is serving. `import` goes through the
running node when it serves; otherwise it acts as the node (its key signs what it publishes,
composed products are recomputed, notices wait for the node to serve). Errors: one line per
problem naming the line and field, exit code 2, nothing stored."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import httpx
import typer
from rich.console import Console
from rich.table import Table

from connector.app import offline_node
from connector.clock import SystemClock
from connector.context import NodeContext
from connector.db import create_database, upgrade_to_head
from connector.identity import check_node_key
from connector.observability.metrics import Metrics
from connector.outcome import Failure, Ok
from connector.products.schemas import ImportSummary
from connector.products.service import export_environment, import_and_recompose, list_products
from connector.settings import Settings, SettingsError, load_settings

T = TypeVar("T")

products_app = typer.Typer(help="The node's products, bills of materials and footprints.",
                           no_args_is_help=True)  # fmt: skip
aas_app = typer.Typer(help="Asset Administration Shells of the node's products.",
                      no_args_is_help=True)  # fmt: skip
out = Console()
err = Console(stderr=True)

NodeDir = Annotated[Path, typer.Argument(help="The node directory")]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(2)


def _settings(node_dir: Path) -> Settings:
    try:
        return load_settings(node_dir)
    except SettingsError as exc:
        raise _fail(str(exc)) from None


def _run(settings: Settings, use: Callable[[NodeContext], Awaitable[T]]) -> T:
    async def main() -> T:
        database = create_database(settings.database_url)
        async with httpx.AsyncClient() as http:
            context = NodeContext(settings, database, SystemClock(), http, Metrics())
            try:
                await upgrade_to_head(database)
                return await use(context)
            finally:
                await database.dispose()

    return asyncio.run(main())


@products_app.command("import")
def import_command(
    node_dir: NodeDir,
    file: Annotated[Path, typer.Argument(help="Products file (.json, or one .csv table)")],
) -> None:
    """Import products, BOM lines and footprints; footprints are published."""
    settings = _settings(node_dir)
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise _fail(f"{file}: cannot read ({exc.strerror})") from None
    answer = asyncio.run(_through_node(settings, content, file.name))
    if answer is None:  # the node is down: act as the node, with its key
        try:
            check_node_key(settings)
        except SettingsError as exc:
            raise _fail(f"node not running, and its key cannot sign offline: {exc}") from None
        outcome = asyncio.run(_as_offline_node(settings, content, file.name))
        if isinstance(outcome, Failure):
            _refused([outcome.detail, *outcome.details])
        answer = outcome.value.model_dump(by_alias=True)
        err.print("node not running: imported with its key; notices to customers are sent "
                  "when it serves again")  # fmt: skip
    out.print(
        f"imported {answer['products']} products, {answer['bomLines']} BOM lines, "
        f"{answer['footprints']} footprints; published {len(answer['published'])} submodels"
    )
    for submodel_id in answer["published"]:
        out.print(f"  {submodel_id}", highlight=False)


def _refused(messages: list[str]) -> NoReturn:
    err.print(f"[red]error:[/red] {messages[0] if messages else 'import refused'}", highlight=False)
    for problem in messages[1:]:
        err.print(f"  {problem}", highlight=False)
    raise typer.Exit(2)


async def _as_offline_node(
    settings: Settings, content: bytes, name: str
) -> Ok[ImportSummary] | Failure:
    """What the running node does on an import (signed publication, composed products
    recomputed), with its features started but no work loop: nothing is sent from here."""
    async with offline_node(settings) as context:
        return await import_and_recompose(context, content, name)


async def _through_node(settings: Settings, content: bytes, name: str) -> dict[str, Any] | None:
    """Import through the running node (it signs what it publishes and recomposes the products
    composed from the store); None when it is not running."""
    from connector.upstream._client import management_base, node_is_up

    if not await node_is_up(settings):
        return None
    csv = name.lower().endswith(".csv")
    headers = {
        "X-Api-Key": settings.management.api_key,
        "Content-Type": "text/csv" if csv else "application/json",
    }
    async with httpx.AsyncClient(base_url=management_base(settings), timeout=300.0) as http:
        reply = await http.post("/api/management/products/import", content=content,
                                headers=headers)  # fmt: skip
    body = reply.json()
    if reply.status_code >= 300:
        entries = body if isinstance(body, list) else []
        _refused([str(e.get("message", e)) for e in entries] or [f"HTTP {reply.status_code}"])
    answer: dict[str, Any] = body
    return answer


@products_app.command("list")
def list_command(
    node_dir: NodeDir,
    output_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List the products with their BOM and published footprint version."""
    views = _run(_settings(node_dir), list_products)
    if output_json:
        typer.echo(json.dumps([v.model_dump(by_alias=True) for v in views], indent=2))
        return
    table = Table("id", "name", "CN code", "unit", "BOM lines", "version", "submodel")
    for view in views:
        table.add_row(
            view.id, view.name, view.cn_code or "", view.unit, str(len(view.bom)),
            str(view.latest_version or ""), view.submodel_id or "",
        )  # fmt: skip
    out.print(table)


@aas_app.command("export")
def export_command(
    node_dir: NodeDir,
    output: Annotated[Path, typer.Option("-o", "--output", help="Environment JSON to write")],
) -> None:
    """Write every shell and current submodel as an AAS JSON environment."""
    env: dict[str, Any] = _run(_settings(node_dir), export_environment)
    try:
        output.write_text(json.dumps(env, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror})") from None
    shells = len(env.get("assetAdministrationShells", []))
    submodels = len(env.get("submodels", []))
    out.print(f"wrote {output}: {shells} shells, {submodels} submodels")


def register(app: typer.Typer) -> None:
    app.add_typer(products_app, name="products")
    app.add_typer(aas_app, name="aas")
