"""Two real nodes and an authority on loopback: each node resolves the other's did:web document
over HTTP and authenticates a request from it with DCP v1.0 (ID token, presentation query,
VC verification); replays are refused, also after a crash and restart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from connector.identity import MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL, issue_credential
from tests.support.nodes import (
    RunningAuthority,
    RunningNode,
    add_credential_cli,
    create_node,
    start_authority,
    start_node,
)

pytestmark = pytest.mark.e2e


def _token(caller: RunningNode, audience: str) -> str:
    with caller.management() as client:
        response = client.post("/api/management/identity/tokens", json={"audience": audience})
    assert response.status_code == 200, response.text
    return str(response.json()["authorization"])


def _whoami(callee: RunningNode, authorization: str) -> tuple[int, dict]:
    with callee.client() as client:
        response = client.get("/api/identity/whoami", headers={"Authorization": authorization})
    return response.status_code, response.json()


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """An authority and two nodes, started once for the module (a test that restarts a node
    puts the new process back)."""
    tmp_path = tmp_path_factory.mktemp("identity-e2e")
    authority: RunningAuthority = start_authority(tmp_path / "authority")
    running: dict[str, Any] = {"authority": authority}
    try:
        alpha = create_node(tmp_path, "alpha", [authority.did])
        beta = create_node(tmp_path, "beta", [authority.did])
        for credential_type in (MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL):
            vc = issue_credential(authority.authority_dir, alpha.node.did, credential_type)
            add_credential_cli(alpha.node_dir, vc)
        running["alpha"] = start_node(alpha.node_dir)
        running["beta"] = start_node(beta.node_dir)
        beta_vc = issue_credential(authority.authority_dir, beta.node.did, MEMBERSHIP_CREDENTIAL)
        with running["beta"].management() as client:
            added = client.post(
                "/api/management/identity/credentials", json={"credential": beta_vc}
            )
        assert added.status_code == 201, added.text
        yield running
    finally:
        for name in ("alpha", "beta", "authority"):
            if name in running:
                running[name].stop()


def test_nodes_authenticate_each_other_when_serving_on_loopback(space) -> None:
    authority, alpha, beta = space["authority"], space["alpha"], space["beta"]
    status, body = _whoami(beta, _token(alpha, beta.did))
    assert status == 200, body
    assert body["did"] == alpha.did
    assert sorted(c["types"][0] for c in body["credentials"]) == [
        MEMBERSHIP_CREDENTIAL,
        PCF_FRAMEWORK_CREDENTIAL,
    ]
    assert {c["issuer"] for c in body["credentials"]} == {authority.did}

    status, body = _whoami(alpha, _token(beta, alpha.did))
    assert status == 200, body
    assert body["did"] == beta.did
    assert [c["types"][0] for c in body["credentials"]] == [MEMBERSHIP_CREDENTIAL]


def test_peer_endpoints_are_discovered_when_did_resolved(space) -> None:
    alpha, beta = space["alpha"], space["beta"]
    with alpha.management() as client:
        response = client.get("/api/management/identity/peers", params={"did": beta.did})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dspEndpoint"] == f"{beta.url}/api/dsp"
    assert body["credentialService"] == f"{beta.url}/api/identity"
    assert body["didDocument"]["id"] == beta.did


def test_replayed_token_is_refused_when_node_restarted_after_kill(space) -> None:
    alpha, beta = space["alpha"], space["beta"]
    authorization = _token(alpha, beta.did)
    assert _whoami(beta, authorization)[0] == 200
    status, body = _whoami(beta, authorization)
    assert status == 401
    assert body["detail"].startswith("replayed token: jti ")

    beta.kill()
    restarted = space["beta"] = start_node(beta.node_dir)
    status, body = _whoami(restarted, authorization)
    assert status == 401
    assert body["detail"].startswith("replayed token: jti ")
    with restarted.management() as client:
        held = client.get("/api/management/identity/credentials").json()
    assert [c["type"] for c in held] == [MEMBERSHIP_CREDENTIAL]
    assert _whoami(restarted, _token(alpha, restarted.did))[0] == 200


def test_token_for_another_audience_is_refused_with_401_when_presented(space) -> None:
    alpha, beta = space["alpha"], space["beta"]
    status, body = _whoami(beta, _token(alpha, "did:web:127.0.0.1%3A1"))
    assert status == 401
    assert body["detail"] == f"wrong audience: token is for did:web:127.0.0.1%3A1, not {beta.did}"
