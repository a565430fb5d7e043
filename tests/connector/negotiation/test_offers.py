"""The OFFERED/ACCEPTED branch of contract negotiation, both roles (DSP 2025-1 "Contract
Negotiation Protocol" state machine; shared/reference/dsp.md §5): provider-initiated offers, the
consumer accepting (operator or at once) or countering, the provider judging counter-offers
against the contract definition's policy, and ACCEPTED answered with the agreement."""

from __future__ import annotations

import copy

from connector.identity import MEMBERSHIP_CREDENTIAL
from connector.negotiation import (
    accept_offer,
    counter_offer,
    get_agreement,
    get_negotiation,
    offer_contract,
    query_negotiations,
    wait_for_negotiation,
)
from connector.outcome import Failure, Ok
from connector.work import WorkItem
from policies import policy_template, to_edc_policy_definition
from tests.support.flows import negotiation_state, until

FAST_WORK = {"work": {"backoff_base_s": 0.05, "backoff_max_s": 0.2, "sweep_s": 0.1}}
UNTIL_2099 = {
    "leftOperand": "dateTime",
    "operator": "lteq",
    "rightOperand": "2099-12-31T00:00:00Z",
}


async def offered(provider, consumer, asset_id="asset-1"):
    """A provider-initiated offer, held by the consumer in OFFERED (both pids known)."""
    made = await offer_contract(provider.context, consumer.dsp, consumer.did, asset_id)
    assert isinstance(made, Ok), made

    async def held():
        rows = await query_negotiations(consumer.context, {"provider_pid": made.value.id})
        return rows.value[0] if rows.value else None

    row = await until(held)

    async def acknowledged():
        mine = (await get_negotiation(provider.context, made.value.id)).value
        return mine if mine.consumer_pid == row.id else None

    await until(acknowledged)
    return made.value.id, row


def stricter(offer):
    """The offer with one more constraint on its permission (narrower: acceptable)."""
    changed = copy.deepcopy(offer)
    changed["permission"][0].setdefault("constraint", []).append(UNTIL_2099)
    return {k: v for k, v in changed.items() if k != "@id"}


def wider(offer):
    """The offer with its permission's constraints dropped (wider: not acceptable)."""
    return {"target": offer["target"], "permission": [{"action": "use"}]}


async def finalized(peer, negotiation_id):
    done = await wait_for_negotiation(peer.context, negotiation_id, ("FINALIZED",), 20)
    assert isinstance(done, Ok), done
    return done.value


async def ended(peer, negotiation_id, state="TERMINATED"):
    async def check():
        current = await negotiation_state(peer, negotiation_id)
        return current if current == state else None

    return await until(check)


