"""Consumer commands against a running node's management API:

- `carbonspace fetch NODE_DIR --from DID --asset ID`: catalog -> negotiate -> transfer -> data
  (reusing a valid agreement and EDR), printed to stdout or written to `--output`;
- `carbonspace catalog NODE_DIR --from DID`: the counterparty's DSP catalog as JSON.

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


def _call(node_dir: Path, path: str, body: dict[str, Any], timeout_s: float) -> Any:
    try:
        settings = load_settings(node_dir)
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    url = management_url(settings) + path
    headers = {"X-Api-Key": settings.management.api_key}
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=timeout_s)
    except httpx.HTTPError as exc:
        raise _fail(f"node at {url} is not reachable ({type(exc).__name__}); "
                    f"start it with `carbonspace serve {node_dir}`", 1) from None
    if response.status_code != 200:
        try:
            messages = "; ".join(e["message"] for e in response.json())
        except (ValueError, KeyError, TypeError):
            messages = response.text[:300]
        raise _fail(f"{response.status_code}: {messages}", 1)
    return response.json()


def fetch(
    node_dir: NodeDir,
    provider: From,
    asset: Annotated[str, typer.Option("--asset", help="The asset (dataset) id")],
    address: Annotated[str | None, typer.Option(
        "--address", help="The provider's DSP endpoint (default: from the directory)")] = None,
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
    err.print(f"agreement {result['agreementId']} transfer {result['transferProcessId']}"
              f"{' (reused)' if result.get('reused') else ''}", highlight=False)
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
    body = {"@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"},
            "@type": "CatalogRequest", "counterPartyAddress": address,
            "counterPartyId": provider, "protocol": "dataspace-protocol-http:2025-1"}
    sys.stdout.write(json.dumps(_call(node_dir, "/v3/catalog/request", body, timeout),
                                indent=2) + "\n")


def register(app: typer.Typer) -> None:
    """Add `fetch` and `catalog` to the root CLI."""
    app.command(name="fetch")(fetch)
    app.command(name="catalog")(catalog)
