"""Management routes of the product store and the AAS API at /api/aas (X-Api-Key)."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

from aas_models import Footprint, FootprintStatus, ProductIdentity
from connector.products.service import publish_footprint
from tests.aas_models.factories import footprint
from tests.connector.products.conftest import EXAMPLE


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


HRC = "urn:carbonspace:127.0.0.1%3A8080:sm:cf:HRC-2MM"


async def imported(node) -> None:
    response = await node.client.post(
        "/api/management/products/import", content=EXAMPLE.read_bytes(), headers=node.key
    )
    assert response.status_code == 200
    assert response.json()["footprints"] == 3


async def test_import_and_list_work_when_api_key_given(node) -> None:
    await imported(node)
    listed = (await node.client.get("/api/management/products", headers=node.key)).json()
    assert [p["id"] for p in listed] == ["BOLT-M8", "HRC-2MM", "WR-5.5"]
    assert listed[1]["submodelId"] == HRC
    assert listed[1]["latestVersion"] == 1


async def test_import_errors_are_edc_error_array_when_file_bad(node) -> None:
    response = await node.client.post(
        "/api/management/products/import",
        content=b"id,name,unit\nP1,Coil,tonne\n",
        headers={**node.key, "Content-Type": "text/csv"},
    )
    assert response.status_code == 400
    assert [e["message"] for e in response.json()] == [
        "import refused: 1 problem(s); nothing was stored",
        "line 2: unit 'tonne' not in ['cbm', 'g', 'kWh', 'kg', 'l', 'ml', 'piece', 'qm', 't']",
    ]
    assert response.json()[0]["type"] == "ValidationFailure"


async def test_aas_api_refuses_request_when_api_key_missing(node) -> None:
    response = await node.client.get("/api/aas/submodels")
    assert response.status_code == 401
    assert response.json()["messages"][0]["code"] == "401"


async def test_aas_api_serves_submodel_value_when_api_key_given(node) -> None:
    await imported(node)
    path = "ProductCarbonFootprints%5B0%5D.PcfCO2eq"
    url = f"/api/aas/submodels/{b64(HRC)}/submodel-elements/{path}/$value"
    response = await node.client.get(url, headers=node.key)
    assert response.text == "1970.5"
    shells = (await node.client.get("/api/aas/shells", headers=node.key)).json()["result"]
    expected = ["Product_BOLT_M8", "Product_HRC_2MM", "Product_WR_5_5"]
    assert [s["idShort"] for s in shells] == expected


async def test_unknown_aas_route_gets_result_body_when_called(node) -> None:
    response = await node.client.get("/api/aas/nothing-here", headers=node.key)
    assert response.status_code == 404
    assert list(response.json()) == ["messages"]


async def test_footprint_is_exported_as_pact_and_catenax_when_asked(node) -> None:
    await imported(node)
    pact = await node.client.get(
        "/api/management/products/HRC-2MM/footprint", params={"format": "pact"}, headers=node.key
    )
    assert pact.json()["pcf"]["pcfExcludingBiogenicUptake"] == "1970.5"
    assert pact.json()["companyName"] == "test-node"
    catenax = await node.client.get(
        "/api/management/products/HRC-2MM/footprint?format=catenax", headers=node.key
    )
    stage = catenax.json()["productLifeCycleStagesAndEmissions"][0]["productionStage"][0]
    assert stage["pcfExcludingBiogenicUptake"] == 1970.5
    bad = await node.client.get(
        "/api/management/products/HRC-2MM/footprint?format=xml", headers=node.key
    )
    assert bad.status_code == 400


async def test_publish_footprint_creates_product_and_next_version_when_called(node) -> None:
    identity = ProductIdentity("CALC-1", "Computed coil", "urn:x:product:CALC-1", "72083900")
    record: Footprint = replace(footprint(), version=0)
    first = await publish_footprint(node.context, "CALC-1", record, product=identity)
    second = await publish_footprint(node.context, "CALC-1", record, product=identity)
    assert (first.value.version, second.value.version) == (1, 2)
    assert first.value.asset_id == "pcf-CALC-1"
    stale = await publish_footprint(
        node.context, "CALC-1", replace(record, version=2, status=FootprintStatus.ACTIVE)
    )
    assert stale.detail == "product CALC-1: version 2 is not newer than 2"
    missing = await publish_footprint(node.context, "NOPE", record)
    assert missing.detail == "product 'NOPE' is not in the product store"
    stored = json.loads(second.value.submodel_json)
    assert stored["administration"]["version"] == "2"


async def test_replaced_json_is_served_at_once_when_cached_before(node) -> None:
    from connector.products.service import replace_submodel_json

    await imported(node)
    url = f"/api/aas/submodels/{b64(HRC)}"
    before = (await node.client.get(url, headers=node.key)).json()
    changed = {**before, "description": [{"language": "en", "text": "signed"}]}
    outcome = await replace_submodel_json(node.context, HRC, 1, json.dumps(changed))
    assert outcome.value is None
    after = (await node.client.get(url, headers=node.key)).json()
    assert after["description"] == [{"language": "en", "text": "signed"}]
    stale = await replace_submodel_json(node.context, HRC, 7, "{}")
    assert stale.detail == f"submodel {HRC!r} version 7 is not the current one"


async def test_finish_hook_shapes_stored_submodel_when_given(node) -> None:
    identity = ProductIdentity("SIGNED-1", "Signed coil", "urn:x:product:SIGNED-1")

    def finish(submodel: dict) -> dict:
        return {**submodel, "extensions": [{"name": "sig", "valueType": "xs:string", "value": "s"}]}

    published = await publish_footprint(
        node.context, "SIGNED-1", replace(footprint(), version=0), product=identity, finish=finish
    )
    url = f"/api/aas/submodels/{b64(published.value.submodel_id)}"
    served = (await node.client.get(url, headers=node.key)).json()
    assert served["extensions"] == [{"name": "sig", "valueType": "xs:string", "value": "s"}]
    assert json.loads(published.value.submodel_json)["extensions"][0]["name"] == "sig"
