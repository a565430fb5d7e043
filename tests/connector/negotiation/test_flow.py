"""Contract negotiation between two in-process nodes (DSP 2025-1 §"Contract Negotiation")."""

from __future__ import annotations

from connector.negotiation import get_agreement, get_negotiation
from connector.outcome import Ok
from tests.support.flows import negotiate


async def test_negotiation_finalizes_on_both_sides_when_offer_is_requested(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    row = await negotiate(consumer, provider, "asset-1")
    assert row.state == "FINALIZED"
    assert row.agreement_id is not None
    agreement = await get_agreement(consumer.context, row.agreement_id)
    assert isinstance(agreement, Ok)
    assert agreement.value.provider_id == provider.did
    assert agreement.value.consumer_id == consumer.did
    assert agreement.value.asset_id == "asset-1"
    remote = await get_negotiation(provider.context, row.provider_pid)
    assert isinstance(remote, Ok)
    assert remote.value.state == "FINALIZED"
    assert remote.value.agreement_id == row.agreement_id
