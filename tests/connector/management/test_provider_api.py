"""Assets, policy definitions, contract definitions through the EDC Management API v3, with the
bodies tractusx-sdk 0.8.3 sends (shared/specs/edc/sdk-wire/saturn-provider-create.jsonl)."""

from __future__ import annotations

import json

from tests.support.paths import SPECS as SPECS_DIR

WIRE = SPECS_DIR / "edc" / "sdk-wire"
EDC = "https://w3id.org/edc/v0.0.1/ns/"


def recorded(name: str) -> list[dict]:
    return [json.loads(line) for line in (WIRE / name).read_text().splitlines() if line.strip()]


async def create_recorded_provider(client) -> list[dict]:
    answers = []
    for exchange in recorded("saturn-provider-create.jsonl"):
        path = exchange["request"]["path"].removeprefix("/management")
        response = await client.post(path, json=exchange["request"]["body"])
        answers.append((response.status_code, response.json(), exchange))
    return answers


async def test_sdk_provider_bodies_are_created_when_posted(node) -> None:
    client, _ = node
    for status, body, exchange in await create_recorded_provider(client):
        expected = exchange["stub_response"]["body"]
        assert status == 200
        assert body["@id"] == expected["@id"]
        assert body["@type"] == "IdResponse"
        assert body["@context"] == {"@vocab": EDC}
        assert isinstance(body["createdAt"], int)


async def test_asset_reads_back_with_compact_properties_when_created(node) -> None:
    client, _ = node
    await create_recorded_provider(client)
    response = await client.get("/v3/assets/pcf-asset-saturn")
    assert response.status_code == 200
    body = response.json()
    assert body["@id"] == "pcf-asset-saturn"
    assert body["properties"]["dct:type"] == {
        "@id": "https://w3id.org/catenax/taxonomy#PcfExchange"
    }
    assert body["properties"]["cx-common:version"] == "3.0"
    assert body["dataAddress"]["type"] == "HttpData"
    assert body["dataAddress"]["baseUrl"] == "http://127.0.0.1:18181/backend/pcf"


async def test_duplicate_id_is_409_when_created_twice(node) -> None:
    client, _ = node
    await create_recorded_provider(client)
    for status, body, _ in await create_recorded_provider(client):
        assert status == 409
        assert body[0]["type"] == "ObjectConflict"


async def test_unknown_asset_is_404_with_edc_error_when_read(node) -> None:
    client, _ = node
    response = await client.get("/v3/assets/nope")
    assert response.status_code == 404
    assert response.json() == [
        {
            "message": "asset 'nope' not found",
            "type": "ObjectNotFound",
            "path": None,
            "invalidValue": None,
        }
    ]


async def test_asset_is_refused_and_not_stored_when_data_address_missing(node) -> None:
    client, _ = node
    body = {"@context": {"@vocab": EDC}, "@id": "a1", "properties": {"name": "x"}}
    response = await client.post("/v3/assets", json=body)
    assert response.status_code == 400
    assert response.json()[0]["message"] == "dataAddress: must be a JSON object"
    assert (await client.get("/v3/assets/a1")).status_code == 404


async def test_asset_is_refused_when_prefix_undefined(node) -> None:
    client, _ = node
    body = {
        "@context": {},
        "@id": "a1",
        "properties": {"foo:bar": "x"},
        "dataAddress": {"type": "HttpData"},
    }
    response = await client.post("/v3/assets", json=body)
    assert response.status_code == 400
    assert response.json()[0]["message"] == "properties.foo:bar: prefix is not defined in @context"


async def test_ids_with_colons_work_when_deleted(node) -> None:
    client, _ = node
    body = {
        "@context": {"@vocab": EDC},
        "@id": "testlab:run:probe-asset",
        "properties": {},
        "dataAddress": {"type": "HttpData"},
    }
    assert (await client.post("/v3/assets/", json=body)).status_code == 200
    assert (await client.delete("/v3/assets/testlab:run:probe-asset")).status_code == 204
    assert (await client.get("/v3/assets/testlab:run:probe-asset")).status_code == 404


async def test_routes_answer_alike_when_path_has_trailing_slash(node) -> None:
    """edc-mgmt-api.md §5: clients that add a `/` get the same answer, not a redirect."""
    client, _ = node
    await create_recorded_provider(client)
    query = {"@context": {"@vocab": EDC}, "@type": "QuerySpec"}
    for method, path, body in (
        ("GET", "/v3/assets/pcf-asset-saturn", None),
        ("POST", "/v3/assets/request", query),
        ("POST", "/v3/contractnegotiations/request", query),
        ("GET", "/v3/contractnegotiations/nope", None),
        ("GET", "/node", None),
    ):
        plain = await client.request(method, path, json=body)
        slashed = await client.request(method, path + "/", json=body)
        assert (slashed.status_code, slashed.json()) == (plain.status_code, plain.json()), path
    assert (await client.get("/v3/assets/pcf-asset-saturn/")).json()["@id"] == "pcf-asset-saturn"
    openapi = (await client.get("http://node/openapi.json")).json()
    assert not [path for path in openapi["paths"] if path.endswith("/")]


