"""Two real `carbonspace serve` processes on loopback, each behind a test proxy: the exchange
both ways (catalog, negotiation, transfer, data fetch through the EDR), and a node SIGKILLed in
every intermediate state of the negotiation and the transfer, restarted, finishing the process
exactly once (issue 6 "Done when"). SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from connector.dsp import SCHEMA_BY_TYPE, schema_problems
from connector.identity import init_node
from tests.conftest import _create_postgres_database, _drop_postgres_database
from tests.e2e._dsp_proxy import NodeProxy
from tests.support.nodes import RunningNode, free_port, start_node

pytestmark = pytest.mark.e2e

EDC = "https://w3id.org/edc/v0.0.1/ns/"
PROTOCOL = "dataspace-protocol-http:2025-1"
FAST_RECOVERY = {
    "CARBONSPACE_WORK_LEASE_S": "1",
    "CARBONSPACE_WORK_SWEEP_S": "0.2",
    "CARBONSPACE_WORK_BACKOFF_MAX_S": "0.5",
}
TIMEOUT_S = 45.0


@dataclass
class Node:
    name: str
    node_dir: Path
    proxy: NodeProxy
    running: RunningNode

    @property
    def did(self) -> str:
        return self.running.did

    @property
    def dsp(self) -> str:
        return self.running.url + "/api/dsp"

    def mgmt(self) -> httpx.Client:
        port = self.running.settings.server.port
        return httpx.Client(
            base_url=f"http://127.0.0.1:{port}/api/management",
            headers={"X-Api-Key": self.running.api_key},
            timeout=60,
        )

    def kill_and_restart(self) -> None:
        self.running.kill()
        self.running = start_node(self.node_dir, env=FAST_RECOVERY)


@pytest.fixture
def databases(database_url: str) -> Iterator[tuple[str, str]]:
    """Two empty databases of the parametrised kind (one per node)."""
    if database_url.startswith("sqlite"):
        yield "", ""
        return
    second, name = _create_postgres_database()
    try:
        yield database_url, second
    finally:
        _drop_postgres_database(name)


@pytest.fixture
def space(tmp_path: Path, authority, databases) -> Iterator[Callable[[str], Node]]:
    started: list[Node] = []
    urls = iter(databases)

    def make(name: str) -> Node:
        proxy_port, real_port = free_port(), free_port()
        settings = init_node(
            tmp_path / name,
            name=name,
            url=f"http://127.0.0.1:{proxy_port}",
            authorities=[authority.did],
            database_url=next(urls),
            extra={"server": {"port": real_port}},
        )
        proxy = NodeProxy(proxy_port, real_port)
        node = Node(
            name, settings.node_dir, proxy, start_node(settings.node_dir, env=FAST_RECOVERY)
        )
        started.append(node)
        return node

    try:
        yield make
    finally:
        for node in started:
            node.running.stop()
            node.proxy.close()
    assert schema_violations(started) == []


def schema_violations(nodes: list[Node]) -> list[str]:
    """Every DSP message the nodes exchanged (through their proxies) that fails its schema."""
    problems = []
    for node in nodes:
        for raw in node.proxy.messages:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if isinstance(message, dict) and message.get("@type") in SCHEMA_BY_TYPE:
                problems += schema_problems(message, message["@type"])
    return problems


def offer_products(provider: Node, *product_ids: str) -> None:
    """Footprints published through the product import, offered under a plain `use` policy."""
    products = [{"id": p, "name": f"Part {p}", "unit": "kg"} for p in product_ids]
    footprints = [
        {
            "product": p,
            "pcfKgCo2e": "2.50",
            "declaredQuantity": "1",
            "methods": ["ISO 14067"],
            "lifeCyclePhases": ["A1-A3"],
            "periodStart": "2025-01-01T00:00:00Z",
            "periodEnd": "2026-01-01T00:00:00Z",
        }
        for p in product_ids
    ]
    policy = {
        "@context": {"@vocab": EDC},
        "@id": "use",
        "policy": {"@type": "Set", "permission": [{"action": "use"}]},
    }
    definition = {
        "@context": {"@vocab": EDC},
        "@id": "all",
        "accessPolicyId": "use",
        "contractPolicyId": "use",
        "assetsSelector": [],
    }
    with provider.mgmt() as client:
        body = json.dumps({"products": products, "bom": [], "footprints": footprints})
        imported = client.post(
            "/products/import", content=body, headers={"Content-Type": "application/json"}
        )
        assert imported.status_code == 200, imported.text
        for path, item in (
            ("/v3/policydefinitions", policy),
            ("/v3/contractdefinitions", definition),
        ):
            assert client.post(path, json=item).status_code == 200


def until(check: Callable[[], Any], timeout_s: float = TIMEOUT_S) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not reached within {timeout_s} s")


def start_negotiation(consumer: Node, provider: Node, asset_id: str) -> str:
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
        )
        assert catalog.status_code == 200, catalog.text
        dataset = next(d for d in catalog.json()["dataset"] if d["@id"] == asset_id)
        offer = {
            **dataset["hasPolicy"][0],
            "assigner": {"@id": provider.did},
            "target": {"@id": asset_id},
        }
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


def state_of(node: Node, kind: str, process_id: str) -> str:
    with node.mgmt() as client:
        response = client.get(f"/v3/{kind}/{process_id}/state")
    return str(response.json().get("state")) if response.status_code == 200 else ""


def finalized_agreement(consumer: Node, negotiation_id: str) -> str:
    until(lambda: state_of(consumer, "contractnegotiations", negotiation_id) == "FINALIZED")
    with consumer.mgmt() as client:
        agreement: str = client.get(f"/v3/contractnegotiations/{negotiation_id}").json()[
            "contractAgreementId"
        ]
    return agreement


def start_transfer(consumer: Node, provider: Node, agreement_id: str) -> str:
    with consumer.mgmt() as client:
        started = client.post(
            "/v3/transferprocesses",
            json={
                "@context": {"@vocab": EDC},
                "counterPartyAddress": provider.dsp,
                "contractId": agreement_id,
                "transferType": "HttpData-PULL",
                "protocol": PROTOCOL,
            },
        )
    assert started.status_code == 200, started.text
    transfer_id: str = started.json()["@id"]
    return transfer_id


def fetch(consumer: Node, transfer_id: str) -> httpx.Response:
    until(lambda: state_of(consumer, "transferprocesses", transfer_id) == "STARTED")
    with consumer.mgmt() as client:
        address = client.get(f"/v3/edrs/{transfer_id}/dataaddress").json()
    return httpx.get(address["endpoint"], headers={"Authorization": address["authorization"]})


def listed(node: Node, kind: str) -> list[dict[str, Any]]:
    with node.mgmt() as client:
        response = client.post(
            f"/v3/{kind}/request", json={"@context": {"@vocab": EDC}, "@type": "QuerySpec"}
        )
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def test_exchange_completes_both_ways_when_two_nodes_serve(space) -> None:
    mill, bolts = space("mill"), space("bolts")
    offer_products(mill, "COIL")
    offer_products(bolts, "BOLT")
    for consumer, provider, asset in ((bolts, mill, "pcf-COIL"), (mill, bolts, "pcf-BOLT")):
        negotiation = start_negotiation(consumer, provider, asset)
        agreement = finalized_agreement(consumer, negotiation)
        response = fetch(consumer, start_transfer(consumer, provider, agreement))
        assert response.status_code == 200, response.text
        assert response.json()["idShort"] == "CarbonFootprint"
    recorded = [json.loads(raw).get("@type") for raw in mill.proxy.messages + bolts.proxy.messages]
    assert {
        "ContractRequestMessage",
        "ContractAgreementMessage",
        "TransferStartMessage",
        "ContractAgreementVerificationMessage",
        "TransferRequestMessage",
    } <= set(recorded)


# (blocked path fragment, whose proxy refuses it, who is killed while it is refused)
NEGOTIATION_CUTS = {
    "consumer-requested": ("/negotiations/request", "provider", "consumer"),
    "provider-agreed": ("/agreement", "consumer", "provider"),
    "consumer-verified": ("/agreement/verification", "provider", "consumer"),
    "provider-finalized": ("/events", "consumer", "provider"),
}
TRANSFER_CUTS = {
    "consumer-transfer-requested": ("/transfers/request", "provider", "consumer"),
    "provider-transfer-started": ("/start", "consumer", "provider"),
}


def _cut(nodes: dict[str, Node], cut: tuple[str, str, str]) -> Node:
    fragment, refuser, _ = cut
    nodes[refuser].proxy.blocked.add(fragment)
    return nodes[refuser]


def _recover(nodes: dict[str, Node], cut: tuple[str, str, str]) -> None:
    fragment, refuser, victim = cut
    until(lambda: nodes[refuser].proxy.refused[fragment] >= 1)
    nodes[victim].kill_and_restart()
    nodes[refuser].proxy.blocked.clear()


def _exactly_once(nodes: dict[str, Node]) -> None:
    for node in nodes.values():
        negotiations = listed(node, "contractnegotiations")
        assert [n["state"] for n in negotiations] == ["FINALIZED"]
        assert len(listed(node, "contractagreements")) == 1
        assert [t["state"] for t in listed(node, "transferprocesses")] == ["STARTED"]


@pytest.mark.parametrize("cut", list(NEGOTIATION_CUTS.values()), ids=list(NEGOTIATION_CUTS))
def test_negotiation_finishes_once_when_node_killed_midway(space, cut) -> None:
    nodes = {"provider": space("provider"), "consumer": space("consumer")}
    offer_products(nodes["provider"], "COIL")
    _cut(nodes, cut)
    negotiation = start_negotiation(nodes["consumer"], nodes["provider"], "pcf-COIL")
    _recover(nodes, cut)
    agreement = finalized_agreement(nodes["consumer"], negotiation)
    response = fetch(
        nodes["consumer"], start_transfer(nodes["consumer"], nodes["provider"], agreement)
    )
    assert response.status_code == 200, response.text
    _exactly_once(nodes)


@pytest.mark.parametrize("cut", list(TRANSFER_CUTS.values()), ids=list(TRANSFER_CUTS))
def test_transfer_finishes_once_when_node_killed_midway(space, cut) -> None:
    nodes = {"provider": space("provider"), "consumer": space("consumer")}
    offer_products(nodes["provider"], "COIL")
    negotiation = start_negotiation(nodes["consumer"], nodes["provider"], "pcf-COIL")
    agreement = finalized_agreement(nodes["consumer"], negotiation)
    _cut(nodes, cut)
    transfer = start_transfer(nodes["consumer"], nodes["provider"], agreement)
    _recover(nodes, cut)
    response = fetch(nodes["consumer"], transfer)
    assert response.status_code == 200, response.text
    _exactly_once(nodes)
