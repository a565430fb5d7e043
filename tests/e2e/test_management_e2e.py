"""Two `carbonspace serve` nodes on loopback driven only through the EDC Management API v3:
provider set-up, catalog request (with access-policy denial), `POST /v3/edrs` (negotiation,
automatic HttpData-PULL transfer, cached EDR), EDR data address, agreement and transfer views,
and the `fetch` convenience reusing the agreement."""

from __future__ import annotations

import json
import time

import pytest

from tests.support.nodes import RunningNode, start_node
from tests.support.paths import SHARED as SHARED_DIR

pytestmark = pytest.mark.e2e

EDC = "https://w3id.org/edc/v0.0.1/ns/"
ASSET = "urn:asset:coil-pcf"
WIRE = SHARED_DIR / ("specs/edc/sdk-wire/saturn-consumer-do_get.jsonl")
# Keys of the recorded Tractus-X answers our answers need not carry: the refresh token is not
# handed to management clients, the audience is implied.
NOT_EXPOSED = {"tx-auth:refreshToken", "tx-auth:audience"}


def recorded_keys(path_end: str) -> set[str]:
    """Keys of the recorded answer (saturn do_get) to the request whose path ends so."""
    for line in WIRE.read_text().splitlines():
        exchange = json.loads(line)
        if exchange["request"]["path"].endswith(path_end):
            body = exchange["stub_response"]["body"]
            return set(body[0] if isinstance(body, list) else body) - NOT_EXPOSED
    raise AssertionError(path_end)


def provide(provider: RunningNode, consumer_did: str) -> None:
    """Asset + access policy naming the consumer + usage policy + contract definition."""
    only_consumer = {
        "@context": {"@vocab": EDC},
        "@id": "access-1",
        "policy": {
            "@context": "http://www.w3.org/ns/odrl.jsonld",
            "@type": "Set",
            "permission": [
                {
                    "action": "use",
                    "constraint": [
                        {
                            "leftOperand": "https://w3id.org/carbonspace/policy/ParticipantId",
                            "operator": "isAnyOf",
                            "rightOperand": [consumer_did],
                        }
                    ],
                }
            ],
        },
    }
    usage = {
        "@context": {"@vocab": EDC},
        "@id": "usage-1",
        "policy": {"@type": "Set", "permission": [{"action": "use"}]},
    }
    asset = {
        "@context": {"@vocab": EDC, "dct": "http://purl.org/dc/terms/"},
        "@id": ASSET,
        "properties": {"dct:type": {"@id": "https://w3id.org/catenax/taxonomy#PcfExchange"}},
        "dataAddress": {"type": "AasSubmodel", "submodelId": "urn:submodel:coil"},
    }
    definition = {
        "@context": {"@vocab": EDC},
        "@id": "cd-1",
        "accessPolicyId": "access-1",
        "contractPolicyId": "usage-1",
        "assetsSelector": [{"operandLeft": EDC + "id", "operator": "=", "operandRight": ASSET}],
    }
    with provider.management() as client:
        for path, body in (
            ("/v3/policydefinitions", only_consumer),
            ("/v3/policydefinitions", usage),
            ("/v3/assets", asset),
            ("/v3/contractdefinitions", definition),
        ):
            response = client.post("/api/management" + path, json=body)
            assert response.status_code == 200, response.text


def catalog_request(provider: RunningNode) -> dict:
    return {
        "@context": {"edc": EDC},
        "@type": "CatalogRequest",
        "counterPartyAddress": provider.url + "/api/dsp",
        "counterPartyId": provider.did,
        "protocol": "dataspace-protocol-http:2025-1",
    }


def wait_for_state(client, path: str, wanted: str, timeout_s: float = 20.0) -> str:
    """Poll a `/state` resource (the management client's own way) until `wanted` or timeout."""
    deadline = time.monotonic() + timeout_s
    state = ""
    while time.monotonic() < deadline:
        state = client.get(path).json().get("state", "")
        if state == wanted:
            return state
        time.sleep(0.05)
    return state


def step_by_step_transfer(client, provider: RunningNode, agreement_id: str) -> None:
    """`POST /v3/transferprocesses` (HttpProxy) leads to a cached EDR; termination stops it."""
    body = {
        "@context": {"@vocab": EDC},
        "@type": "TransferRequest",
        "counterPartyAddress": provider.url + "/api/dsp",
        "protocol": "dataspace-protocol-http:2025-1",
        "contractId": agreement_id,
        "transferType": "HttpData-PULL",
        "dataDestination": {"type": "HttpProxy"},
    }
    started = client.post("/api/management/v3/transferprocesses", json=body)
    assert started.status_code == 200, started.text
    transfer_id = started.json()["@id"]
    state_path = f"/api/management/v3/transferprocesses/{transfer_id}/state"
    assert wait_for_state(client, state_path, "STARTED") == "STARTED"
    address = client.get(f"/api/management/v3/edrs/{transfer_id}/dataaddress")
    assert address.status_code == 200, address.text
    stopped = client.post(
        f"/api/management/v3/transferprocesses/{transfer_id}/terminate", json={"reason": "done"}
    )
    assert stopped.status_code == 204, stopped.text
    assert wait_for_state(client, state_path, "TERMINATED") == "TERMINATED"


