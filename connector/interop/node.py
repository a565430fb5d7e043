"""Our own node as the harness's identity: DCP self-issued tokens minted by the running node
(the peer must be able to resolve our DID and query our credentials, so the node must serve)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from connector.dsp import DSP_PATH
from connector.settings import Settings, load_settings


class NodeUnavailable(Exception):
    """Our node is not configured or not answering; the message names what is wrong."""


@dataclass(frozen=True)
class HarnessNode:
    did: str
    dsp_url: str
    management_url: str
    api_key: str


def load_harness_node(node_dir: Path) -> HarnessNode:
    settings: Settings = load_settings(node_dir)
    base = settings.node.url.rstrip("/")
    management = base
    port = settings.server.management_port
    if port not in (None, settings.server.port):
        management = f"{urlsplit(base).scheme}://127.0.0.1:{port}"
    return HarnessNode(settings.node.did, base + DSP_PATH, management, settings.management.api_key)


async def mint_headers(node: HarnessNode, audience: str) -> dict[str, str]:
    """`Authorization: Bearer <token>` for `audience`, minted by our running node."""
    url = f"{node.management_url}/api/management/identity/tokens"
    async with httpx.AsyncClient(timeout=10) as client:
        try:
            reply = await client.post(
                url, json={"audience": audience}, headers={"X-Api-Key": node.api_key}
            )
        except httpx.HTTPError as exc:
            raise NodeUnavailable(
                f"--node: our node at {node.management_url} is not "
                f"answering ({type(exc).__name__}); start it with "
                "`carbonspace serve`"
            ) from None
    if reply.status_code != 200:
        raise NodeUnavailable(f"--node: token minting failed with HTTP {reply.status_code}")
    return {"Authorization": str(reply.json()["authorization"])}


async def resolve_target(node: HarnessNode, target: str) -> tuple[str, str]:
    """(DSP base URL, peer DID) for TARGET given as a DID or a URL (DID from did.json)."""
    async with httpx.AsyncClient(timeout=10) as client:
        if target.startswith("did:"):
            reply = await client.get(
                f"{node.management_url}/api/management/identity/peers",
                params={"did": target},
                headers={"X-Api-Key": node.api_key},
            )
            if reply.status_code != 200 or not reply.json().get("dsp_endpoint"):
                raise NodeUnavailable(f"TARGET: {target} has no resolvable DataService entry")
            return str(reply.json()["dsp_endpoint"]), target
        parts = urlsplit(target)
        try:
            reply = await client.get(f"{parts.scheme}://{parts.netloc}/.well-known/did.json")
            did = str(reply.json()["id"]) if reply.status_code == 200 else ""
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            did = ""
    return target, did
