"""Agreement retirement through the management API, Tractus-X EDC shapes (control plane 0.11.2
"Agreements Retirement"): a retired agreement's EDR fails at once; reactivation restores it."""

from __future__ import annotations

from connector.transfer import get_edr_data_address
from tests.support.flows import negotiate, transfer

RETIREMENTS = "/v3/contractagreements/retirements"


def retirement(agreement_id: str, reason: str = "the physical part was recalled") -> dict:
    return {
        "@context": {
            "tx": "https://w3id.org/tractusx/v0.0.1/ns/",
            "edc": "https://w3id.org/edc/v0.0.1/ns/",
        },
        "edc:agreementId": agreement_id,
        "tx:reason": reason,
    }


async def _agreed_with_edr(space, database_url):
    provider = await space.node("provider", database_url)
    consumer = await space.node("consumer")
    coil = await space.publish_footprint(provider, "coil")
    negotiation = await negotiate(consumer, provider, coil.asset_id)
    process = await transfer(consumer, provider, negotiation.agreement_id)
    address = (await get_edr_data_address(consumer.context, process.id)).value
    return provider, consumer, negotiation.agreement_id, address


async def _fetch(consumer, address) -> int:
    headers = {"Authorization": f"Bearer {address['authorization']}"}
    response = await consumer.context.http.get(address["endpoint"], headers=headers)
    return response.status_code


async def test_edr_fails_at_once_when_agreement_retired_and_works_when_reactivated(
    space, database_url
) -> None:
    provider, consumer, agreement_id, address = await _agreed_with_edr(space, database_url)
    assert await _fetch(consumer, address) == 200

    retired = await provider.management.post(RETIREMENTS, json=retirement(agreement_id))
    assert retired.status_code == 204
    assert await _fetch(consumer, address) == 403

    listed = await provider.management.post(RETIREMENTS + "/request", json={})
    assert listed.status_code == 200
    [entry] = listed.json()
    assert entry["edc:agreementId"] == agreement_id
    assert entry["tx:reason"] == "the physical part was recalled"
    assert isinstance(entry["tx:agreementRetirementDate"], int)

    reactivated = await provider.management.delete(f"{RETIREMENTS}/{agreement_id}")
    assert reactivated.status_code == 204
    assert await _fetch(consumer, address) == 200
    listed_again = await provider.management.post(RETIREMENTS + "/request", json={})
    assert listed_again.json() == []


async def test_retirement_is_409_when_agreement_already_retired(space, database_url) -> None:
    provider, _, agreement_id, _ = await _agreed_with_edr(space, database_url)
    first = await provider.management.post(RETIREMENTS, json=retirement(agreement_id))
    again = await provider.management.post(RETIREMENTS, json=retirement(agreement_id, "twice"))
    assert first.status_code == 204
    assert again.status_code == 409
    assert again.json()[0]["type"] == "ObjectConflict"
    listed = await provider.management.post(RETIREMENTS + "/request", json={})
    assert [entry["tx:reason"] for entry in listed.json()] == ["the physical part was recalled"]


async def test_retirement_is_404_when_agreement_unknown(space, database_url) -> None:
    provider = await space.node("provider", database_url)
    response = await provider.management.post(RETIREMENTS, json=retirement("urn:agreement:none"))
    assert response.status_code == 404
    assert response.json()[0]["type"] == "ObjectNotFound"
    reactivated = await provider.management.delete(f"{RETIREMENTS}/urn:agreement:none")
    assert reactivated.status_code == 404


async def test_retirement_is_400_naming_fields_when_body_incomplete(space, database_url) -> None:
    provider = await space.node("provider", database_url)
    response = await provider.management.post(RETIREMENTS, json={"tx:reason": ""})
    assert response.status_code == 400
    assert [error["message"] for error in response.json()] == [
        "agreementId: required, a non-empty string",
        "reason: required, a non-empty string",
    ]
    not_json = await provider.management.post(RETIREMENTS, content=b"{")
    assert not_json.status_code == 400
    listed = await provider.management.post(RETIREMENTS + "/request", json={})
    assert listed.json() == []


async def test_consumer_cannot_retire_when_agreement_is_not_its_own_grant(
    space, database_url
) -> None:
    _, consumer, agreement_id, address = await _agreed_with_edr(space, database_url)
    response = await consumer.management.post(RETIREMENTS, json=retirement(agreement_id))
    assert response.status_code == 400
    assert await _fetch(consumer, address) == 200