async def test_provider_offer_is_held_in_offered_when_consumer_has_not_decided(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    assert row.state == "OFFERED"
    assert row.asset_id == "asset-1"
    assert row.agreement_id is None
    assert row.offer["assigner"] == provider.did
    assert row.offer["@id"].startswith(provider_pid + ":offer:")
    assert await negotiation_state(provider, provider_pid) == "OFFERED"


async def test_negotiation_finalizes_when_operator_accepts_provider_offer(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    shown = await consumer.management.get(f"/v3/contractnegotiations/{row.id}/offer")
    assert shown.status_code == 200
    assert shown.json()["@id"] == row.offer_id
    assert shown.json()["odrl:target"] == {"@id": "asset-1"}
    accepted = await consumer.management.post(f"/v3/contractnegotiations/{row.id}/accept")
    assert accepted.status_code == 204
    done = await finalized(consumer, row.id)
    agreement = (await get_agreement(consumer.context, done.agreement_id)).value
    assert agreement.provider_id == provider.did
    assert agreement.policy["permission"] == row.offer["permission"]
    remote = (await get_negotiation(provider.context, provider_pid)).value
    assert remote.state == "FINALIZED"
    assert remote.agreement_id == done.agreement_id


async def test_counter_offer_is_agreed_when_stricter_than_contract_policy(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    countered = await consumer.management.post(
        f"/v3/contractnegotiations/{row.id}/counteroffer",
        json={"policy": stricter(row.offer)},
    )
    assert countered.status_code == 204, countered.text
    done = await finalized(consumer, row.id)
    agreement = (await get_agreement(provider.context, done.agreement_id)).value
    constraints = agreement.policy["permission"][0]["constraint"]
    assert any(c.get("rightOperand") == "2099-12-31T00:00:00Z" for c in constraints)
    assert await negotiation_state(provider, provider_pid) == "FINALIZED"


async def test_counter_offer_terminates_with_reason_when_wider_than_offer(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    countered = await counter_offer(consumer.context, row.id, wider(row.offer))
    assert isinstance(countered, Ok), countered
    assert await ended(consumer, row.id) == "TERMINATED"
    mine = (await get_negotiation(provider.context, provider_pid)).value
    theirs = (await get_negotiation(consumer.context, row.id)).value
    assert mine.state == "TERMINATED"
    assert mine.error_detail == (
        "the counter-offer is not acceptable; a permission to use is wider than the offer"
    )
    assert "the counter-offer is not acceptable" in theirs.error_detail
    assert mine.agreement_id is None


async def test_provider_offers_back_when_contract_policy_changed_since_its_offer(
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
    countered = await counter_offer(consumer.context, row.id, wider(row.offer))
    assert isinstance(countered, Ok), countered

    async def offered_again():
        current = (await get_negotiation(consumer.context, row.id)).value
        return current if current.state == "OFFERED" and current.offer_id != row.offer_id else None

    again = await until(offered_again)
    assert again.offer["@id"].startswith(provider_pid + ":offer:")
    assert "FrameworkAgreement" in str(again.offer["permission"])
    assert await negotiation_state(provider, provider_pid) == "OFFERED"
    assert isinstance(await accept_offer(consumer.context, row.id), Ok)
    done = await finalized(consumer, row.id)
    agreement = (await get_agreement(consumer.context, done.agreement_id)).value
    assert agreement.policy["permission"] == again.offer["permission"]


async def test_accepted_offer_terminates_with_reason_when_contract_policy_denies_consumer(
    space, database_url
):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer", credentials=(MEMBERSHIP_CREDENTIAL,))
    await space.publish(provider, "asset-1", contract="members-with-pcf-framework")
    provider_pid, row = await offered(provider, consumer)
    assert isinstance(await accept_offer(consumer.context, row.id), Ok)
    assert await ended(consumer, row.id) == "TERMINATED"
    mine = (await get_negotiation(provider.context, provider_pid)).value
    assert mine.state == "TERMINATED"
    assert mine.agreement_id is None
    assert mine.error_detail.startswith("the contract policy does not admit the consumer")
    theirs = (await get_negotiation(consumer.context, row.id)).value
    assert "the contract policy does not admit the consumer" in theirs.error_detail


async def test_counter_offer_terminates_when_contract_policy_denies_consumer(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer", credentials=(MEMBERSHIP_CREDENTIAL,))
    await space.publish(provider, "asset-1", contract="members-with-pcf-framework")
    provider_pid, row = await offered(provider, consumer)
    assert isinstance(await counter_offer(consumer.context, row.id, stricter(row.offer)), Ok)
    assert await ended(provider, provider_pid) == "TERMINATED"
    mine = (await get_negotiation(provider.context, provider_pid)).value
    assert mine.error_detail.startswith("the contract policy does not admit the consumer")
    assert await ended(consumer, row.id) == "TERMINATED"


async def test_operator_moves_are_refused_without_change_when_not_offered(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    assert isinstance(await accept_offer(consumer.context, row.id), Ok)
    await finalized(consumer, row.id)
    refused = await accept_offer(consumer.context, row.id)
    assert isinstance(refused, Failure)
    assert refused.detail == f"negotiation {row.id} is FINALIZED: cannot accept it"
    refused = await counter_offer(consumer.context, row.id, stricter(row.offer))
    assert isinstance(refused, Failure)
    assert refused.detail == f"negotiation {row.id} is FINALIZED: cannot counter it"
    response = await consumer.management.post(f"/v3/contractnegotiations/{row.id}/accept")
    assert response.status_code == 400
    assert response.json()[0]["message"] == f"negotiation {row.id} is FINALIZED: cannot accept it"
    as_provider = await accept_offer(provider.context, provider_pid)
    assert isinstance(as_provider, Failure)
    assert as_provider.detail == (f"negotiation {provider_pid}: only the consumer answers an offer")
    assert await negotiation_state(consumer, row.id) == "FINALIZED"
    assert await negotiation_state(provider, provider_pid) == "FINALIZED"


async def test_provider_offer_is_refused_when_asset_has_no_contract(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    refused = await offer_contract(provider.context, consumer.dsp, consumer.did, "nothing")
    assert isinstance(refused, Failure)
    assert refused.detail == "assetId: asset 'nothing' not found"
    response = await provider.management.post(
        "/v3/contractnegotiations/offers",
        json={"counterPartyAddress": consumer.dsp, "assetId": "nothing"},
    )
    assert response.status_code == 400
    assert response.json()[0]["message"] == "counterPartyId: is required and must be a string"
    listed = await query_negotiations(provider.context)
    assert listed.value == []


async def test_provider_offer_via_management_api_returns_id_when_valid(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    response = await provider.management.post(
        "/v3/contractnegotiations/offers",
        json={
            "@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"},
            "counterPartyAddress": consumer.dsp,
            "counterPartyId": consumer.did,
            "assetId": "asset-1",
            "contractDefinitionId": "asset-1-definition",
        },
    )
    assert response.status_code == 200, response.text
    provider_pid = response.json()["@id"]

    async def held():
        rows = await query_negotiations(consumer.context, {"provider_pid": provider_pid})
        return rows.value[0] if rows.value else None

    row = await until(held)
    assert row.state == "OFFERED"
    state = await provider.management.get(f"/v3/contractnegotiations/{provider_pid}/state")
    assert state.json()["state"] == "OFFERED"


async def test_accepted_offer_finalizes_when_provider_comes_back(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer", extra=FAST_WORK)
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    space.router.down.add(provider.host)
    assert isinstance(await accept_offer(consumer.context, row.id), Ok)

    async def retried():
        async with consumer.context.database.session() as session:
            item = (
                await session.exec(WorkItem.__table__.select().where(WorkItem.subject_id == row.id))
            ).first()
        return item if item is not None and item.attempts >= 1 else None

    item = await until(retried)
    assert item.action == "accept"
    assert await negotiation_state(consumer, row.id) == "ACCEPTED"
    assert await negotiation_state(provider, provider_pid) == "OFFERED"
    space.router.down.clear()
    await finalized(consumer, row.id)
    assert await negotiation_state(provider, provider_pid) == "FINALIZED"


async def test_counter_offer_in_edc_form_is_sent_when_posted_to_management_api(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    body = {
        "@context": {
            "@vocab": "https://w3id.org/edc/v0.0.1/ns/",
            "odrl": "http://www.w3.org/ns/odrl/2/",
        },
        "policy": {
            "@type": "odrl:Offer",
            "odrl:permission": [{"odrl:action": {"@id": "odrl:use"}}],
        },
    }
    response = await consumer.management.post(
        f"/v3/contractnegotiations/{row.id}/counteroffer", json=body
    )
    assert response.status_code == 204, response.text
    assert await ended(provider, provider_pid) == "TERMINATED"
    mine = (await get_negotiation(provider.context, provider_pid)).value
    assert mine.error_detail == (
        "the counter-offer is not acceptable; a permission to use is wider than the offer"
    )
    assert mine.offer["target"] == "asset-1"
    unreadable = await consumer.management.post(
        f"/v3/contractnegotiations/{row.id}/counteroffer", json={"policy": "use"}
    )
    assert unreadable.status_code == 400
    assert unreadable.json()[0]["message"] == "policy: is required (the changed offer)"


async def offered_with_ttl(space, database_url, ttl_s: float):
    """A provider whose offers expire after `ttl_s`, and its offer held by a consumer."""
    extra = {**FAST_WORK, "negotiation": {"offer_ttl_s": ttl_s}}
    provider = await space.node("provider", database_url, extra=extra)
    consumer = await space.node("consumer", extra=FAST_WORK)
    await space.publish(provider, "asset-1")
    provider_pid, row = await offered(provider, consumer)
    return provider, consumer, provider_pid, row


async def expiry_items(peer) -> list:
    async with peer.context.database.session() as session:
        table = WorkItem.__table__
        rows = await session.exec(table.select().where(table.c.action == "expire_offer"))
        return list(rows.all())


async def test_unanswered_provider_offer_is_withdrawn_with_reason_when_its_ttl_passes(
    space, database_url
):
    provider, consumer, provider_pid, row = await offered_with_ttl(space, database_url, 0.5)
    await ended(provider, provider_pid)
    await ended(consumer, row.id)
    for peer, negotiation_id in ((provider, provider_pid), (consumer, row.id)):
        detail = (await get_negotiation(peer.context, negotiation_id)).value.error_detail
        assert f"offer {row.offer_id} withdrawn: no answer within 0.5 s" in detail
    assert await expiry_items(provider) == []
    refused = await consumer.management.post(f"/v3/contractnegotiations/{row.id}/accept")
    assert refused.status_code == 400


async def test_answered_provider_offer_is_not_withdrawn_when_its_ttl_passes_later(
    space, database_url
):
    provider, consumer, provider_pid, row = await offered_with_ttl(space, database_url, 1.0)
    assert [item.subject_id for item in await expiry_items(provider)] == [provider_pid]
    assert isinstance(await accept_offer(consumer.context, row.id), Ok)
    await finalized(consumer, row.id)

    async def expiry_ran():
        return True if await expiry_items(provider) == [] else None

    await until(expiry_ran)
    assert await negotiation_state(provider, provider_pid) == "FINALIZED"
    assert await negotiation_state(consumer, row.id) == "FINALIZED"


async def test_provider_offer_schedules_no_withdrawal_when_ttl_is_zero(space, database_url):
    provider, _consumer, provider_pid, _row = await offered_with_ttl(space, database_url, 0)
    assert await expiry_items(provider) == []
    assert await negotiation_state(provider, provider_pid) == "OFFERED"
