"""A node killed with SIGKILL and started again keeps every row it acknowledged (issue 2),
on SQLite and on PostgreSQL, and splitting the management API onto its own port works."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.nodes import create_node, free_port, start_node

pytestmark = pytest.mark.e2e

EDC = "https://w3id.org/edc/v0.0.1/ns/"


def asset(number: int) -> dict:
    return {
        "@context": {"@vocab": EDC},
        "@id": f"urn:asset:restart-{number}",
        "properties": {"name": f"asset {number}"},
        "dataAddress": {"type": "AasSubmodel", "submodelId": f"urn:submodel:{number}"},
    }


def policy(number: int) -> dict:
    return {
        "@context": {"@vocab": EDC},
        "@id": f"policy-{number}",
        "policy": {"@type": "Set", "permission": [{"action": "use"}]},
    }


def list_ids(client: httpx.Client, path: str) -> list[str]:
    response = client.post(f"/api/management/v3/{path}/request", json={})
    assert response.status_code == 200, response.text
    return sorted(item["@id"] for item in response.json())


def test_rows_survive_when_node_is_killed_and_restarted(tmp_path: Path, database_url: str) -> None:
    settings = create_node(tmp_path, "mill", database_url=database_url)
    node = start_node(settings.node_dir)
    try:
        with node.management() as client:
            for number in range(20):
                assert (
                    client.post("/api/management/v3/assets", json=asset(number)).status_code == 200
                )
                response = client.post("/api/management/v3/policydefinitions", json=policy(number))
                assert response.status_code == 200
            before = (list_ids(client, "assets"), list_ids(client, "policydefinitions"))
    finally:
        node.kill()
    restarted = start_node(settings.node_dir)
    try:
        with restarted.management() as client:
            after = (list_ids(client, "assets"), list_ids(client, "policydefinitions"))
    finally:
        restarted.stop()
    assert len(before[0]) == 20
    assert len(before[1]) == 20
    assert after == before


def test_management_answers_only_on_its_port_when_split(tmp_path: Path) -> None:
    management_port, data_port = free_port(), free_port()
    extra = {"server": {"management_port": management_port, "public_port": data_port}}
    settings = create_node(tmp_path, "mill", extra=extra)
    node = start_node(settings.node_dir)
    try:
        headers = {"X-Api-Key": node.api_key}
        with httpx.Client(timeout=10) as client:
            on_management = client.get(
                f"http://127.0.0.1:{management_port}/api/management/node", headers=headers
            )
            on_protocol = client.get(f"{node.url}/api/management/node", headers=headers)
            did_document = client.get(f"{node.url}/.well-known/did.json")
        assert on_management.status_code == 200
        assert on_management.json()["did"] == node.did
        assert on_protocol.status_code == 404
        assert did_document.status_code == 200
    finally:
        node.stop()
