"""Tractus-X connector discovery (`POST /v4alpha/connectordiscovery/dspversionparams`, used by
tractusx-sdk's `*_with_bpnl` calls; edc-mgmt-api.md §4.11): which DSP address, participant id and
protocol to use for a counterparty. The address comes from the request or the directory; the
2025-1 base and the participant's DID from its `/.well-known/dspace-version` document."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from connector.context import NodeContext
from connector.directory import configured_participants
from connector.management._jsonld import node_id
from connector.management.views import VOCAB_CONTEXT
from connector.outcome import Failure, Ok, bad_request, not_found

PROTOCOL = "dataspace-protocol-http:2025-1"
TX_NS = "https://w3id.org/tractusx/v0.0.1/ns/"
EDC_NS = "https://w3id.org/edc/v0.0.1/ns/"


def _field(document: dict[str, Any], name: str) -> str | None:
    for key in (name, f"tx:{name}", f"edc:{name}", TX_NS + name, EDC_NS + name):
        value = node_id(document.get(key))
        if isinstance(value, str) and value:
            return value
    return None


async def _version_info(http: httpx.AsyncClient, address: str) -> tuple[str, str | None]:
    """(the 2025-1 base, the DID from `serviceId`) from the address's version document."""
    parts = urlsplit(address)
    root = f"{parts.scheme}://{parts.netloc}"
    try:
        response = await http.get(root + "/.well-known/dspace-version", timeout=5.0)
        versions = response.json().get("protocolVersions") if response.status_code == 200 else []
    except (httpx.HTTPError, ValueError, AttributeError):
        versions = []
    for version in versions if isinstance(versions, list) else []:
        if isinstance(version, dict) and version.get("version") == "2025-1":
            service = version.get("serviceId")
            did = service.split("#")[0] if isinstance(service, str) else None
            return root + "/" + str(version.get("path", "")).strip("/"), did
    return address.rstrip("/"), None


async def discover(context: NodeContext, document: Any) -> Ok[dict[str, Any]] | Failure:
    """The DSP parameters for the counterparty named by `bpnl` / `counterPartyId`."""
    if not isinstance(document, dict):
        return bad_request("request body: must be a JSON object")
    party = _field(document, "counterPartyId") or _field(document, "bpnl")
    address = _field(document, "counterPartyAddress")
    if party is None and address is None:
        return bad_request("bpnl, counterPartyId or counterPartyAddress: one is required")
    known = [p for p in configured_participants(context) if party in (p.did, p.name)]
    if address is None:
        if not known:
            return not_found(f"participant {party} is not in the directory")
        address = known[0].dsp_url
    base, did = await _version_info(context.http, address)
    participant = did or (known[0].did if known else party)
    return Ok(
        {
            "@context": VOCAB_CONTEXT,
            "counterPartyId": participant,
            "counterPartyAddress": base,
            "protocol": PROTOCOL,
        }
    )
