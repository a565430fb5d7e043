"""`counterparty_catalog`: an address that is not the DSP 2025-1 base is resolved through the
counterparty's version document (EDC/Tractus-X peers serve 2025-1 below `<dsp root>/2025-1`)."""

from __future__ import annotations

import httpx

from connector.management.consumer import counterparty_catalog
from connector.outcome import Failure, Ok, Reason
from tests.connector.contracts.conftest import context  # noqa: F401

CATALOG = {
    "@context": ["https://w3id.org/dspace/2025/1/context.jsonld"],
    "@id": "c",
    "@type": "Catalog",
    "participantId": "did:web:peer",
}


def peer(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/.well-known/dspace-version":
        return httpx.Response(
            200,
            json={
                "protocolVersions": [
                    {"version": "2025-1", "path": "/api/v1/dsp/2025-1", "binding": "HTTPS"}
                ]
            },
        )
    if request.url.path == "/api/v1/dsp/2025-1/catalog/request":
        return httpx.Response(200, json=CATALOG)
    return httpx.Response(404, json={})


async def test_unversioned_address_is_resolved_when_peer_answers_404(context) -> None:  # noqa: F811
    async with httpx.AsyncClient(transport=httpx.MockTransport(peer)) as http:
        context.http = http
        outcome = await counterparty_catalog(context, "http://peer/api/v1/dsp", "did:web:peer")
    assert isinstance(outcome, Ok)
    assert outcome.value == CATALOG


async def test_catalog_is_502_when_no_version_document_helps(context) -> None:  # noqa: F811
    transport = httpx.MockTransport(lambda request: httpx.Response(404, json={}))
    async with httpx.AsyncClient(transport=transport) as http:
        context.http = http
        outcome = await counterparty_catalog(context, "http://peer/dsp", "did:web:peer")
    assert isinstance(outcome, Failure)
    assert outcome.reason is Reason.BAD_GATEWAY
