"""DSP endpoints fed bad input: unauthenticated, malformed JSON, wrong types, unknown ids, huge
bodies, pid mismatches, duplicates and out-of-order messages (shared/reference/dsp.md §3.5:
4xx with a DSP error body, nothing stored, no state change)."""

from __future__ import annotations

import json

import pytest
from pyld import jsonld
from sqlalchemy import func
from sqlmodel import select

from connector.dsp import local_loader, validate_message
from connector.negotiation import NegotiationRow
from connector.outcome import Ok
from connector.transfer import TransferRow, get_transfer, suspend_transfer
from tests.support.flows import (
    catalog_offer,
    dsp_headers,
    negotiate,
    negotiation_state,
    until,
)

CONTEXT = ["https://w3id.org/dspace/2025/1/context.jsonld"]


async def _rows(peer, model) -> int:
    async with peer.context.database.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


@pytest.fixture
async def pair(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    return provider, consumer


def _request(offer, consumer_pid="urn:uuid:c-1", callback="http://consumer.test/api/dsp"):
    return {
        "@context": CONTEXT,
        "@type": "ContractRequestMessage",
        "consumerPid": consumer_pid,
        "offer": offer,
        "callbackAddress": callback,
    }


async def test_version_document_is_served_when_unauthenticated(pair):
    provider, _ = pair
    response = await provider.public.get("/.well-known/dspace-version")
    assert response.status_code == 200
    assert response.json()["protocolVersions"][0]["path"] == "/api/dsp"
    assert response.json()["protocolVersions"][0]["version"] == "2025-1"
    assert (
        validate_message({**response.json(), "@type": "VersionResponse"}, ("VersionResponse",))
        is None
    )


async def test_negotiation_request_is_404_and_not_stored_when_unauthenticated(pair):
    provider, consumer = pair
    offer = await catalog_offer(consumer, provider, "asset-1")
    response = await provider.public.post("/api/dsp/negotiations/request", json=_request(offer))
    assert response.status_code == 404
    assert response.json()["@type"] == "ContractNegotiationError"
    assert await _rows(provider, NegotiationRow) == 0


async def test_catalog_is_401_when_unauthenticated(pair):
    provider, _ = pair
    response = await provider.public.post(
        "/api/dsp/catalog/request", json={"@context": CONTEXT, "@type": "CatalogRequestMessage"}
    )
    assert response.status_code == 401
    assert response.json()["@type"] == "CatalogError"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "the body is not valid JSON"),
        (b"[1, 2]", "a DSP message must be a JSON object"),
        (
            b'{"@context": ["https://w3id.org/dspace/2025/1/context.jsonld"], '
            b'"@type": "ContractRequestMessage", "consumerPid": 5, "offer": {}}',
            "ContractRequestMessage does not match the DSP 2025-1 schema",
        ),
        (
            b'{"@context": ["https://w3id.org/dspace/2025/1/context.jsonld"], '
            b'"@type": "TransferRequestMessage"}',
            "@type: expected ContractRequestMessage, got 'TransferRequestMessage'",
        ),
    ],
)
async def test_negotiation_request_is_400_and_not_stored_when_body_is_bad(pair, body, detail):
    provider, consumer = pair
    headers = {**await dsp_headers(consumer, provider), "Content-Type": "application/json"}
    response = await provider.public.post(
        "/api/dsp/negotiations/request", content=body, headers=headers
    )
    assert response.status_code == 400
    assert response.json()["@type"] == "ContractNegotiationError"
    assert response.json()["reason"][0] == detail
    assert validate_message(response.json(), ("ContractNegotiationError",)) is None
    assert await _rows(provider, NegotiationRow) == 0


async def test_request_is_413_and_not_stored_when_body_is_huge(pair):
    provider, consumer = pair
    offer = await catalog_offer(consumer, provider, "asset-1")
    message = _request(offer)
    message["padding"] = "x" * 2_000_000
    response = await provider.public.post(
        "/api/dsp/negotiations/request", json=message, headers=await dsp_headers(consumer, provider)
    )
    assert response.status_code == 413
    assert await _rows(provider, NegotiationRow) == 0


