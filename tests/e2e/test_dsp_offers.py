"""Two real `carbonspace serve` processes on loopback: the OFFERED/ACCEPTED branch of DSP 2025-1
contract negotiation end to end. The provider offers a contract on its own initiative, the
consumer's operator accepts it through the management API, the negotiation finalizes on both
sides and the agreement works for a transfer and a data fetch. Every DSP message that passed
the nodes' proxies is validated against the DSP schemas (the `space` fixture)."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.e2e.test_dsp_exchange import (  # noqa: F401
    EDC,
    Node,
    _cut,
    _recover,
    databases,
    fetch,
    listed,
    offer_products,
    space,
    start_transfer,
    state_of,
    until,
)
from tests.support.nodes import carbonspace_command

pytestmark = pytest.mark.e2e


def offer_contract(provider: Node, consumer: Node, asset_id: str) -> str:
    with provider.mgmt() as client:
        response = client.post(
            "/v3/contractnegotiations/offers",
            json={
                "@context": {"@vocab": EDC},
                "counterPartyAddress": consumer.dsp,
                "counterPartyId": consumer.did,
                "assetId": asset_id,
            },
        )
    assert response.status_code == 200, response.text
    negotiation_id: str = response.json()["@id"]
    return negotiation_id


def held_offer(consumer: Node, provider_pid: str) -> dict[str, Any]:
    """The consumer's negotiation for that provider offer, once it is OFFERED."""

    def find() -> dict[str, Any] | None:
        for row in listed(consumer, "contractnegotiations"):
            if row["correlationId"] == provider_pid and row["state"] == "OFFERED":
                return row
        return None

    found: dict[str, Any] = until(find)
    return found


def test_provider_offer_finalizes_when_consumer_operator_accepts(space) -> None:  # noqa: F811
    mill, bolts = space("mill"), space("bolts")
    offer_products(mill, "COIL")
    provider_pid = offer_contract(mill, bolts, "pcf-COIL")
    held = held_offer(bolts, provider_pid)
    assert held["type"] == "CONSUMER"
    assert held["assetId"] == "pcf-COIL"
    assert held["counterPartyId"] == mill.did
    assert state_of(mill, "contractnegotiations", provider_pid) == "OFFERED"
    negotiation_id = held["@id"]
    with bolts.mgmt() as client:
        offer = client.get(f"/v3/contractnegotiations/{negotiation_id}/offer")
        assert offer.status_code == 200, offer.text
        assert offer.json()["odrl:target"] == {"@id": "pcf-COIL"}
        assert offer.json()["odrl:assigner"] == {"@id": mill.did}
        accepted = client.post(f"/v3/contractnegotiations/{negotiation_id}/accept")
        assert accepted.status_code == 204, accepted.text
    until(lambda: state_of(bolts, "contractnegotiations", negotiation_id) == "FINALIZED")
    until(lambda: state_of(mill, "contractnegotiations", provider_pid) == "FINALIZED")
    with bolts.mgmt() as client:
        agreement_id = client.get(f"/v3/contractnegotiations/{negotiation_id}").json()[
            "contractAgreementId"
        ]
        agreement = client.get(f"/v3/contractagreements/{agreement_id}").json()
    assert agreement["providerId"] == mill.did
    assert agreement["consumerId"] == bolts.did
    assert agreement["assetId"] == "pcf-COIL"
    with mill.mgmt() as client:
        theirs = client.get(f"/v3/contractnegotiations/{provider_pid}").json()
    assert theirs["contractAgreementId"] == agreement_id
    transfer_id = start_transfer(bolts, mill, agreement_id)
    data = fetch(bolts, transfer_id)
    assert data.status_code == 200, data.text
    assert data.json()["idShort"] == "CarbonFootprint"
    with bolts.mgmt() as client:
        refused = client.post(f"/v3/contractnegotiations/{negotiation_id}/accept")
    assert refused.status_code == 400
    assert refused.json()[0]["message"] == (
        f"negotiation {negotiation_id} is FINALIZED: cannot accept it"
    )


def accept(consumer: Node, negotiation_id: str) -> None:
    with consumer.mgmt() as client:
        accepted = client.post(f"/v3/contractnegotiations/{negotiation_id}/accept")
    assert accepted.status_code == 204, accepted.text


# (blocked path fragment, whose proxy refuses it, who is killed while it is refused)
OFFER_CUTS = {
    "provider-offered": ("/negotiations/offers", "consumer", "provider"),
    "consumer-accepted": ("/events", "provider", "consumer"),
    "provider-agreed": ("/agreement", "consumer", "provider"),
}


@pytest.mark.parametrize("cut", list(OFFER_CUTS.values()), ids=list(OFFER_CUTS))
def test_offered_negotiation_finishes_once_when_node_killed(space, cut) -> None:  # noqa: F811
    nodes = {"provider": space("provider"), "consumer": space("consumer")}
    provider, consumer = nodes["provider"], nodes["consumer"]
    offer_products(provider, "COIL")
    offer_cut = cut[0] == "/negotiations/offers"
    if offer_cut:
        _cut(nodes, cut)
    provider_pid = offer_contract(provider, consumer, "pcf-COIL")
    if offer_cut:
        _recover(nodes, cut)
    negotiation_id = held_offer(consumer, provider_pid)["@id"]
    if not offer_cut:
        _cut(nodes, cut)
    accept(consumer, negotiation_id)
    if not offer_cut:
        _recover(nodes, cut)
    until(lambda: state_of(consumer, "contractnegotiations", negotiation_id) == "FINALIZED")
    until(lambda: state_of(provider, "contractnegotiations", provider_pid) == "FINALIZED")
    for node in nodes.values():
        assert [n["state"] for n in listed(node, "contractnegotiations")] == ["FINALIZED"]
        assert len(listed(node, "contractagreements")) == 1


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        carbonspace_command("negotiations", *args),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _flat(text: str) -> str:
    """CLI messages as one line (rich wraps them at the terminal width)."""
    return " ".join(text.split())


def test_operator_lists_inspects_and_accepts_a_provider_offer_with_the_cli(space) -> None:  # noqa: F811
    mill, bolts = space("mill"), space("bolts")
    offer_products(mill, "COIL")
    provider_pid = offer_contract(mill, bolts, "pcf-COIL")
    negotiation_id = held_offer(bolts, provider_pid)["@id"]
    node = str(bolts.node_dir)
    listed_offers = _cli("list", node, "--state", "offered", "--json")
    assert listed_offers.returncode == 0, listed_offers.stderr
    assert [(n["@id"], n["state"]) for n in json.loads(listed_offers.stdout)] == [
        (negotiation_id, "OFFERED")
    ]
    table = _cli("list", node)
    assert table.returncode == 0 and "OFFERED" in table.stdout and "pcf-COIL" in table.stdout
    shown = _cli("offer", node, negotiation_id)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["odrl:assigner"] == {"@id": mill.did}
    accepted = _cli("accept", node, negotiation_id)
    assert accepted.returncode == 0, accepted.stderr
    assert f"negotiation {negotiation_id}: offer accepted" in _flat(accepted.stderr)
    until(lambda: state_of(bolts, "contractnegotiations", negotiation_id) == "FINALIZED")
    again = _cli("accept", node, negotiation_id)
    assert again.returncode == 1
    refusal = f"400: negotiation {negotiation_id} is FINALIZED: cannot accept it"
    assert refusal in _flat(again.stderr)
    missing = _cli("counter", node, negotiation_id, "--policy", str(bolts.node_dir / "none.json"))
    assert missing.returncode == 2 and "--policy: cannot read" in _flat(missing.stderr)
