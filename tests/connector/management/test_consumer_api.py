"""Consumer-side management endpoints in-process: request validation (400, nothing stored),
unknown ids (404), counterparty failure (502), EDC shapes of empty queries."""

from __future__ import annotations

import pytest

EDC = "https://w3id.org/edc/v0.0.1/ns/"
UNREACHABLE = "http://127.0.0.1:9/api/dsp"


def contract_request(**changes) -> dict:
    body = {
        "@context": {"@vocab": EDC},
        "@type": "ContractRequest",
        "counterPartyAddress": UNREACHABLE,
        "protocol": "dataspace-protocol-http:2025-1",
        "policy": {
            "@id": "offer-1",
            "@type": "Offer",
            "assigner": {"@id": "did:web:p"},
            "target": {"@id": "asset-1"},
            "permission": [{"action": "use"}],
        },
    }
    body.update(changes)
    return body


async def test_catalog_request_is_502_when_counterparty_unreachable(node) -> None:
    client, _ = node
    body = {
        "@context": {"edc": EDC},
        "@type": "CatalogRequest",
        "counterPartyAddress": UNREACHABLE,
        "counterPartyId": "did:web:p",
        "protocol": "dataspace-protocol-http:2025-1",
    }
    response = await client.post("/v3/catalog/request", json=body)
    assert response.status_code == 502
    assert response.json()[0]["type"] == "BadGateway"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"protocol": "ids-multipart"},
            "protocol: 'ids-multipart' is not supported; use 'dataspace-protocol-http:2025-1'",
        ),
        ({"counterPartyAddress": "ftp://x"}, "counterPartyAddress: must be an http(s) URL"),
        ({"policy": None}, "policy: is required (the offer from the catalog)"),
    ],
)
async def test_contract_request_is_400_and_not_stored_when_invalid(node, changes, message) -> None:
    client, _ = node
    response = await client.post("/v3/contractnegotiations", json=contract_request(**changes))
    assert response.status_code == 400
    assert response.json()[0]["message"] == message
    assert (await client.post("/v3/contractnegotiations/request")).json() == []


async def test_contract_request_needs_target_when_offer_lacks_it(node) -> None:
    client, _ = node
    body = contract_request()
    del body["policy"]["target"]
    response = await client.post("/v3/edrs", json=body)
    assert response.status_code == 400
    assert response.json()[0]["message"] == "policy.target: the dataset id is required"


@pytest.mark.parametrize(
    "path",
    [
        "/v3/contractnegotiations/nope",
        "/v3/contractnegotiations/nope/state",
        "/v3/contractagreements/nope",
        "/v3/transferprocesses/nope",
        "/v3/transferprocesses/nope/state",
        "/v3/edrs/nope/dataaddress",
    ],
)
async def test_unknown_process_is_404_when_read(node, path) -> None:
    client, _ = node
    response = await client.get(path)
    assert response.status_code == 404
    assert response.json()[0]["type"] == "ObjectNotFound"


async def test_transfer_request_is_400_when_no_agreement_held(node) -> None:
    client, _ = node
    body = {
        "@context": {"@vocab": EDC},
        "@type": "TransferRequest",
        "counterPartyAddress": UNREACHABLE,
        "counterPartyId": "did:web:p",
        "protocol": "dataspace-protocol-http:2025-1",
        "contractId": "agr-x",
        "transferType": "HttpData-PULL",
        "dataDestination": {"type": "HttpProxy"},
    }
    response = await client.post("/v3/transferprocesses", json=body)
    assert response.status_code == 400
    assert (await client.post("/v3/transferprocesses/request", json={})).json() == []


async def test_empty_queries_return_arrays_when_nothing_exists(node) -> None:
    client, _ = node
    for path in (
        "/v3/contractnegotiations/request",
        "/v3/contractagreements/request",
        "/v3/transferprocesses/request",
        "/v3/edrs/request",
    ):
        response = await client.post(
            path, json={"@context": {"@vocab": EDC}, "@type": "QuerySpec", "limit": 10}
        )
        assert (response.status_code, response.json()) == (200, [])


async def test_query_is_400_when_limit_or_order_invalid(node) -> None:
    client, _ = node
    bad_limit = await client.post("/v3/assets/request", json={"limit": 0})
    assert bad_limit.json()[0]["message"] == "limit: must be an integer >= 1"
    bad_order = await client.post("/v3/edrs/request", json={"sortOrder": "UP"})
    assert bad_order.json()[0]["message"] == "sortOrder: must be ASC or DESC"


async def test_auto_refresh_is_400_when_not_boolean(node) -> None:
    client, _ = node
    response = await client.get("/v3/edrs/x/dataaddress", params={"auto_refresh": "maybe"})
    assert response.status_code == 400


async def test_fetch_is_400_when_fields_missing(node) -> None:
    client, _ = node
    response = await client.post("/fetch", json={"assetId": "a"})
    assert response.status_code == 400
    assert response.json()[0]["message"] == "providerId and assetId: required strings"


async def test_fetch_is_404_when_provider_not_in_directory(node) -> None:
    client, _ = node
    response = await client.post(
        "/fetch", json={"providerId": "did:web:127.0.0.1%3A9", "assetId": "a"}
    )
    assert response.status_code == 404


async def test_connector_discovery_is_400_when_nothing_named(node) -> None:
    client, _ = node
    response = await client.post(
        "/v4alpha/connectordiscovery/dspversionparams",
        json={"@context": {"tx": "https://w3id.org/tractusx/v0.0.1/ns/"}},
    )
    assert response.status_code == 400
    assert response.json()[0]["message"] == (
        "bpnl, counterPartyId or counterPartyAddress: one is required"
    )


async def test_connector_discovery_is_404_when_bpnl_unknown(node) -> None:
    client, _ = node
    response = await client.post(
        "/v4alpha/connectordiscovery/dspversionparams", json={"tx:bpnl": "BPNL000000000009"}
    )
    assert response.status_code == 404


async def test_health_probes_answer_when_asked_under_management_base(node) -> None:
    client, _ = node
    for probe in ("health", "liveness", "readiness", "startup"):
        response = await client.get(f"/check/{probe}")
        assert (response.status_code, response.json()["isSystemHealthy"]) == (200, True)
    assert (await client.get("/check/other")).status_code == 404
