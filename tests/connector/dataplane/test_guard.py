"""The EDR-guarded data plane: token, agreement, transfer and asset re-checked on every call,
every call in the audit log (issue 6 item 4; DESIGN.md "Rules that make it sovereign")."""

from __future__ import annotations

import asyncio

from connector.dataplane import b64url, export_audit, list_audit
from connector.negotiation import revoke_agreement
from connector.outcome import Ok
from connector.transfer import get_edr_data_address
from tests.support.flows import negotiate, transfer


async def _started(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    coil = await space.publish_footprint(provider, "coil")
    other = await space.publish_footprint(provider, "wire")
    negotiation = await negotiate(consumer, provider, coil.asset_id)
    process = await transfer(consumer, provider, negotiation.agreement_id)
    address = (await get_edr_data_address(consumer.context, process.id)).value
    return provider, consumer, coil, other, negotiation, address


async def _get(consumer, url, token):
    return await consumer.context.http.get(url, headers={"Authorization": f"Bearer {token}"})


async def test_edr_is_refused_at_once_when_agreement_revoked(space, database_url):
    provider, consumer, _, _, negotiation, address = await _started(space, database_url)
    assert (await _get(consumer, address["endpoint"], address["authorization"])).status_code == 200
    revoked = await revoke_agreement(provider.context, negotiation.agreement_id, "contract ended")
    assert isinstance(revoked, Ok)
    response = await _get(consumer, address["endpoint"], address["authorization"])
    assert response.status_code == 403
    assert "contract ended" in response.json()["messages"][0]["text"]


async def test_other_submodel_is_refused_when_not_the_agreed_asset(space, database_url):
    provider, consumer, _, other, _, address = await _started(space, database_url)
    url = f"{provider.settings.node.url}/api/public/submodels/{b64url(other.submodel_id)}"
    response = await _get(consumer, url, address["authorization"])
    assert response.status_code == 403


async def test_call_is_401_when_token_missing_or_forged(space, database_url):
    _, consumer, _, _, _, address = await _started(space, database_url)
    assert (await consumer.context.http.get(address["endpoint"])).status_code == 401
    forged = address["authorization"][:-4] + "AAAA"
    assert (await _get(consumer, address["endpoint"], forged)).status_code == 401


async def test_audit_log_names_who_what_and_agreement_when_data_is_read(space, database_url):
    provider, consumer, coil, other, negotiation, address = await _started(space, database_url)
    await _get(consumer, address["endpoint"], address["authorization"])
    url = f"{provider.settings.node.url}/api/public/submodels/{b64url(other.submodel_id)}"
    await _get(consumer, url, address["authorization"])
    rows = (await list_audit(provider.context, {"participant_id": consumer.did})).value
    assert [(r.outcome, r.status, r.identifier) for r in rows] == [
        ("denied", 403, other.submodel_id),
        ("allowed", 200, coil.submodel_id),
    ]
    assert {r.agreement_id for r in rows} == {negotiation.agreement_id}
    assert {r.asset_id for r in rows} == {coil.asset_id}
    exported = (await export_audit(provider.context, "csv")).value
    assert exported.splitlines()[0].startswith("id,at,participant_id,agreement_id")
    assert len(exported.splitlines()) == 3


async def test_audit_cli_exports_csv_when_asked(space, database_url):
    from typer.testing import CliRunner

    from connector.cli import app

    provider, consumer, coil, _, _, address = await _started(space, database_url)
    await _get(consumer, address["endpoint"], address["authorization"])
    await space.quiesce()
    node_dir = str(provider.settings.node_dir)
    result = await asyncio.to_thread(
        CliRunner().invoke, app, ["audit", node_dir, "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("id,at,participant_id")
    assert coil.submodel_id in lines[1]
    wrong = await asyncio.to_thread(CliRunner().invoke, app, ["audit", node_dir, "--format", "x"])
    assert wrong.exit_code == 2
