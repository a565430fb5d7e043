"""DSP messages of the OFFERED/ACCEPTED branch sent straight to a node: offers taken at once or
held, duplicates acknowledged without change, illegal moves refused with 400 and no change
(DSP 2025-1 "Contract Negotiation Protocol", HTTPS binding; shared/reference/dsp.md §3.5, §5)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from connector.dsp import validate_message
from connector.negotiation import (
    AgreementRow,
    NegotiationRow,
    accept_offer,
    get_negotiation,
    request_contract,
)
from connector.outcome import Ok
from connector.work import WorkItem
from policies import policy_template, to_edc_policy_definition
from tests.connector.negotiation.test_offers import finalized, offered, stricter, wider
from tests.support.flows import catalog_offer, dsp_headers, negotiation_state, until

CONTEXT = ["https://w3id.org/dspace/2025/1/context.jsonld"]


async def _count(peer, model, **where) -> int:
    statement = select(func.count()).select_from(model)
    for field, value in where.items():
        statement = statement.where(getattr(model, field) == value)
    async with peer.context.database.session() as session:
        return (await session.exec(statement)).one()


async def _post(sender, receiver, path, message):
    return await receiver.public.post(
        "/api/dsp" + path, json=message, headers=await dsp_headers(sender, receiver)
    )


def _offer_message(consumer_pid, offer, provider_pid="urn:uuid:p-1"):
    message = {
        "@context": CONTEXT,
        "@type": "ContractOfferMessage",
        "providerPid": provider_pid,
        "consumerPid": consumer_pid,
        "offer": offer,
    }
    assert validate_message(message, ("ContractOfferMessage",)) is None
    return message


async def _unreachable_consumer(provider, provider_pid):
    """The provider's messages to the consumer go nowhere from now on (the consumer's own
    DID still resolves, so the test can play the consumer)."""
    async with provider.context.database.session() as session:
        mine = await session.get(NegotiationRow, provider_pid)
        mine.counterparty_address = "http://nowhere.test/api/dsp"
        session.add(mine)
        await session.commit()


async def _requested(space, database_url):
    """A consumer negotiation in REQUESTED whose provider is unreachable (so the test plays
    the provider)."""
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    offer = await catalog_offer(consumer, provider, "asset-1")
    nowhere = "http://nowhere.test/api/dsp"  # the provider's DID still resolves
    started = await request_contract(consumer.context, nowhere, provider.did, offer)
    assert isinstance(started, Ok), started
    return provider, consumer, started.value


async def test_offer_is_accepted_at_once_when_identical_to_request(space, database_url):
    provider, consumer, row = await _requested(space, database_url)
    reply = await _post(
        provider, consumer, f"/negotiations/{row.id}/offers", _offer_message(row.id, row.offer)
    )
    assert reply.status_code == 200, reply.text
    current = (await get_negotiation(consumer.context, row.id)).value
    assert current.state == "ACCEPTED"
    assert current.provider_pid == "urn:uuid:p-1"
    assert await _count(consumer, WorkItem, subject_id=row.id, action="accept") == 1


async def test_offer_is_held_in_offered_when_it_differs_from_request(space, database_url):
    provider, consumer, row = await _requested(space, database_url)
    changed = {"@id": "urn:uuid:o-2", "@type": "Offer", **wider(row.offer)}
    reply = await _post(
        provider, consumer, f"/negotiations/{row.id}/offers", _offer_message(row.id, changed)
    )
    assert reply.status_code == 200, reply.text
    current = (await get_negotiation(consumer.context, row.id)).value
    assert current.state == "OFFERED"
    assert current.offer_id == "urn:uuid:o-2"
    assert await _count(consumer, WorkItem, subject_id=row.id, action="accept") == 0
    again = await _post(
        provider, consumer, f"/negotiations/{row.id}/offers", _offer_message(row.id, changed)
    )
    assert again.status_code == 200
    other = dict(changed, **{"@id": "urn:uuid:o-3"})
    refused = await _post(
        provider, consumer, f"/negotiations/{row.id}/offers", _offer_message(row.id, other)
    )
    assert refused.status_code == 400
    assert refused.json()["@type"] == "ContractNegotiationError"
    assert refused.json()["reason"] == [
        "ContractOfferMessage is not allowed in state OFFERED (CONSUMER)"
    ]
    assert (await get_negotiation(consumer.context, row.id)).value.offer_id == "urn:uuid:o-2"


async def test_offer_is_400_without_change_when_target_is_another_dataset(space, database_url):
    provider, consumer, row = await _requested(space, database_url)
    foreign = dict(row.offer, **{"@id": "urn:uuid:o-9", "target": "asset-2"})
    reply = await _post(
        provider, consumer, f"/negotiations/{row.id}/offers", _offer_message(row.id, foreign)
    )
    assert reply.status_code == 400
    assert reply.json()["reason"] == [
        "the offer cannot be considered",
        "offer.target: asset-2, the negotiation is about asset-1",
    ]
    current = (await get_negotiation(consumer.context, row.id)).value
    assert current.state == "REQUESTED"
    assert current.offer_id == row.offer_id
    assert current.provider_pid is None


async def test_initial_offer_returns_same_negotiation_when_repeated(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    message = {
        "@context": CONTEXT,
        "@type": "ContractOfferMessage",
        "providerPid": "urn:uuid:p-7",
        "callbackAddress": provider.dsp,
        "offer": {
            "@id": "urn:uuid:o-7",
            "@type": "Offer",
            "target": "asset-7",
            "assigner": provider.did,
            "permission": [{"action": "use"}],
        },
    }
    assert validate_message(message, ("ContractOfferMessage",)) is None
    first = await _post(provider, consumer, "/negotiations/offers", message)
    second = await _post(provider, consumer, "/negotiations/offers", message)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert first.json()["state"] == "OFFERED"
    assert first.json()["providerPid"] == "urn:uuid:p-7"
    assert validate_message(first.json(), ("ContractNegotiation",)) is None
    assert await _count(consumer, NegotiationRow) == 1


async def test_initial_offer_is_400_and_nothing_stored_when_assigner_is_not_sender(
    space, database_url
):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    message = {
        "@context": CONTEXT,
        "@type": "ContractOfferMessage",
        "providerPid": "urn:uuid:p-8",
        "callbackAddress": provider.dsp,
        "offer": {
            "@id": "urn:uuid:o-8",
            "@type": "Offer",
            "target": "asset-8",
            "assigner": "did:web:someone.else",
            "permission": [{"action": "use"}],
        },
    }
    reply = await _post(provider, consumer, "/negotiations/offers", message)
    assert reply.status_code == 400
    assert reply.json()["reason"] == [
        "the offer cannot be considered",
        "offer.assigner: did:web:someone.else is not the provider",
    ]
    assert await _count(consumer, NegotiationRow) == 0


async def test_accepted_event_is_acknowledged_without_change_when_repeated(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    await _unreachable_consumer(provider, provider_pid)
    event = {
        "@context": CONTEXT,
        "@type": "ContractNegotiationEventMessage",
        "providerPid": provider_pid,
        "consumerPid": row.id,
        "eventType": "ACCEPTED",
    }
    assert validate_message(event, ("ContractNegotiationEventMessage",)) is None
    first = await _post(consumer, provider, f"/negotiations/{provider_pid}/events", event)
    assert first.status_code == 200, first.text
    assert await negotiation_state(provider, provider_pid) == "AGREED"
    again = await _post(consumer, provider, f"/negotiations/{provider_pid}/events", event)
    assert again.status_code == 200
    assert await negotiation_state(provider, provider_pid) == "AGREED"
    assert await _count(provider, AgreementRow) == 1
    counter = {
        "@context": CONTEXT,
        "@type": "ContractRequestMessage",
        "providerPid": provider_pid,
        "consumerPid": row.id,
        "offer": {"@id": "urn:uuid:o-5", "@type": "Offer", **wider(row.offer)},
    }
    assert validate_message(counter, ("ContractRequestMessage",)) is None
    refused = await _post(consumer, provider, f"/negotiations/{provider_pid}/request", counter)
    assert refused.status_code == 400
    assert refused.json()["reason"] == [
        "ContractRequestMessage is not allowed in state AGREED (PROVIDER)"
    ]
    assert await negotiation_state(provider, provider_pid) == "AGREED"
    assert await _count(provider, AgreementRow) == 1


async def test_accepted_event_is_400_without_change_when_never_offered(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    offer = await catalog_offer(consumer, provider, "asset-1")
    space.router.down.add(consumer.host)
    started = await request_contract(consumer.context, provider.dsp, provider.did, offer)

    async def provider_pid():
        return (await get_negotiation(consumer.context, started.value.id)).value.provider_pid

    pid = await until(provider_pid)
    assert await negotiation_state(provider, pid) == "AGREED"
    event = {
        "@context": CONTEXT,
        "@type": "ContractNegotiationEventMessage",
        "providerPid": pid,
        "consumerPid": started.value.id,
        "eventType": "ACCEPTED",
    }
    refused = await _post(consumer, provider, f"/negotiations/{pid}/events", event)
    assert refused.status_code == 400
    assert refused.json()["reason"] == [
        "ContractNegotiationEventMessage:ACCEPTED is not allowed in state AGREED (PROVIDER)"
    ]
    counter = {
        "@context": CONTEXT,
        "@type": "ContractRequestMessage",
        "providerPid": pid,
        "consumerPid": started.value.id,
        "offer": started.value.offer,
    }
    refused = await _post(consumer, provider, f"/negotiations/{pid}/request", counter)
    assert refused.status_code == 400
    assert refused.json()["reason"] == [
        "ContractRequestMessage is not allowed in state AGREED (PROVIDER)"
    ]
    assert await negotiation_state(provider, pid) == "AGREED"


async def test_offer_is_400_without_change_when_consumer_finalized(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    assert isinstance(await accept_offer(consumer.context, row.id), Ok)
    await finalized(consumer, row.id)
    late = _offer_message(row.id, {**row.offer, "@id": "urn:uuid:o-late"}, provider_pid)
    refused = await _post(provider, consumer, f"/negotiations/{row.id}/offers", late)
    assert refused.status_code == 400
    assert refused.json()["reason"] == [
        "ContractOfferMessage is not allowed in state FINALIZED (CONSUMER)"
    ]
    assert await negotiation_state(consumer, row.id) == "FINALIZED"


async def test_counter_offer_is_acknowledged_without_change_when_repeated(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    await _unreachable_consumer(provider, provider_pid)
    counter = {
        "@context": CONTEXT,
        "@type": "ContractRequestMessage",
        "providerPid": provider_pid,
        "consumerPid": row.id,
        "offer": {"@id": "urn:uuid:o-6", "@type": "Offer", **stricter(row.offer)},
    }
    assert validate_message(counter, ("ContractRequestMessage",)) is None
    first = await _post(consumer, provider, f"/negotiations/{provider_pid}/request", counter)
    assert first.status_code == 200, first.text
    assert await negotiation_state(provider, provider_pid) == "AGREED"
    again = await _post(consumer, provider, f"/negotiations/{provider_pid}/request", counter)
    assert again.status_code == 200
    assert await negotiation_state(provider, provider_pid) == "AGREED"
    assert await _count(provider, AgreementRow) == 1
    other = dict(counter, offer=dict(counter["offer"], **{"@id": "urn:uuid:o-7"}))
    refused = await _post(consumer, provider, f"/negotiations/{provider_pid}/request", other)
    assert refused.status_code == 400
    assert await _count(provider, AgreementRow) == 1


async def test_counter_offer_is_acknowledged_without_change_when_repeated_after_offer_back(
    space, database_url
):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    changed = policy_template("members-with-pcf-framework", purposes=[])
    body = to_edc_policy_definition(changed, "asset-1-contract")
    updated = await provider.management.put("/v3/policydefinitions/asset-1-contract", json=body)
    assert updated.status_code == 204, updated.text
    await _unreachable_consumer(provider, provider_pid)
    counter = {
        "@context": CONTEXT,
        "@type": "ContractRequestMessage",
        "providerPid": provider_pid,
        "consumerPid": row.id,
        "offer": {"@id": "urn:uuid:o-4", "@type": "Offer", **wider(row.offer)},
    }
    first = await _post(consumer, provider, f"/negotiations/{provider_pid}/request", counter)
    assert first.status_code == 200, first.text
    mine = (await get_negotiation(provider.context, provider_pid)).value
    assert mine.state == "OFFERED"
    assert mine.offer_id != row.offer_id
    again = await _post(consumer, provider, f"/negotiations/{provider_pid}/request", counter)
    assert again.status_code == 200
    after = (await get_negotiation(provider.context, provider_pid)).value
    assert (after.state, after.offer_id, after.offer) == ("OFFERED", mine.offer_id, mine.offer)
    assert await _count(provider, WorkItem, subject_id=provider_pid, action="terminate") == 0