def test_consumer_negotiates_and_gets_edr_when_driven_through_management_api(nodes) -> None:
    provider, consumer, stranger = nodes("mill"), nodes("bolts"), nodes("stranger")
    provide(provider, consumer.did)
    with stranger.management() as client:
        hidden = client.post("/api/management/v3/catalog/request", json=catalog_request(provider))
    assert hidden.status_code == 200, hidden.text
    assert "dataset" not in hidden.json()
    with consumer.management() as client:
        response = client.post("/api/management/v3/catalog/request", json=catalog_request(provider))
        assert response.status_code == 200, response.text
        dataset = response.json()["dataset"][0]
        assert dataset["@id"] == ASSET
        single = client.post(
            "/api/management/v3/catalog/dataset/request",
            json={**catalog_request(provider), "@id": ASSET},
        )
        assert single.status_code == 200, single.text
        assert single.json()["hasPolicy"] == dataset["hasPolicy"]
        offer = dataset["hasPolicy"][0]
        request = {
            "@context": {"@vocab": EDC},
            "@type": "ContractRequest",
            "counterPartyAddress": provider.url + "/api/dsp",
            "protocol": "dataspace-protocol-http:2025-1",
            "policy": {**offer, "assigner": {"@id": provider.did}, "target": {"@id": ASSET}},
        }
        started = client.post("/api/management/v3/edrs", json=request)
        assert started.status_code == 200, started.text
        negotiation_id = started.json()["@id"]
        assert recorded_keys("/v3/edrs") <= set(started.json())
        state = client.get(f"/api/management/v3/contractnegotiations/{negotiation_id}/state")
        assert state.json()["state"] == "FINALIZED"
        assert recorded_keys("/state") <= set(state.json())
        negotiation = client.get(f"/api/management/v3/contractnegotiations/{negotiation_id}")
        assert recorded_keys("/89790a0e-7a5a-4420-8cd0-006e1c4e7793") <= set(negotiation.json())
        agreement_id = negotiation.json()["contractAgreementId"]
        transfers = client.post(
            "/api/management/v3/transferprocesses/request",
            json={
                "filterExpression": [
                    {
                        "operandLeft": "contractAgreementId",
                        "operator": "=",
                        "operandRight": agreement_id,
                    }
                ]
            },
        )
        assert [t["state"] for t in transfers.json()] == ["STARTED"]
        assert recorded_keys("/v3/transferprocesses/request") <= set(transfers.json()[0])
        edrs = client.post(
            "/api/management/v3/edrs/request",
            json={
                "filterExpression": [
                    {
                        "operandLeft": "contractNegotiationId",
                        "operator": "=",
                        "operandRight": negotiation_id,
                    }
                ]
            },
        )
        entry = edrs.json()[-1]
        assert recorded_keys("/v3/edrs/request") <= set(entry)
        assert {"@context", "@type", "providerId", "transferProcessId"} <= set(entry)
        assert entry["providerId"] == provider.did
        address = client.get(
            f"/api/management/v3/edrs/{entry['transferProcessId']}/dataaddress",
            params={"auto_refresh": "True"},
        )
        assert address.status_code == 200, address.text
        assert recorded_keys("/dataaddress") <= set(address.json())
        assert address.json()["endpoint"].startswith(provider.url + "/api/public")
        assert address.json()["authorization"]
        agreement = client.get(f"/api/management/v3/contractagreements/{agreement_id}")
        assert agreement.json()["assetId"] == ASSET
        assert agreement.json()["providerId"] == provider.did
        step_by_step_transfer(client, provider, agreement_id)
        negotiation_path = f"/api/management/v3/contractnegotiations/{negotiation_id}"
        finished = client.post(negotiation_path + "/terminate", json={"reason": "late"})
        assert finished.status_code == 400
    with provider.management() as client:
        refused = client.delete(f"/api/management/v3/assets/{ASSET}")
        assert refused.status_code == 409
        assert refused.json()[0]["message"].startswith(f"asset '{ASSET}' is referenced by")
        provided = client.post("/api/management/v3/contractagreements/request", json={})
        assert [a["@id"] for a in provided.json()] == [agreement_id]


def test_edr_chain_completes_when_provider_comes_back(nodes) -> None:
    """`POST /v3/edrs` while the provider is down answers after its fast path; once the
    provider is back the negotiation finishes and the durable chain starts the transfer."""
    # Retries at most a second apart (enough of them to outlast the 10 s fast path and the
    # restart) and a 4 s lease (the chain's safety-net item starts when it expires): the test
    # waits for the provider's restart, not for the default 10 s backoff and 15 s lease.
    retries = {"work": {"backoff_max_s": 1.0, "max_attempts": 60, "lease_s": 4.0}}
    provider, consumer = nodes("mill"), nodes("bolts", extra=retries)
    provide(provider, consumer.did)
    with consumer.management() as client:
        dataset = client.post(
            "/api/management/v3/catalog/request", json=catalog_request(provider)
        ).json()["dataset"][0]
        request = {
            "@context": {"@vocab": EDC},
            "@type": "ContractRequest",
            "counterPartyAddress": provider.url + "/api/dsp",
            "protocol": "dataspace-protocol-http:2025-1",
            "policy": {
                **dataset["hasPolicy"][0],
                "assigner": {"@id": provider.did},
                "target": {"@id": ASSET},
            },
        }
        provider.stop()
        started = client.post("/api/management/v3/edrs", json=request)
        assert started.status_code == 200, started.text
        negotiation_id = started.json()["@id"]
        restarted = start_node(provider.node_dir)
        try:
            query = {
                "filterExpression": [
                    {
                        "operandLeft": "contractNegotiationId",
                        "operator": "=",
                        "operandRight": negotiation_id,
                    }
                ]
            }
            deadline = time.monotonic() + 90
            entries: list = []
            while time.monotonic() < deadline and not entries:
                entries = client.post("/api/management/v3/edrs/request", json=query).json()
                time.sleep(0.2)
        finally:
            restarted.stop()
    assert len(entries) == 1, consumer.log_tail()
    assert entries[0]["providerId"] == provider.did
