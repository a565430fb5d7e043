"""Identity commands: `carbonspace init`, `carbonspace authority init|serve|issue`,
`carbonspace credentials add|list`. Errors: one line naming the option, exit code 2."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from connector.db import create_database, upgrade_to_head
from connector.identity import store
from connector.identity.credentials import CREDENTIAL_TYPES
from connector.identity.keys import KeyFileError
from connector.identity.models import CredentialRow
from connector.identity.provisioning import (
    ProvisioningError,
    add_credential,
    init_authority,
    init_node,
    issue_credential,
    load_authority,
)
from connector.settings import SettingsError, load_settings

out = Console()
err = Console(stderr=True)

authority_app = typer.Typer(help="A data-space authority: its DID, and credentials it issues.")
credentials_app = typer.Typer(help="The verifiable credentials a node holds and presents.")


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(2)


def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="New node directory")],
    name: Annotated[str, typer.Option("--name", help="Display name of the company/node")],
    url: Annotated[str, typer.Option("--url", help="Public base URL, e.g. https://mill.example")],
    authority: Annotated[
        list[str] | None, typer.Option("--authority", help="Trusted authority DID (repeatable)")
    ] = None,
    algorithm: Annotated[str, typer.Option("--algorithm", help="Ed25519 or P-256")] = "Ed25519",
    database_url: Annotated[
        str, typer.Option("--database-url", help="PostgreSQL URL; default SQLite in DIR")
    ] = "",
    insecure_did_web: Annotated[
        bool | None,
        typer.Option(
            "--insecure-did-web/--secure-did-web",
            help="Resolve did:web over plain HTTP (default: on for an http:// URL)",
        ),
    ] = None,
) -> None:
    """Create a node: carbonspace.toml, an encrypted signing key and a did:web identity."""
    try:
        settings = init_node(
            directory,
            name=name,
            url=url,
            authorities=authority or [],
            algorithm=algorithm,
            database_url=database_url,
            allow_insecure_did_web=insecure_did_web,
        )
    except ProvisioningError as exc:
        raise _fail(str(exc)) from None
    out.print(f"node [bold]{settings.node.name}[/bold] created in {directory}", highlight=False)
    out.print(f"DID: {settings.node.did}", highlight=False)
    out.print(f"start it with: carbonspace serve {directory}", highlight=False)


@authority_app.command("init")
def authority_init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="New authority directory")],
    url: Annotated[str, typer.Option("--url", help="Public base URL of the authority")],
    algorithm: Annotated[str, typer.Option("--algorithm", help="Ed25519 or P-256")] = "Ed25519",
) -> None:
    """Create a data-space authority (its own did:web and encrypted key)."""
    try:
        did = init_authority(directory, url, algorithm)
    except ProvisioningError as exc:
        raise _fail(str(exc)) from None
    out.print(f"authority created in {directory}", highlight=False)
    out.print(f"DID: {did}", highlight=False)


@authority_app.command("serve")
def authority_serve(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="The authority directory")],
    port: Annotated[int | None, typer.Option("--port", help="Port (default: from --url)")] = None,
) -> None:
    """Publish the authority's DID document over HTTP."""
    from connector.identity.authority import serve_authority

    try:
        settings = load_authority(directory)
        if port is not None and not 0 < port < 65536:
            raise ProvisioningError("--port: must be between 1 and 65535")
        serve_authority(settings, port)
    except (ProvisioningError, KeyFileError) as exc:
        raise _fail(str(exc)) from None


@authority_app.command("issue")
def authority_issue(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="The authority directory")],
    subject: Annotated[str, typer.Option("--subject", help="DID of the holder")],
    credential_type: Annotated[str, typer.Option("--type", help=" or ".join(CREDENTIAL_TYPES))],
    valid_days: Annotated[int, typer.Option("--valid-days", help="Validity in days")] = 365,
    contract_version: Annotated[
        str, typer.Option("--contract-version", help="Framework agreement version (PCF)")
    ] = "1.0",
    holder_identifier: Annotated[
        str | None,
        typer.Option("--holder-identifier", help="e.g. a BPN; default: the subject DID"),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to FILE")] = None,
) -> None:
    """Issue a W3C Verifiable Credential (VC-JWT) to a participant."""
    try:
        vc_jwt = issue_credential(
            directory,
            subject,
            credential_type,
            timedelta(days=valid_days),
            contract_version=contract_version,
            holder_identifier=holder_identifier,
        )
    except (ProvisioningError, KeyFileError) as exc:
        raise _fail(str(exc)) from None
    if output is None:
        typer.echo(vc_jwt)
    else:
        output.write_text(vc_jwt + "\n", encoding="utf-8")
        err.print(f"{credential_type} for {subject} written to {output}", highlight=False)


@credentials_app.command("add")
def credentials_add(
    node_dir: Annotated[Path, typer.Argument(metavar="NODE_DIR", help="The node directory")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A VC-JWT file")],
) -> None:
    """Store a credential issued to this node; its credential service will present it."""
    try:
        vc_jwt = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(f"FILE: cannot read {file}: {exc.strerror}") from None
    try:
        credential = asyncio.run(add_credential(node_dir, vc_jwt))
    except ProvisioningError as exc:
        raise _fail(str(exc)) from None
    out.print(
        f"stored {credential.credential_type} {credential.id} from {credential.issuer}, "
        f"valid until {credential.expires_at:%Y-%m-%d}",
        highlight=False,
    )


@credentials_app.command("list")
def credentials_list(
    node_dir: Annotated[Path, typer.Argument(metavar="NODE_DIR", help="The node directory")],
) -> None:
    """List the credentials a node holds."""
    try:
        settings = load_settings(node_dir)
    except SettingsError as exc:
        raise _fail(f"NODE_DIR: {exc}") from None
    rows = asyncio.run(_held(settings.database_url))
    table = Table("type", "id", "issuer", "expires")
    for row in rows:
        table.add_row(row.credential_type, row.id, row.issuer, f"{row.expires_at:%Y-%m-%d}")
    out.print(table)


async def _held(database_url: str) -> list[CredentialRow]:
    database = create_database(database_url)
    try:
        await upgrade_to_head(database)
        return await store.list_credentials(database)
    finally:
        await database.dispose()


def register(app: typer.Typer) -> None:
    """Add the identity commands to the root CLI."""
    app.command("init")(init)
    app.add_typer(authority_app, name="authority")
    app.add_typer(credentials_app, name="credentials")
