"""Negotiation behaviour: policy at negotiation, offer tampering, termination by either side,
unreachable provider, duplicates and out-of-order messages (DSP 2025-1 §"Contract Negotiation";
shared/reference/dsp.md §5)."""

from __future__ import annotations

from connector.identity import MEMBERSHIP_CREDENTIAL
from connector.negotiation import (
    get_negotiation,
    request_contract,
    terminate_negotiation,
    wait_for_negotiation,
)
from connector.outcome import Failure, Ok
from connector.work import WorkItem
from tests.support.flows import catalog_offer, dsp_headers, negotiate, negotiation_state, until


async def test_negotiation_terminates_with_reason_when_policy_denies(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer", credentials=(MEMBERSHIP_CREDENTIAL,))
    await space.publish(provider, "asset-1", contract="members-with-pcf-framework")
    row = await negotiate(consumer, provider, "asset-1")
    assert row.state == "TERMINATED"
    assert row.agreement_id is None
    assert "terminated by the counterparty" in row.error_detail
    assert "PcfFramework" in row.error_detail or "framework" in row.error_detail.lower()
    remote = await get_negotiation(provider.context, row.provider_pid)
    assert remote.value.state == "TERMINATED"
    assert remote.value.agreement_id is None


async def test_negotiation_terminates_with_reason_when_offer_is_tampered(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    offer = await catalog_offer(consumer, provider, "asset-1")
    offer["permission"] = [
        {
            "action": "use",
            "constraint": [
                {
                    "leftOperand": "dateTime",
                    "operator": "lteq",
                    "rightOperand": "2099-12-31T00:00:00Z",
                }
            ],
        }
    ]
    row = await negotiate(consumer, provider, "asset-1", offer)
    assert row.state == "TERMINATED"
    assert "the request does not match the offer" in row.error_detail
    remote = await get_negotiation(provider.context, row.provider_pid)
    assert remote.value.state == "TERMINATED"
    assert "the request does not match the offer" in remote.value.error_detail


async def test_catalog_hides_dataset_and_request_is_refused_when_access_denied(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "open")
    await space.publish(
        provider,
        "secret",
        access="named-customers",
        access_options={"customers": ["did:web:someone.else"]},
    )
    offer = await catalog_offer(consumer, provider, "open")
    response = await consumer.context.http.post(
        provider.dsp + "/catalog/request",
        json={
            "@context": ["https://w3id.org/dspace/2025/1/context.jsonld"],
            "@type": "CatalogRequestMessage",
        },
        headers=await dsp_headers(consumer, provider),
    )
    assert [d["@id"] for d in response.json()["dataset"]] == ["open"]
    forged = dict(offer, **{"@id": offer["@id"].replace("open", "secret"), "target": "secret"})
    row = await negotiate(consumer, provider, "secret", forged)
    assert row.state == "TERMINATED"
    assert row.provider_pid is None
    assert "peer answered 400" in row.error_detail


async def _stalled(space, database_url, provider_backoff_s=0.2):
    """A negotiation whose agreement cannot reach the consumer (consumer host unreachable)."""
    backoff = {"work": {"backoff_base_s": provider_backoff_s}}
    provider = await space.node("provider", database_url, extra=backoff)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    offer = await catalog_offer(consumer, provider, "asset-1")
    space.router.down.add(consumer.host)
    started = await request_contract(consumer.context, provider.dsp, provider.did, offer)
    assert isinstance(started, Ok)

    async def provider_pid():
        row = (await get_negotiation(consumer.context, started.value.id)).value
        return row.provider_pid

    pid = await until(provider_pid)
    # stalled: the provider has tried to send the agreement and failed at least once
    await until(lambda: _retried(provider, pid))
    return provider, consumer, started.value.id, pid


async def _retried(node, subject_id):
    """The node's work item for `subject_id`, once it has failed at least one attempt."""
    async with node.context.database.session() as session:
        item = (
            await session.exec(WorkItem.__table__.select().where(WorkItem.subject_id == subject_id))
        ).first()
    return item if item is not None and item.attempts >= 1 else None


async def test_both_sides_terminate_when_consumer_terminates_midway(space, database_url):
    # the provider retries its agreement only after 30 s: the consumer's termination, sent
    # at once, reaches it first however slow the machine
    stalled = await _stalled(space, database_url, provider_backoff_s=30.0)
    provider, consumer, consumer_pid, provider_pid = stalled
    terminated = await terminate_negotiation(consumer.context, consumer_pid, "changed my mind")
    assert isinstance(terminated, Ok)
    space.router.down.clear()

    async def provider_terminated():
        state = await negotiation_state(provider, provider_pid)
        return state if state == "TERMINATED" else None

    assert await until(provider_terminated) == "TERMINATED"
    remote = await get_negotiation(provider.context, provider_pid)
    assert "changed my mind" in remote.value.error_detail
    assert await negotiation_state(consumer, consumer_pid) == "TERMINATED"


async def test_both_sides_terminate_when_provider_terminates_midway(space, database_url):
    provider, consumer, consumer_pid, provider_pid = await _stalled(space, database_url)
    terminated = await terminate_negotiation(provider.context, provider_pid, "withdrawn")
    assert isinstance(terminated, Ok)
    space.router.down.clear()
    done = await wait_for_negotiation(consumer.context, consumer_pid, ("TERMINATED",), 20)
    assert isinstance(done, Ok)
    assert "withdrawn" in done.value.error_detail
    assert done.value.agreement_id is None


async def test_negotiation_completes_when_provider_comes_back(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    offer = await catalog_offer(consumer, provider, "asset-1")
    space.router.down.add(provider.host)
    started = await request_contract(consumer.context, provider.dsp, provider.did, offer)

    await until(lambda: _retried(consumer, started.value.id))
    space.router.down.clear()
    done = await wait_for_negotiation(consumer.context, started.value.id, timeout_s=20)
    assert isinstance(done, Ok), done
    assert done.value.state == "FINALIZED"


async def test_terminate_is_refused_without_change_when_finalized(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    row = await negotiate(consumer, provider, "asset-1")
    refused = await terminate_negotiation(consumer.context, row.id)
    assert isinstance(refused, Failure)
    assert refused.detail == f"negotiation {row.id} is FINALIZED: cannot terminate"
    assert await negotiation_state(consumer, row.id) == "FINALIZED"


async def test_negotiation_terminates_locally_when_provider_never_answers(space, database_url):
    provider = await space.node("provider", database_url)
    work = {"max_attempts": 3, "backoff_base_s": 0.05, "backoff_max_s": 0.1, "sweep_s": 0.1}
    consumer = await space.node("consumer", extra={"work": work})
    await space.publish(provider, "asset-1")
    offer = await catalog_offer(consumer, provider, "asset-1")
    space.router.down.add(provider.host)
    started = await request_contract(consumer.context, provider.dsp, provider.did, offer)
    done = await wait_for_negotiation(consumer.context, started.value.id, ("TERMINATED",), 20)
    assert isinstance(done, Ok), done
    assert done.value.error_detail.startswith("gave up after retries: peer unreachable")
    assert done.value.provider_pid is None


async def test_repeated_initial_request_gets_the_same_negotiation_even_after_offer_withdrawn(
    space, database_url
):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    await space.publish(provider, "asset-1")
    offer = await catalog_offer(consumer, provider, "asset-1")
    request = {
        "@context": ["https://w3id.org/dspace/2025/1/context.jsonld"],
        "@type": "ContractRequestMessage",
        "consumerPid": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "offer": offer,
        "callbackAddress": consumer.dsp,
    }

    async def send():
        return await consumer.context.http.post(
            provider.dsp + "/negotiations/request",
            json=request,
            headers=await dsp_headers(consumer, provider),
        )

    first = await send()
    again = await send()
    withdrawn = await provider.management.delete("/v3/contractdefinitions/asset-1-definition")
    assert withdrawn.status_code == 204, withdrawn.text
    after_withdrawal = await send()

    assert first.status_code == again.status_code == after_withdrawal.status_code == 201
    pids = {answer.json()["providerPid"] for answer in (first, again, after_withdrawal)}
    assert len(pids) == 1
    listed = await provider.management.post("/v3/contractnegotiations/request", json={})
    assert [n["@id"] for n in listed.json()] == list(pids)

    other = dict(request, consumerPid="urn:uuid:00000000-0000-4000-8000-000000000002")
    refused = await consumer.context.http.post(
        provider.dsp + "/negotiations/request",
        json=other,
        headers=await dsp_headers(consumer, provider),
    )
    assert refused.status_code == 400
    assert "no longer offered" in refused.text
