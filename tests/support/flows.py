"""Steps of a consumer-provider exchange for DSP tests (catalog offer, negotiation, transfer)."""

from __future__ import annotations

from typing import Any

from connector.negotiation import NegotiationRow, request_contract, wait_for_negotiation
from connector.outcome import Ok
from connector.transfer import TransferRow, request_transfer, wait_for_transfer
from tests.support.exchange import Peer


async def dsp_headers(consumer: Peer, provider: Peer) -> dict[str, str]:
    identity = consumer.context.service("identity")
    headers: dict[str, str] = await identity.outbound_headers(provider.did)
    return headers


async def catalog_offer(consumer: Peer, provider: Peer, asset_id: str) -> dict[str, Any]:
    """The offer for `asset_id` in the provider's DSP catalog, with `target` added."""
    response = await consumer.context.http.post(
        provider.dsp + "/catalog/request",
        json={
            "@context": ["https://w3id.org/dspace/2025/1/context.jsonld"],
            "@type": "CatalogRequestMessage",
        },
        headers=await dsp_headers(consumer, provider),
    )
    assert response.status_code == 200, response.text
    datasets = {d["@id"]: d for d in response.json().get("dataset", [])}
    offer = dict(datasets[asset_id]["hasPolicy"][0])
    offer["target"] = asset_id
    return offer


async def negotiate(
    consumer: Peer, provider: Peer, asset_id: str, offer: dict[str, Any] | None = None
) -> NegotiationRow:
    """Request the offer and wait until the negotiation ends (FINALIZED or TERMINATED)."""
    offer = offer or await catalog_offer(consumer, provider, asset_id)
    started = await request_contract(consumer.context, provider.dsp, provider.did, offer)
    assert isinstance(started, Ok), started
    done = await wait_for_negotiation(
        consumer.context, started.value.id, ("FINALIZED", "TERMINATED"), timeout_s=20
    )
    assert isinstance(done, Ok), done
    return done.value


async def transfer(consumer: Peer, provider: Peer, agreement_id: str) -> TransferRow:
    started = await request_transfer(consumer.context, provider.dsp, provider.did, agreement_id)
    assert isinstance(started, Ok), started
    done = await wait_for_transfer(
        consumer.context, started.value.id, ("STARTED", "TERMINATED"), timeout_s=20
    )
    assert isinstance(done, Ok), done
    return done.value


async def until(check, timeout_s: float = 10.0):
    """Poll `check()` (async, returns a value or None) with a timeout; never a fixed sleep."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        value = await check()
        if value is not None:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        await asyncio.sleep(0.02)


async def negotiation_state(peer: Peer, negotiation_id: str) -> str:
    from connector.negotiation import get_negotiation

    row = await get_negotiation(peer.context, negotiation_id)
    assert isinstance(row, Ok), row
    return str(row.value.state)
