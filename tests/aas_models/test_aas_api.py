"""AAS API Part 2 read router (aas_models.aas_api): modifiers, paging, identifiers, guard,
error Result bodies, a hypothesis fuzz that finds no 500, and the official aas-test-engines
SSP-002 suites against a loopback server."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from aas_test_engines import api as aas_api_tests
from aas_test_engines import config as aas_config
from aas_test_engines import http as aas_http
from fastapi import FastAPI, Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aas_models import MemoryRepository
from aas_models.aas_api import PROFILES, build_router
from tests.aas_models.factories import stored_pair

PAIRS = [stored_pair(i) for i in (1, 2, 3)]
REPOSITORY = MemoryRepository(tuple(p[0] for p in PAIRS), tuple(p[1] for p in PAIRS))


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


SM1 = b64("urn:carbonspace:test:sm:cf:1")
AAS1 = b64("urn:carbonspace:test:aas:1")


@dataclass(frozen=True)
class Refused:
    status: int
    detail: str


def make_app(guard=None) -> FastAPI:
    app = FastAPI()
    app.include_router(build_router("/aas", lambda request: REPOSITORY, guard))
    return app


@pytest.fixture
async def client() -> Iterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://aas") as c:
        yield c


def assert_result(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["messages"]
    assert set(body["messages"][0]) == {"messageType", "text", "code", "timestamp"}
    assert body["messages"][0]["code"] == str(status)


async def test_description_lists_read_profiles_when_asked(client) -> None:
    response = await client.get("/aas/description")
    assert response.json() == {"profiles": list(PROFILES)}


async def test_submodel_is_served_as_stored_bytes_when_fetched_by_id(client) -> None:
    response = await client.get(f"/aas/submodels/{SM1}")
    assert response.status_code == 200
    assert response.content == PAIRS[0][1].json_bytes


async def test_element_value_is_exact_when_path_addresses_pcf(client) -> None:
    path = "ProductCarbonFootprints%5B0%5D.PcfCO2eq"
    response = await client.get(f"/aas/submodels/{SM1}/submodel-elements/{path}/$value")
    assert response.text == "1970.5"


async def test_element_metadata_has_no_value_when_modifier_metadata(client) -> None:
    path = "ProductCarbonFootprints%5B0%5D.PcfCO2eq"
    response = await client.get(f"/aas/submodels/{SM1}/submodel-elements/{path}/$metadata")
    assert "value" not in response.json()
    assert response.json()["valueType"] == "xs:decimal"


async def test_paging_returns_cursor_until_last_page_when_limit_one(client) -> None:
    first = (await client.get("/aas/submodels/$reference", params={"limit": 1})).json()
    cursor = first["paging_metadata"]["cursor"]
    second = (await client.get("/aas/submodels/$reference?limit=2&cursor=" + cursor)).json()
    assert [r["keys"][0]["value"] for r in first["result"] + second["result"]] == [
        "urn:carbonspace:test:sm:cf:1",
        "urn:carbonspace:test:sm:cf:2",
        "urn:carbonspace:test:sm:cf:3",
    ]
    assert second["paging_metadata"] == {}


async def test_shell_submodel_is_reachable_through_shell_when_referenced(client) -> None:
    response = await client.get(f"/aas/shells/{AAS1}/submodels/{SM1}/$metadata")
    assert response.json()["id"] == "urn:carbonspace:test:sm:cf:1"
    other = b64("urn:carbonspace:test:sm:cf:2")
    assert_result(await client.get(f"/aas/shells/{AAS1}/submodels/{other}"), 404)


async def test_shells_filter_by_asset_id_when_manufacturer_part_id_given(client) -> None:
    asset = b64(json.dumps({"name": "manufacturerPartId", "value": "P-2"}))
    result = (await client.get("/aas/shells", params={"assetIds": asset})).json()["result"]
    assert [s["id"] for s in result] == ["urn:carbonspace:test:aas:2"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/aas/submodels/invalid-base64url=====", 400),
        ("/aas/submodels/%C3%A4", 400),
        (f"/aas/submodels/{b64('urn:unknown')}", 404),
        (f"/aas/submodels/{SM1}/submodel-elements/Unknown", 404),
        (f"/aas/submodels/{SM1}/submodel-elements/Product..Bad", 400),
        (f"/aas/submodels/{SM1}/submodel-elements/ProductCarbonFootprints%5B9%5D", 404),
        (f"/aas/submodels/{SM1}/$metadata?level=deep", 400),
        (f"/aas/submodels/{SM1}?level=middle", 400),
        ("/aas/submodels?limit=0", 400),
        ("/aas/submodels?cursor=", 400),
        (f"/aas/submodels/{SM1}/submodel-elements/ProductCarbonFootprints/attachment", 405),
        ("/aas/shells/" + b64("urn:nope"), 404),
        ("/aas/serialization?aasIds=%%%", 400),
    ],
)
async def test_bad_request_gets_result_body_when_input_invalid(client, url, status) -> None:
    assert_result(await client.get(url), status)


async def test_guard_refusal_is_a_result_when_identifier_not_agreed() -> None:
    def guard(request: Request, kind: str, identifier: str | None) -> Refused | None:
        allowed = identifier in (None, "urn:carbonspace:test:sm:cf:1")
        return None if allowed else Refused(403, "not covered by the agreement")

    transport = httpx.ASGITransport(app=make_app(guard))
    async with httpx.AsyncClient(transport=transport, base_url="http://aas") as client:
        refused = await client.get(f"/aas/submodels/{b64('urn:carbonspace:test:sm:cf:2')}")
        listed = (await client.get("/aas/submodels/$reference")).json()["result"]
    assert_result(refused, 403)
    assert [r["keys"][0]["value"] for r in listed] == ["urn:carbonspace:test:sm:cf:1"]


SEGMENT = st.text(
    alphabet=st.sampled_from("AZaz09_-=.[]$%~:/"), min_size=0, max_size=24
) | st.sampled_from(
    [SM1, AAS1, "$value", "$metadata", "$path", "$reference", "submodel-elements", "attachment",
     "ProductCarbonFootprints%5B0%5D", "submodels", "asset-information", "submodel-refs"]
)  # fmt: skip
QUERY = st.dictionaries(
    st.sampled_from(["level", "extent", "limit", "cursor", "semanticId", "idShort", "assetIds"]),
    st.text(max_size=12),
    max_size=3,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    root=st.sampled_from(["shells", "submodels", "serialization", "description"]),
    segments=st.lists(SEGMENT, max_size=5),
    query=QUERY,
)
def test_router_never_answers_500_when_fuzzed(root, segments, query) -> None:
    import asyncio

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=FUZZ_APP)
        async with httpx.AsyncClient(transport=transport, base_url="http://aas") as c:
            return await c.get("/aas/" + "/".join([root, *segments]), params=query)

    response = asyncio.run(call())
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/json")


FUZZ_APP = make_app()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_base() -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(make_app(), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "loopback AAS server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/aas"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.parametrize(
    "suite",
    [
        "https://admin-shell.io/aas/API/3/0/SubmodelRepositoryServiceSpecification/SSP-002",
        "https://admin-shell.io/aas/API/3/0/AssetAdministrationShellRepositoryServiceSpecification/SSP-002",
    ],
)
def test_official_read_profile_suite_passes_when_run_against_router(live_base, suite) -> None:
    client = aas_http.HttpClient(live_base, verify=False)
    result, _ = aas_api_tests.execute_tests(client, aas_config.CheckApiConfig(suite=suite))
    assert result.ok(), json.dumps(result.to_dict())[:2000]
