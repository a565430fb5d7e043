"""Two real `carbonspace serve` processes: offer tampering and policy denial end TERMINATED with
the reason on both sides; provider suspension, resumption and termination cut the EDR off at
once (403) and back on (issue 6 "Done when"). SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.test_dsp_exchange import (
    EDC,
    PROTOCOL,
    Node,
    databases,  # noqa: F401
    finalized_agreement,
    listed,
    offer_products,
    space,  # noqa: F401
    start_negotiation,
    start_transfer,
    state_of,
    until,
)

pytestmark = pytest.mark.e2e


def _request(consumer: Node, provider: Node, offer: dict) -> str:
    with consumer.mgmt() as client:
        started = client.post(
            "/v3/contractnegotiations",
            json={
                "@context": {"@vocab": EDC},
                "@type": "ContractRequest",
                "counterPartyAddress": provider.dsp,
                "protocol": PROTOCOL,
                "policy": offer,
            },
        )
    assert started.status_code == 200, started.text
    negotiation_id: str = started.json()["@id"]
    return negotiation_id


def _offer(consumer: Node, provider: Node, asset_id: str) -> dict:
    with consumer.mgmt() as client:
        catalog = client.post(
            "/v3/catalog/request",
            json={
                "@context": {"@vocab": EDC},
                "@type": "CatalogRequest",
                "counterPartyAddress": provider.dsp,
                "counterPartyId": provider.did,
                "protocol": PROTOCOL,
            },
        ).json()
    dataset = next(d for d in catalog["dataset"] if d["@id"] == asset_id)
    return {
        **dataset["hasPolicy"][0],
        "assigner": {"@id": provider.did},
        "target": {"@id": asset_id},
    }


def _terminated_everywhere(consumer: Node, provider: Node, negotiation_id: str) -> list[str]:
    until(lambda: state_of(consumer, "contractnegotiations", negotiation_id) == "TERMINATED")
    until(lambda: [n["state"] for n in listed(provider, "contractnegotiations")] == ["TERMINATED"])
    with consumer.mgmt() as client:
        mine = client.get(f"/v3/contractnegotiations/{negotiation_id}").json()
    assert mine.get("contractAgreementId") is None
    return [str(mine.get("errorDetail"))]


def test_tampered_offer_is_terminated_with_reason_when_requested(space) -> None:  # noqa: F811
    provider, consumer = space("provider"), space("consumer")
    offer_products(provider, "COIL")
    offer = _offer(consumer, provider, "pcf-COIL")
    offer["permission"] = [
        {
            "action": "use",
            "constraint": [
                {
                    "leftOperand": "dateTime",
                    "operator": "lteq",
                    "rightOperand": "2099-01-01T00:00:00Z",
                }
            ],
        }
    ]
    negotiation = _request(consumer, provider, offer)
    reasons = _terminated_everywhere(consumer, provider, negotiation)
    assert "the request does not match the offer" in reasons[0]
    assert listed(provider, "contractagreements") == []


def test_negotiation_is_terminated_with_reason_when_policy_denies(space) -> None:  # noqa: F811
    provider, consumer = space("provider"), space("consumer")
    offer_products(provider, "COIL")
    members_only = {
        "@context": {"@vocab": EDC},
        "@id": "members",
        "policy": {
            "@context": "http://www.w3.org/ns/odrl.jsonld",
            "@type": "Set",
            "permission": [
                {
                    "action": "use",
                    "constraint": [
                        {
                            "leftOperand": "https://w3id.org/catenax/policy/Membership",
                            "operator": "eq",
                            "rightOperand": "active",
                        }
                    ],
                }
            ],
        },
    }
    definition = {
        "@context": {"@vocab": EDC},
        "@id": "members-only",
        "accessPolicyId": "use",
        "contractPolicyId": "members",
        "assetsSelector": [
            {"operandLeft": EDC + "id", "operator": "=", "operandRight": "pcf-COIL"}
        ],
    }
    with provider.mgmt() as client:
        assert client.delete("/v3/contractdefinitions/all").status_code in (200, 204)
        assert client.post("/v3/policydefinitions", json=members_only).status_code == 200
        assert client.post("/v3/contractdefinitions", json=definition).status_code == 200
    negotiation = _request(consumer, provider, _offer(consumer, provider, "pcf-COIL"))
    reasons = _terminated_everywhere(consumer, provider, negotiation)
    assert "Membership" in reasons[0] or "membership" in reasons[0]


def _address(consumer: Node, transfer_id: str) -> dict:
    with consumer.mgmt() as client:
        response = client.get(f"/v3/edrs/{transfer_id}/dataaddress")
    assert response.status_code == 200, response.text
    address: dict = response.json()
    return address


def _data(address: dict) -> int:
    return httpx.get(
        address["endpoint"], headers={"Authorization": address["authorization"]}
    ).status_code


def test_edr_is_cut_off_and_restored_when_provider_suspends_resumes_terminates(space) -> None:  # noqa: F811
    provider, consumer = space("provider"), space("consumer")
    offer_products(provider, "COIL")
    agreement = finalized_agreement(consumer, start_negotiation(consumer, provider, "pcf-COIL"))
    transfer = start_transfer(consumer, provider, agreement)
    until(lambda: state_of(consumer, "transferprocesses", transfer) == "STARTED")
    first = _address(consumer, transfer)
    assert _data(first) == 200
    provider_transfer = listed(provider, "transferprocesses")[0]["@id"]
    with provider.mgmt() as client:
        assert client.post(
            f"/v3/transferprocesses/{provider_transfer}/suspend", json={"reason": "audit"}
        ).status_code in (200, 204)
    assert _data(first) == 403
    until(lambda: state_of(consumer, "transferprocesses", transfer) == "SUSPENDED")
    with provider.mgmt() as client:
        assert client.post(
            f"/v3/transferprocesses/{provider_transfer}/resume", json={}
        ).status_code in (200, 204)
    until(lambda: state_of(consumer, "transferprocesses", transfer) == "STARTED")
    resumed = _address(consumer, transfer)
    assert resumed["authorization"] != first["authorization"]
    assert _data(resumed) == 200
    with provider.mgmt() as client:
        assert client.post(
            f"/v3/transferprocesses/{provider_transfer}/terminate",
            json={"reason": "contract ended"},
        ).status_code in (200, 204)
    assert _data(resumed) == 403
    until(lambda: state_of(consumer, "transferprocesses", transfer) == "TERMINATED")