async def test_unknown_offer_is_400_and_not_stored_when_requested(pair):
    provider, consumer = pair
    offer = {
        "@id": "urn:uuid:nope",
        "@type": "Offer",
        "target": "asset-1",
        "permission": [{"action": "use"}],
    }
    response = await provider.public.post(
        "/api/dsp/negotiations/request",
        json=_request(offer),
        headers=await dsp_headers(consumer, provider),
    )
    assert response.status_code == 400
    assert response.json()["consumerPid"] == "urn:uuid:c-1"
    assert await _rows(provider, NegotiationRow) == 0


async def test_expanded_request_is_accepted_when_posted(pair):
    provider, consumer = pair
    offer = await catalog_offer(consumer, provider, "asset-1")
    expanded = jsonld.expand(_request(offer), {"documentLoader": local_loader, "base": None})
    response = await provider.public.post(
        "/api/dsp/negotiations/request",
        json=expanded,
        headers=await dsp_headers(consumer, provider),
    )
    assert response.status_code == 201, response.text
    assert response.json()["state"] == "REQUESTED"
    assert response.json()["consumerPid"] == "urn:uuid:c-1"


async def test_repeated_request_returns_same_negotiation_when_consumer_retries(pair):
    provider, consumer = pair
    offer = await catalog_offer(consumer, provider, "asset-1")
    headers = await dsp_headers(consumer, provider)
    first = await provider.public.post(
        "/api/dsp/negotiations/request", json=_request(offer), headers=headers
    )
    again = await provider.public.post(
        "/api/dsp/negotiations/request",
        json=_request(offer),
        headers=await dsp_headers(consumer, provider),
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["providerPid"] == again.json()["providerPid"]
    assert await _rows(provider, NegotiationRow) == 1


async def test_unknown_negotiation_is_404_when_addressed(pair):
    provider, consumer = pair
    message = {
        "@context": CONTEXT,
        "@type": "ContractAgreementVerificationMessage",
        "providerPid": "urn:uuid:unknown",
        "consumerPid": "urn:uuid:c-1",
    }
    response = await provider.public.post(
        "/api/dsp/negotiations/urn:uuid:unknown/agreement/verification",
        json=message,
        headers=await dsp_headers(consumer, provider),
    )
    assert response.status_code == 404
    assert response.json()["providerPid"] == "urn:uuid:unknown"


async def test_negotiation_is_hidden_from_other_participants_when_read(space, pair):
    provider, consumer = pair
    row = await negotiate(consumer, provider, "asset-1")
    own = await provider.public.get(
        f"/api/dsp/negotiations/{row.provider_pid}", headers=await dsp_headers(consumer, provider)
    )
    assert own.status_code == 200
    assert own.json()["state"] == "FINALIZED"
    assert validate_message(own.json(), ("ContractNegotiation",)) is None
    stranger = await space.node("stranger")
    other = await provider.public.get(
        f"/api/dsp/negotiations/{row.provider_pid}", headers=await dsp_headers(stranger, provider)
    )
    assert other.status_code == 404


async def test_duplicate_agreement_is_acknowledged_without_change_when_replayed(space, pair):
    provider, consumer = pair
    row = await negotiate(consumer, provider, "asset-1")
    sent = next(
        s
        for s in space.recorder.sent
        if isinstance(s.body, dict) and s.body["@type"] == "ContractAgreementMessage"
    )
    replay = await consumer.public.post(
        sent.url.split("consumer.test")[1],
        json=sent.body,
        headers=await dsp_headers(provider, consumer),
    )
    assert replay.status_code == 200
    assert await negotiation_state(consumer, row.id) == "FINALIZED"


async def test_out_of_order_event_is_400_without_change_when_finalized(pair):
    provider, consumer = pair
    row = await negotiate(consumer, provider, "asset-1")
    message = {
        "@context": CONTEXT,
        "@type": "ContractNegotiationEventMessage",
        "providerPid": row.provider_pid,
        "consumerPid": row.id,
        "eventType": "ACCEPTED",
    }
    response = await provider.public.post(
        f"/api/dsp/negotiations/{row.provider_pid}/events",
        json=message,
        headers=await dsp_headers(consumer, provider),
    )
    assert response.status_code == 400
    assert response.json()["reason"] == [
        "ContractNegotiationEventMessage:ACCEPTED is not allowed in state FINALIZED (PROVIDER)"
    ]
    assert await negotiation_state(provider, row.provider_pid) == "FINALIZED"


async def test_termination_is_400_without_change_when_finalized(pair):
    provider, consumer = pair
    row = await negotiate(consumer, provider, "asset-1")
    message = {
        "@context": CONTEXT,
        "@type": "ContractNegotiationTerminationMessage",
        "providerPid": row.provider_pid,
        "consumerPid": row.id,
    }
    response = await provider.public.post(
        f"/api/dsp/negotiations/{row.provider_pid}/termination",
        json=message,
        headers=await dsp_headers(consumer, provider),
    )
    assert response.status_code == 400
    assert await negotiation_state(provider, row.provider_pid) == "FINALIZED"


async def test_pid_mismatch_is_400_without_change_when_addressed(pair):
    provider, consumer = pair
    row = await negotiate(consumer, provider, "asset-1")
    message = {
        "@context": CONTEXT,
        "@type": "ContractNegotiationTerminationMessage",
        "providerPid": row.provider_pid,
        "consumerPid": "urn:uuid:someone-else",
    }
    response = await provider.public.post(
        f"/api/dsp/negotiations/{row.provider_pid}/termination",
        json=message,
        headers=await dsp_headers(consumer, provider),
    )
    assert response.status_code == 400
    assert response.json()["reason"] == [
        "consumerPid: urn:uuid:someone-else does not match the process"
    ]


async def test_transfer_request_is_400_and_not_stored_when_agreement_unknown(pair):
    provider, consumer = pair
    message = {
        "@context": CONTEXT,
        "@type": "TransferRequestMessage",
        "consumerPid": "urn:uuid:t-1",
        "agreementId": "urn:uuid:none",
        "format": "HttpData-PULL",
        "callbackAddress": "http://consumer.test/api/dsp",
    }
    response = await provider.public.post(
        "/api/dsp/transfers/request", json=message, headers=await dsp_headers(consumer, provider)
    )
    assert response.status_code == 400
    assert response.json()["@type"] == "TransferError"
    assert response.json()["reason"] == [
        "agreementId: no agreement urn:uuid:none with this participant"
    ]
    assert await _rows(provider, TransferRow) == 0


async def test_transfer_completion_is_400_without_change_when_suspended(pair):
    provider, consumer = pair
    row = await negotiate(consumer, provider, "asset-1")
    message = {
        "@context": CONTEXT,
        "@type": "TransferRequestMessage",
        "consumerPid": "urn:uuid:t-1",
        "agreementId": row.agreement_id,
        "format": "HttpData-PULL",
        "callbackAddress": "http://nowhere.test/api/dsp",
    }
    created = await provider.public.post(
        "/api/dsp/transfers/request", json=message, headers=await dsp_headers(consumer, provider)
    )
    assert created.status_code == 201
    pid = created.json()["providerPid"]

    async def started():
        state = (await get_transfer(provider.context, pid)).value.state
        return state if state == "STARTED" else None

    await until(started)
    assert isinstance(await suspend_transfer(provider.context, pid), Ok)
    completion = {
        "@context": CONTEXT,
        "@type": "TransferCompletionMessage",
        "providerPid": pid,
        "consumerPid": "urn:uuid:t-1",
    }
    response = await provider.public.post(
        f"/api/dsp/transfers/{pid}/completion",
        json=completion,
        headers=await dsp_headers(consumer, provider),
    )
    assert response.status_code == 400
    assert response.json()["reason"] == [
        "TransferCompletionMessage is not allowed in state SUSPENDED (PROVIDER)"
    ]
    assert (await get_transfer(provider.context, pid)).value.state == "SUSPENDED"
    unknown = await provider.public.post(
        "/api/dsp/transfers/urn:uuid:x/completion",
        json=completion,
        headers=await dsp_headers(consumer, provider),
    )
    assert unknown.status_code == 404
    assert json.loads(unknown.content)["@type"] == "TransferError"
