"""Offer selection across real `carbonspace serve` nodes (issue 7, item 1): a supplier offers
its footprint under two contract definitions, the first requiring a credential the customer
lacks; the customer negotiates the one its credentials satisfy, and when none is satisfiable
it flags the line policy_denied without negotiating."""

from __future__ import annotations

import json
from typing import Any

import pytest

from catalog import EDC_NS
from policies import policy_template, to_edc_policy_definition
from tests.e2e._supply_chain import demo_document, import_document, line, resolve
from tests.support import nodes as support
from tests.support.nodes import RunningNode

pytestmark = pytest.mark.e2e
node_factory = support.nodes  # the e2e conftest's node factory, under a clearer name


def _offer(node: RunningNode, definition_id: str, contract_policy: Any) -> None:
    """A contract definition visible to members whose contract policy is `contract_policy`."""
    access = to_edc_policy_definition(policy_template("members-only"), f"{definition_id}-access")
    contract = to_edc_policy_definition(contract_policy, f"{definition_id}-contract")
    definition = {
        "@context": {"@vocab": EDC_NS},
        "@id": definition_id,
        "accessPolicyId": f"{definition_id}-access",
        "contractPolicyId": f"{definition_id}-contract",
        "assetsSelector": [],
    }
    with node.management() as http:
        for path, body in (
            ("/api/management/v3/policydefinitions", access),
            ("/api/management/v3/policydefinitions", contract),
            ("/api/management/v3/contractdefinitions", definition),
        ):
            reply = http.post(path, json=body)
            assert reply.status_code == 200, reply.text


GOVERNANCE = policy_template("members-with-pcf-framework", framework="DataExchangeGovernance")
PCF = policy_template("members-with-pcf-framework")


def _negotiations(node: RunningNode) -> list[dict[str, Any]]:
    with node.management() as http:
        reply = http.post("/api/management/v3/contractnegotiations/request", json={})
    assert reply.status_code == 200, reply.text
    found: list[dict[str, Any]] = reply.json()
    return found


def _offers(consumer: RunningNode, provider: RunningNode) -> list[str]:
    """The provider's offers of pcf-coil as the consumer's catalog shows them (JSON text)."""
    with consumer.management() as http:
        reply = http.post(
            "/api/management/v3/catalog/request",
            json={
                "@context": {"@vocab": EDC_NS},
                "counterPartyAddress": provider.url + "/api/dsp",
                "counterPartyId": provider.did,
                "protocol": "dataspace-protocol-http:2025-1",
            },
        )
    assert reply.status_code == 200, reply.text
    (dataset,) = [d for d in _datasets(reply.json()) if d["@id"] == "pcf-coil"]
    offers = dataset.get("odrl:hasPolicy", dataset.get("hasPolicy"))
    return [json.dumps(o) for o in (offers if isinstance(offers, list) else [offers])]


def _datasets(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    found = catalog.get("dcat:dataset", catalog.get("dataset", []))
    return found if isinstance(found, list) else [found]


def test_resolve_when_first_offer_needs_a_credential_we_lack_negotiates_the_second(
    node_factory,
) -> None:
    nodes = node_factory
    mill, fastener = nodes("mill"), nodes("fastener")
    dids = {"mill": mill.did, "fastener": fastener.did}
    _offer(mill, "a-governance", GOVERNANCE)
    _offer(mill, "b-pcf", PCF)
    import_document(mill, demo_document("mill", dids))
    import_document(fastener, demo_document("fastener", dids))
    offered = _offers(fastener, mill)  # the provider lists first the one we cannot satisfy
    assert ["DataExchangeGovernance" in offer for offer in offered] == [True, False]
    report = resolve(fastener, "bolts")
    coil = line(report, "coil")
    assert (coil["status"], coil["reasonCode"], coil["negotiated"]) == ("received", None, True)
    assert report["negotiations"] == 1
    (negotiation,) = _negotiations(fastener)
    assert negotiation["state"] == "FINALIZED"


def test_resolve_when_no_offer_is_satisfiable_flags_policy_denied_without_negotiating(
    node_factory,
) -> None:
    nodes = node_factory
    mill, fastener = nodes("mill"), nodes("fastener")
    dids = {"mill": mill.did, "fastener": fastener.did}
    _offer(mill, "a-governance", GOVERNANCE)
    import_document(mill, demo_document("mill", dids))
    import_document(fastener, demo_document("fastener", dids))
    report = resolve(fastener, "bolts")
    coil = line(report, "coil")
    assert (coil["status"], coil["reasonCode"], coil["negotiated"]) == (
        "default",
        "policy_denied",
        False,
    )
    assert coil["reason"].startswith(
        f"{mill.did} offers product coil only under contract policies we cannot satisfy: offer "
    )
    assert "FrameworkAgreement eq" in coil["reason"]
    assert "DataExchangeGovernance" in coil["reason"]
    assert report["flagged"][0]["reasonCode"] == "policy_denied"
    assert (report["negotiations"], _negotiations(fastener)) == (0, [])


def _fetch(consumer: RunningNode, provider: RunningNode) -> Any:
    with consumer.management() as http:
        return http.post(
            "/api/management/fetch",
            json={
                "providerId": provider.did,
                "assetId": "pcf-coil",
                "counterPartyAddress": provider.url + "/api/dsp",
            },
        )


def _agreement_policies(node: RunningNode) -> list[str]:
    with node.management() as http:
        reply = http.post("/api/management/v3/contractagreements/request", json={})
    assert reply.status_code == 200, reply.text
    return [json.dumps(agreement["policy"]) for agreement in reply.json()]


def test_fetch_when_first_offer_needs_a_credential_we_lack_negotiates_the_second(
    node_factory,
) -> None:
    nodes = node_factory
    mill, fastener = nodes("mill"), nodes("fastener")
    _offer(mill, "a-governance", GOVERNANCE)
    _offer(mill, "b-pcf", PCF)
    import_document(mill, demo_document("mill", {"mill": mill.did, "fastener": fastener.did}))
    reply = _fetch(fastener, mill)
    assert reply.status_code == 200, reply.text
    assert (reply.json()["reused"], reply.json()["data"]["idShort"]) == (False, "CarbonFootprint")
    (policy,) = _agreement_policies(fastener)
    assert "DataExchangeGovernance" not in policy and "FrameworkAgreement" in policy


def test_fetch_when_no_offer_is_satisfiable_is_403_without_negotiating(node_factory) -> None:
    nodes = node_factory
    mill, fastener = nodes("mill"), nodes("fastener")
    _offer(mill, "a-governance", GOVERNANCE)
    _offer(mill, "b-other", policy_template("members-with-pcf-framework", framework="Other"))
    import_document(mill, demo_document("mill", {"mill": mill.did, "fastener": fastener.did}))
    reply = _fetch(fastener, mill)
    assert reply.status_code == 403, reply.text
    (error,) = reply.json()
    assert "only under contract policies we cannot satisfy" in error["message"]
    assert "DataExchangeGovernance" in error["message"] and "Other" in error["message"]
    assert _negotiations(fastener) == []
