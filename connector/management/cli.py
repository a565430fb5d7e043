"""Consumer commands against a running node's management API:

- `carbonspace fetch NODE_DIR --from DID --asset ID`: catalog -> negotiate -> transfer -> data
  (reusing a valid agreement and EDR), printed to stdout or written to `--output`;
- `carbonspace catalog NODE_DIR --from DID --address URL`: the counterparty's DSP catalog;
- `carbonspace offer NODE_DIR [--template T] [--access-template T] [--asset ID]`: offer assets
  under policy templates (policy definitions + a contract definition);
- `carbonspace agreements revoke NODE_DIR AGREEMENT_ID --reason TEXT`: retire an agreement this
  node granted (its EDRs fail at once).

The node must be serving (`carbonspace serve NODE_DIR`): the DSP exchange runs in it. Errors:
one line naming the option, exit code 2 (bad input) or 1 (the exchange failed)."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console

from connector.settings import Settings, SettingsError, load_settings

err = Console(stderr=True)
NodeDir = Annotated[Path, typer.Argument(help="The node directory made by `carbonspace init`")]
From = Annotated[str, typer.Option("--from", help="The provider's DID")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def management_url(settings: Settings) -> str:
    """Where the node's management API listens (loopback when bound to all interfaces)."""
    host = settings.server.host
    host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    port = settings.server.management_port or settings.server.port
    return f"http://{host}:{port}/api/management"


def _request(
    node_dir: Path,
    path: str,
    body: dict[str, Any] | None,
    timeout_s: float,
    method: str = "POST",
) -> httpx.Response:
    try:
        settings = load_settings(node_dir)
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    url = management_url(settings) + path
    headers = {"X-Api-Key": settings.management.api_key}
    try:
        return httpx.request(method, url, json=body, headers=headers, timeout=timeout_s)
    except httpx.HTTPError as exc:
        raise _fail(
            f"node at {url} is not reachable ({type(exc).__name__}); "
            f"start it with `carbonspace serve {node_dir}`",
            1,
        ) from None


def _refused(response: httpx.Response) -> typer.Exit:
    try:
        messages = "; ".join(e["message"] for e in response.json())
    except (ValueError, KeyError, TypeError):
        messages = response.text[:300]
    return _fail(f"{response.status_code}: {messages}", 1)


def _call(
    node_dir: Path,
    path: str,
    body: dict[str, Any] | None,
    timeout_s: float,
    method: str = "POST",
) -> Any:
    response = _request(node_dir, path, body, timeout_s, method)
    if response.status_code not in (200, 204):
        raise _refused(response)
    return response.json() if response.status_code == 200 and response.content else None


def fetch(
    node_dir: NodeDir,
    provider: From,
    asset: Annotated[str, typer.Option("--asset", help="The asset (dataset) id")],
    address: Annotated[
        str | None,
        typer.Option("--address", help="The provider's DSP endpoint (default: from the directory)"),
    ] = None,
    path: Annotated[str, typer.Option("--path", help="Sub-path below the EDR endpoint")] = "",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write data here")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait")] = 60.0,
) -> None:
    """Fetch an asset's data from a provider: catalog, negotiation, transfer, data."""
    if not provider.startswith("did:"):
        raise _fail("--from: must be a DID (e.g. did:web:mill.example)")
    if not asset.strip():
        raise _fail("--asset: must not be empty")
    body: dict[str, Any] = {"providerId": provider, "assetId": asset, "path": path}
    if address:
        body["counterPartyAddress"] = address
    result = _call(node_dir, "/fetch", body, timeout)
    if "data" in result:
        data = json.dumps(result["data"], indent=2).encode() + b"\n"
    elif "text" in result:
        data = result["text"].encode()
    else:
        data = base64.b64decode(result.get("base64", ""))
    err.print(
        f"agreement {result['agreementId']} transfer {result['transferProcessId']}"
        f"{' (reused)' if result.get('reused') else ''}",
        highlight=False,
    )
    if output is not None:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


