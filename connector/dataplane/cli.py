"""`carbonspace audit NODE_DIR`: export the node's data-plane audit log (who read what, when,
under which agreement) as JSON lines or CSV, from the node's database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from connector.dataplane._audit import export_from
from connector.db import create_database, upgrade_to_head
from connector.outcome import Failure
from connector.settings import SettingsError, load_settings


def audit(
    node_dir: Annotated[Path, typer.Argument(help="The node directory")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv")] = "jsonl",
) -> None:
    """Export the data-plane audit log (oldest first) to stdout."""
    from connector.cli import fail

    try:
        settings = load_settings(node_dir)
    except SettingsError as exc:
        raise fail(str(exc)) from None
    if fmt not in ("jsonl", "csv"):
        raise fail(f"--format: {fmt!r} is not jsonl or csv")

    async def run() -> str | Failure:
        database = create_database(settings.database_url)
        try:
            await upgrade_to_head(database)
            outcome = await export_from(database, fmt)
        finally:
            await database.dispose()
        return outcome if isinstance(outcome, Failure) else outcome.value

    result = asyncio.run(run())
    if isinstance(result, Failure):
        raise fail(result.detail)
    typer.echo(result, nl=False)


def register(app: typer.Typer) -> None:
    """Add `audit` to the root CLI."""
    app.command(name="audit")(audit)
