"""DSP endpoints of a real `carbonspace serve` process fed bad input: no token, malformed JSON,
wrong types, unknown ids, huge bodies, repeated and out-of-order messages (4xx with a DSP
error body, nothing stored, no state change). The caller's DCP token is minted by a second real
node (`POST /api/management/identity/tokens`)."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.test_dsp_exchange import (
    Node,
    databases,  # noqa: F401
    finalized_agreement,
    listed,
    offer_products,
    space,  # noqa: F401
    start_negotiation,
)

pytestmark = pytest.mark.e2e

CONTEXT = ["https://w3id.org/dspace/2025/1/context.jsonld"]


def _token(caller: Node, audience: Node) -> dict[str, str]:
    with caller.mgmt() as client:
        response = client.post("/identity/tokens", json={"audience": audience.did})
    assert response.status_code == 200, response.text
    return {"Authorization": response.json()["authorization"]}


def _direct(node: Node) -> str:
    """The node's own port: test-made (deliberately bad) messages bypass the proxy, which
    schema-checks only what the nodes exchange."""
    return f"http://127.0.0.1:{node.running.settings.server.port}/api/dsp"


def _post(caller: Node, provider: Node, path: str, **kwargs) -> httpx.Response:
    headers = {**_token(caller, provider), **kwargs.pop("headers", {})}
    return httpx.post(_direct(provider) + path, headers=headers, timeout=30, **kwargs)


@pytest.fixture
def pair(space):  # noqa: F811
    provider, consumer = space("provider"), space("consumer")
    offer_products(provider, "COIL")
    return provider, consumer


def test_requests_are_refused_and_nothing_stored_when_input_is_bad(pair) -> None:
    provider, consumer = pair
    request = {
        "@context": CONTEXT,
        "@type": "ContractRequestMessage",
        "consumerPid": 7,
        "offer": {},
        "callbackAddress": consumer.dsp,
    }
    no_token = httpx.post(_direct(provider) + "/negotiations/request", json=request)
    assert no_token.status_code == 404
    assert no_token.json()["@type"] == "ContractNegotiationError"
    malformed = _post(
        consumer,
        provider,
        "/negotiations/request",
        content=b"{oops",
        headers={"Content-Type": "application/json"},
    )
    assert malformed.status_code == 400
    assert malformed.json()["reason"][0] == "the body is not valid JSON"
    wrong = _post(consumer, provider, "/negotiations/request", json=request)
    assert wrong.status_code == 400
    assert (
        wrong.json()["reason"][0] == "ContractRequestMessage does not match the DSP 2025-1 schema"
    )
    huge = _post(
        consumer,
        provider,
        "/negotiations/request",
        content=b'{"a": "' + b"x" * 2_000_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    unknown = _post(
        consumer,
        provider,
        "/transfers/urn:uuid:nope/completion",
        json={
            "@context": CONTEXT,
            "@type": "TransferCompletionMessage",
            "providerPid": "urn:uuid:nope",
            "consumerPid": "urn:uuid:c",
        },
    )
    assert unknown.status_code == 404
    assert unknown.json()["@type"] == "TransferError"
    assert listed(provider, "contractnegotiations") == []
    assert listed(provider, "transferprocesses") == []


def test_repeats_change_nothing_and_out_of_order_is_400_when_finalized(pair) -> None:
    provider, consumer = pair
    finalized_agreement(consumer, start_negotiation(consumer, provider, "pcf-COIL"))
    negotiation = listed(provider, "contractnegotiations")[0]
    pid = negotiation["@id"]
    consumer_pid = listed(consumer, "contractnegotiations")[0]["@id"]
    verification = {
        "@context": CONTEXT,
        "@type": "ContractAgreementVerificationMessage",
        "providerPid": pid,
        "consumerPid": consumer_pid,
    }
    again = _post(
        consumer, provider, f"/negotiations/{pid}/agreement/verification", json=verification
    )
    assert again.status_code == 200
    accepted = {
        "@context": CONTEXT,
        "@type": "ContractNegotiationEventMessage",
        "providerPid": pid,
        "consumerPid": consumer_pid,
        "eventType": "ACCEPTED",
    }
    late = _post(consumer, provider, f"/negotiations/{pid}/events", json=accepted)
    assert late.status_code == 400
    assert late.json()["@type"] == "ContractNegotiationError"
    assert [n["state"] for n in listed(provider, "contractnegotiations")] == ["FINALIZED"]
    assert len(listed(provider, "contractagreements")) == 1