def catalog(
    node_dir: NodeDir,
    provider: From,
    address: Annotated[str, typer.Option("--address", help="The provider's DSP endpoint")],
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait")] = 30.0,
) -> None:
    """Print a provider's DSP catalog (as this node sees it) as JSON."""
    body = {
        "@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"},
        "@type": "CatalogRequest",
        "counterPartyAddress": address,
        "counterPartyId": provider,
        "protocol": "dataspace-protocol-http:2025-1",
    }
    sys.stdout.write(
        json.dumps(_call(node_dir, "/v3/catalog/request", body, timeout), indent=2) + "\n"
    )


def _post_definition(node_dir: Path, path: str, body: dict[str, Any]) -> str:
    """Create a definition; an existing one with that id is kept (409 is fine)."""
    response = _request(node_dir, path, body, 30.0)
    if response.status_code == 409:
        return str(body["@id"])
    if response.status_code != 200:
        raise _refused(response)
    return str(response.json()["@id"])


def offer(
    node_dir: NodeDir,
    template: Annotated[
        str, typer.Option("--template", help="Policy template of the usage (contract) policy")
    ] = "members-only",
    access: Annotated[
        str, typer.Option("--access-template", help="Policy template deciding who sees the offer")
    ] = "members-only",
    asset: Annotated[
        str | None, typer.Option("--asset", help="Offer this asset only (default: every asset)")
    ] = None,
) -> None:
    """Offer assets under policy templates: creates the access and usage policy definitions and
    a contract definition (see `GET /api/management/v3/policytemplates`)."""
    ids = {}
    for role, name in (("access", access), ("usage", template)):
        body = _call(node_dir, f"/v3/policytemplates/{name}", {}, 30.0)
        body["@id"] = f"{role}-{name}"
        ids[role] = _post_definition(node_dir, "/v3/policydefinitions", body)
    edc_id = "https://w3id.org/edc/v0.0.1/ns/id"
    selector = (
        [] if asset is None else [{"operandLeft": edc_id, "operator": "=", "operandRight": asset}]
    )
    definition = {
        "@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"},
        "@id": f"offer-{asset or 'all'}-{template}",
        "accessPolicyId": ids["access"],
        "contractPolicyId": ids["usage"],
        "assetsSelector": selector,
    }
    created = _post_definition(node_dir, "/v3/contractdefinitions", definition)
    err.print(
        f"contract definition {created}: access {ids['access']}, usage {ids['usage']}",
        highlight=False,
    )


agreements = typer.Typer(help="Agreements this node granted as a provider.", no_args_is_help=True)


@agreements.command("revoke")
def revoke(
    node_dir: NodeDir,
    agreement_id: Annotated[str, typer.Argument(help="The agreement's id")],
    reason: Annotated[str, typer.Option("--reason", help="Why, recorded and told to callers")],
) -> None:
    """Revoke (retire) an agreement: every EDR issued under it fails from now on."""
    if not reason.strip():
        raise _fail("--reason: must not be empty")
    body = {
        "edc:agreementId": agreement_id,
        "tx:reason": reason,
        "@context": {
            "edc": "https://w3id.org/edc/v0.0.1/ns/",
            "tx": "https://w3id.org/tractusx/v0.0.1/ns/",
        },
    }
    response = _request(node_dir, "/v3/contractagreements/retirements", body, 30.0)
    if response.status_code != 204:
        raise _refused(response)
    err.print(f"agreement {agreement_id} revoked", highlight=False)


def register(app: typer.Typer) -> None:
    """Add `fetch`, `catalog`, `offer`, `agreements` and `negotiations` to the root CLI."""
    from connector.management._negotiations_cli import negotiations

    app.command(name="fetch")(fetch)
    app.command(name="catalog")(catalog)
    app.command(name="offer")(offer)
    app.add_typer(agreements, name="agreements")
    app.add_typer(negotiations, name="negotiations")
