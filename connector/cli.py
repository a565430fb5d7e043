"""The `carbonspace` command line (DESIGN.md "Interfaces users rely on").

The root app holds `serve`; every feature adds its own commands from `connector/<feature>/cli.py`
through `register(app)` (identity: `init`, `authority`, `credentials`; calculation: `calc`; ...).
Errors are printed as one line naming the key or field, with exit code 2; never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from connector.app import FEATURES
from connector.identity import check_node_key
from connector.serve import serve_node
from connector.settings import SettingsError, load_settings

app = typer.Typer(
    name="carbonspace",
    help="A data-space connector for sovereign carbon-data exchange (DSP, DCP, ODRL, AAS, CBAM).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True)

CLI_FEATURES: tuple[str, ...] = (*FEATURES, "demo", "interop")


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
    try:
        settings = load_settings(node_dir)
        check_node_key(settings)
    except SettingsError as exc:
        raise fail(str(exc)) from None
    serve_node(settings)


def _register_feature_commands() -> None:
    for feature in CLI_FEATURES:
        name = f"connector.{feature}.cli"
        if importlib.util.find_spec(f"connector.{feature}") is None:
            continue
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(app)


_register_feature_commands()


def main() -> None:
    """Console-script entry point."""
    app()