async def test_query_filters_with_like_and_iri_path_when_requested(node) -> None:
    client, _ = node
    await create_recorded_provider(client)
    for asset_id in ("testlab:1:a", "testlab:1:b"):
        await client.post(
            "/v3/assets",
            json={
                "@context": {"@vocab": EDC},
                "@id": asset_id,
                "dataAddress": {"type": "HttpData"},
            },
        )
    spec = {
        "@context": {"@vocab": EDC},
        "@type": "QuerySpec",
        "sortOrder": "DESC",
        "sortField": "id",
        "filterExpression": [
            {"operandLeft": EDC + "id", "operator": "like", "operandRight": "testlab:1:%"}
        ],
    }
    response = await client.post("/v3/assets/request", json=spec)
    assert [a["@id"] for a in response.json()] == ["testlab:1:b", "testlab:1:a"]
    spec["filterExpression"] = [
        {
            "operandLeft": "'http://purl.org/dc/terms/type'.'@id'",
            "operator": "=",
            "operandRight": "https://w3id.org/catenax/taxonomy#PcfExchange",
        }
    ]
    response = await client.post("/v3/assets/request", json=spec)
    assert [a["@id"] for a in response.json()] == ["pcf-asset-saturn"]
    everything = await client.post("/v3/assets/request")
    assert len(everything.json()) == 3


async def test_policy_definition_reads_back_in_edc_form_when_created(node) -> None:
    client, _ = node
    await create_recorded_provider(client)
    body = (await client.get("/v3/policydefinitions/usage-1")).json()
    assert body["@id"] == "usage-1"
    assert body["@type"] == "PolicyDefinition"
    assert body["policy"]["@type"] == "odrl:Set"
    assert "odrl:permission" in body["policy"]


async def test_policy_in_use_is_409_when_deleted(node) -> None:
    client, _ = node
    await create_recorded_provider(client)
    response = await client.delete("/v3/policydefinitions/usage-1")
    assert response.status_code == 409
    assert (await client.delete("/v3/contractdefinitions/cd-1")).status_code == 204
    assert (await client.delete("/v3/policydefinitions/usage-1")).status_code == 204


async def test_policy_put_without_id_replaces_when_sdk_updates(node) -> None:
    client, _ = node
    await create_recorded_provider(client)
    update = recorded("saturn-provider-create.jsonl")[0]["request"]["body"]
    update = {**update, "@id": "usage-1"}
    assert (await client.put("/v3/policydefinitions", json=update)).status_code == 204
    body = (await client.get("/v3/policydefinitions/usage-1")).json()
    assert body["policy"]["odrl:permission"][0]["odrl:action"] == {"@id": "cx-policy:access"}


async def test_contract_definition_query_filters_on_policy_id_when_requested(node) -> None:
    client, _ = node
    await create_recorded_provider(client)
    spec = {
        "filterExpression": [
            {"operandLeft": "accessPolicyId", "operator": "in", "operandRight": ["access-1", "x"]}
        ]
    }
    response = await client.post("/v3/contractdefinitions/request", json=spec)
    assert response.status_code == 200
    body = response.json()
    assert [d["@id"] for d in body] == ["cd-1"]
    assert body[0]["assetsSelector"][0]["operandRight"] == "pcf-asset-saturn"


async def test_bad_json_is_400_when_posted(node) -> None:
    client, _ = node
    response = await client.post("/v3/contractdefinitions", content=b"{nope")
    assert response.status_code == 400
    assert response.json()[0]["type"] == "ValidationFailure"


async def test_policy_templates_are_listed_when_asked(node) -> None:
    client, _ = node
    response = await client.get("/v3/policytemplates")
    assert response.status_code == 200
    names = [t["name"] for t in response.json()]
    assert "members-only" in names


async def test_policy_template_instantiates_storable_definition_when_posted(node) -> None:
    client, _ = node
    response = await client.post("/v3/policytemplates/members-only", json={"purposes": []})
    assert response.status_code == 200
    body = {**response.json(), "@id": "members"}
    assert body["@type"] == "PolicyDefinition"
    assert (await client.post("/v3/policydefinitions", json=body)).status_code == 200
    stored = (await client.get("/v3/policydefinitions/members")).json()
    assert stored["policy"] == response.json()["policy"]


async def test_policy_template_is_400_when_unknown(node) -> None:
    client, _ = node
    response = await client.post("/v3/policytemplates/nope", json={})
    assert response.status_code == 400
    assert response.json()[0]["message"].startswith("name: unknown template 'nope'")


async def test_policy_template_is_400_when_option_has_wrong_type(node) -> None:
    client, _ = node
    response = await client.post("/v3/policytemplates/members-only", json={"purposes": 5})
    assert response.status_code == 400
