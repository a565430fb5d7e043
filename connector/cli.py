"""The `carbonspace` command line (DESIGN.md "Interfaces users rely on").

The root app holds `serve`; every feature adds its own commands from `connector/<feature>/cli.py`
through `register(app)` (identity: `init`, `authority`, `credentials`; calculation: `calc`; ...).
A feature's module is imported only when one of its commands runs (or for `--help`): importing
all of them costs over a second (FastAPI, SQLAlchemy, alembic, cryptography), which every
`carbonspace negotiations list` in an operator's script would pay. `COMMANDS` names the
feature and summary of each command; a test checks them against what the features register.
Errors are printed as one line naming the key or field, with exit code 2; never a traceback.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from connector.settings import SettingsError, load_settings

# Command name -> the feature whose `connector/<feature>/cli.py` registers it, and the
# command's one-line summary for the root `--help`, which lists every command without importing
# a feature (a test checks each summary against the command's own help).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "identity",
        "Create a node: carbonspace.toml, an encrypted signing key and a did:web identity.",
    ),
    "authority": ("identity", "A data-space authority: its DID, and credentials it issues."),
    "credentials": ("identity", "The verifiable credentials a node holds and presents."),
    "policy": ("policy", "ODRL usage policies: templates, validation, evaluation."),
    "products": ("products", "The node's products, bills of materials and footprints."),
    "aas": ("products", "Asset Administration Shells of the node's products."),
    "calc": ("calculation", "Compute CBAM embedded emissions (SEE) and PCFs from an input file."),
    "audit": ("dataplane", "Export the data-plane audit log (oldest first) to stdout."),
    "fetch": (
        "management",
        "Fetch an asset's data from a provider: catalog, negotiation, transfer, data.",
    ),
    "catalog": ("management", "Print a provider's DSP catalog (as this node sees it) as JSON."),
    "offer": (
        "management",
        "Offer assets under policy templates: creates the access and usage policy definitions"
        " and a contract definition (see `GET /api/management/v3/policytemplates`).",
    ),
    "agreements": ("management", "Agreements this node granted as a provider."),
    "negotiations": (
        "management",
        "Contract negotiations of a running node: list, inspect, accept or counter offers.",
    ),
    "installation": ("upstream", "The node's own installation data (calc input files)."),
    "resolve": (
        "upstream",
        "Resolve a product's upstream now and show its footprint by tier and precursor.",
    ),
    "demo": (
        "demo",
        "Run a Korean export chain of four companies and watch footprints flow upstream.",
    ),
    "interop": (
        "interop",
        "Check a peer connector's DSP 2025-1 endpoint and print a conformance report.",
    ),
}
COMMAND_FEATURES: dict[str, str] = {name: feature for name, (feature, _) in COMMANDS.items()}


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
    imported the first time the command is looked up. The root's own `--help` lists them from
    `COMMANDS` (1.8 s -> 0.3 s: it imported every feature to read one line of each)."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_FEATURES})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMANDS:
            feature, summary = COMMANDS[cmd_name]
            if self._listing:
                return TyperCommand(cmd_name, help=summary)
            command = feature_commands(feature).get(cmd_name)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


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
