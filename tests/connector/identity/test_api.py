"""Identity HTTP routes: DID document, and the management endpoints (EDC error shape on bad
input, no state change)."""

from __future__ import annotations

from connector.outcome import Failure, Ok, Reason
from tests.connector.identity.conftest import BOTH, Space


async def test_did_document_is_served_when_requested(space: Space) -> None:
    alpha = await space.node("alpha")
    response = await alpha.client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/did+json"
    body = response.json()
    assert body == alpha.identity.document
    assert body["id"] == "did:web:alpha.test"
    assert [s["type"] for s in body["service"]] == ["CredentialService", "DataService"]
    assert body["service"][1]["serviceEndpoint"] == "http://alpha.test/api/dsp"


async def test_token_is_minted_for_audience_when_operator_asks(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    headers = {"X-Api-Key": alpha.settings.management.api_key}
    response = await alpha.client.post(
        "/api/management/identity/tokens", json={"audience": beta.did}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["audience"] == beta.did
    assert response.json()["authorization"].startswith("Bearer ey")


async def test_token_request_is_refused_with_edc_error_when_audience_not_a_did(
    space: Space,
) -> None:
    alpha = await space.node("alpha")
    headers = {"X-Api-Key": alpha.settings.management.api_key}
    response = await alpha.client.post(
        "/api/management/identity/tokens", json={"audience": "beta"}, headers=headers
    )
    assert response.status_code == 400
    assert response.json()[0]["type"] == "ValidationFailure"


async def test_peer_is_resolved_when_reachable(space: Space) -> None:
    alpha = await space.node("alpha")
    await space.node("beta")
    headers = {"X-Api-Key": alpha.settings.management.api_key}
    response = await alpha.client.get(
        "/api/management/identity/peers", params={"did": "did:web:beta.test"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["credentialService"] == "http://beta.test/api/identity"
    assert response.json()["dspEndpoint"] == "http://beta.test/api/dsp"


async def test_peer_lookup_answers_404_when_unreachable(space: Space) -> None:
    alpha = await space.node("alpha")
    headers = {"X-Api-Key": alpha.settings.management.api_key}
    response = await alpha.client.get(
        "/api/management/identity/peers", params={"did": "did:web:ghost.test"}, headers=headers
    )
    assert response.status_code == 404
    assert response.json()[0]["message"] == (
        "cannot resolve did:web:ghost.test: ConnectError at http://ghost.test/.well-known/did.json"
    )


async def test_peer_lookup_answers_400_when_did_invalid(space: Space) -> None:
    alpha = await space.node("alpha")
    headers = {"X-Api-Key": alpha.settings.management.api_key}
    response = await alpha.client.get(
        "/api/management/identity/peers", params={"did": "did:key:z6Mkabc"}, headers=headers
    )
    assert response.status_code == 400
    assert response.json()[0]["message"] == "'did:key:z6Mkabc' is not a did:web identifier"


async def test_credentials_are_listed_when_held(space: Space) -> None:
    alpha = await space.node("alpha", credentials=BOTH)
    headers = {"X-Api-Key": alpha.settings.management.api_key}
    response = await alpha.client.get("/api/management/identity/credentials", headers=headers)
    assert response.status_code == 200
    assert [c["type"] for c in response.json()] == list(BOTH)
    assert {c["issuer"] for c in response.json()} == {space.authority_did}


async def test_credential_add_is_refused_when_malformed(space: Space) -> None:
    alpha = await space.node("alpha")
    headers = {"X-Api-Key": alpha.settings.management.api_key}
    response = await alpha.client.post(
        "/api/management/identity/credentials",
        json={"credential": "not.a.credential"},
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()[0]["message"] == (
        "malformed token: not a compact JWS with a JSON payload"
    )
    listed = await alpha.client.get("/api/management/identity/credentials", headers=headers)
    assert listed.json() == []


async def test_dsp_endpoint_is_discovered_when_peer_did_resolved(space: Space) -> None:
    alpha = await space.node("alpha")
    await space.node("beta")
    found = await alpha.identity.dsp_endpoint("did:web:beta.test")
    assert found == Ok("http://beta.test/api/dsp")
    missing = await alpha.identity.dsp_endpoint(space.authority_did)
    assert missing == Failure(
        Reason.UNAUTHORIZED, f"{space.authority_did} publishes no DataService in its DID document"
    )
