"""The `carbonspace` command line (DESIGN.md "Interfaces users rely on").

The root app holds `serve`; every feature adds its own commands from `connector/<feature>/cli.py`
through `register(app)` (identity: `init`, `authority`, `credentials`; calculation: `calc`; ...).
A feature's module is imported only when one of its commands runs (or for `--help`): importing
all of them costs over a second (FastAPI, SQLAlchemy, alembic, cryptography), which every
`carbonspace negotiations list` in an operator's script would pay. `COMMAND_FEATURES` names the
feature of each command; a test checks it against what the features register.
Errors are printed as one line naming the key or field, with exit code 2; never a traceback.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from connector.settings import SettingsError, load_settings

# Command name -> the feature whose `connector/<feature>/cli.py` registers it.
COMMAND_FEATURES: dict[str, str] = {
    "init": "identity",
    "authority": "identity",
    "credentials": "identity",
    "policy": "policy",
    "products": "products",
    "aas": "products",
    "calc": "calculation",
    "audit": "dataplane",
    "fetch": "management",
    "catalog": "management",
    "offer": "management",
    "agreements": "management",
    "negotiations": "management",
    "installation": "upstream",
    "resolve": "upstream",
    "demo": "demo",
    "interop": "interop",
}


# Click types are spelled `Any` here: typer 0.29 vendors click (`typer._click`) while earlier
# releases use the `click` package, so no one import names them for every supported typer.


@cache
def feature_commands(feature: str) -> dict[str, Any]:
    """The click commands `connector/<feature>/cli.py` registers, by name."""
    registered = typer.Typer()
    importlib.import_module(f"connector.{feature}.cli").register(registered)
    return dict(typer.main.get_group(registered).commands)


class _FeatureGroup(TyperGroup):
    """The root group: `serve` is its own; every other command comes from its feature's module,
    imported the first time the command is looked up."""

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_FEATURES})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMAND_FEATURES:
            command = feature_commands(COMMAND_FEATURES[cmd_name]).get(cmd_name)
        return command


app = typer.Typer(
    name="carbonspace",
    help="A data-space connector for sovereign carbon-data exchange (DSP, DCP, ODRL, AAS, CBAM).",
    cls=_FeatureGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """carbonspace: one node of a sovereign carbon-data space."""


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error and return the exit to raise."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


@app.command()
def serve(
    node_dir: Annotated[Path, typer.Argument(help="The node directory made by `carbonspace init`")],
) -> None:
    """Run the node: protocol, management and data-plane surfaces."""
    from connector.identity import check_node_key
    from connector.serve import serve_node

    try:
        settings = load_settings(node_dir)
        check_node_key(settings)
    except SettingsError as exc:
        raise fail(str(exc)) from None
    serve_node(settings)


def main() -> None:
    """Console-script entry point."""
    app()
