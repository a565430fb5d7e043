"""Transfer process and EDR data plane between two in-process nodes (DSP 2025-1 §"Transfer
Process"; issue 6 item 4)."""

from __future__ import annotations

import json

from connector.outcome import Ok
from connector.transfer import (
    get_edr_data_address,
    get_transfer,
    resume_transfer,
    suspend_transfer,
    terminate_transfer,
    wait_for_transfer,
)
from tests.support.flows import negotiate, transfer


async def _started(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    publication = await space.publish_footprint(provider, "bolt-1", pcf="2.5")
    negotiation = await negotiate(consumer, provider, publication.asset_id)
    assert negotiation.state == "FINALIZED"
    process = await transfer(consumer, provider, negotiation.agreement_id)
    return provider, consumer, publication, process


async def _fetch(consumer, transfer_id, refresh=False):
    address = await get_edr_data_address(consumer.context, transfer_id, refresh)
    assert isinstance(address, Ok), address
    headers = {"Authorization": f"Bearer {address.value['authorization']}"}
    return await consumer.context.http.get(address.value["endpoint"], headers=headers)


async def test_edr_returns_submodel_when_transfer_started(space, database_url):
    provider, consumer, publication, process = await _started(space, database_url)
    assert process.state == "STARTED"
    response = await _fetch(consumer, process.id)
    assert response.status_code == 200, response.text
    assert response.json()["id"] == publication.submodel_id
    assert response.json() == json.loads(publication.submodel_json)
    remote = await get_transfer(provider.context, process.provider_pid)
    assert isinstance(remote, Ok)
    assert remote.value.state == "STARTED"


async def test_edr_is_refused_at_once_when_provider_suspends(space, database_url):
    provider, consumer, _, process = await _started(space, database_url)
    suspended = await suspend_transfer(provider.context, process.provider_pid)
    assert isinstance(suspended, Ok)
    assert (await _fetch(consumer, process.id)).status_code == 403
    waited = await wait_for_transfer(consumer.context, process.id, ("SUSPENDED",), 10)
    assert isinstance(waited, Ok)
    resumed = await resume_transfer(provider.context, process.provider_pid)
    assert isinstance(resumed, Ok)
    assert (await wait_for_transfer(consumer.context, process.id, ("STARTED",), 10)).value
    assert (await _fetch(consumer, process.id)).status_code == 200


async def test_edr_is_refused_when_consumer_terminates(space, database_url):
    provider, consumer, _, process = await _started(space, database_url)
    terminated = await terminate_transfer(consumer.context, process.id, "no longer needed")
    assert isinstance(terminated, Ok)

    async def provider_terminated():
        row = await get_transfer(provider.context, process.provider_pid)
        return row.value if row.value.state == "TERMINATED" else None

    from connector.work import signals

    row = await signals(provider.context).wait_until(process.provider_pid, provider_terminated, 10)
    assert row is not None
    assert (await _fetch(consumer, process.id)).status_code == 403


async def test_edr_refresh_gives_new_working_token_when_asked(space, database_url):
    _, consumer, _, process = await _started(space, database_url)
    before = await get_edr_data_address(consumer.context, process.id)
    response = await _fetch(consumer, process.id, refresh=True)
    assert response.status_code == 200
    after = await get_edr_data_address(consumer.context, process.id)
    assert after.value["authorization"] != before.value["authorization"]
