"""The catalog edge module: DSP CatalogRequestMessage (schema-valid), DCP headers, TTL cache,
counterparty failures as RemoteCatalogError."""

from __future__ import annotations

import json

import httpx
import pytest

from catalog import Criterion
from catalog.remote import CatalogClient, RemoteCatalogError, catalog_request_message
from tests.catalog.conftest import dsp_problems

CATALOG = {
    "@context": ["https://w3id.org/dspace/2025/1/context.jsonld"],
    "@id": "c",
    "@type": "Catalog",
    "participantId": "did:web:p",
}


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def client_for(handler, clock: Clock) -> tuple[CatalogClient, httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))

    async def headers_for(audience: str) -> dict[str, str]:
        return {"Authorization": f"token-for-{audience}"}

    return CatalogClient(http, headers_for, ttl_s=30.0, now=clock), http


def test_request_message_validates_when_criteria_given() -> None:
    message = catalog_request_message((Criterion("id", "=", "a"),))
    assert dsp_problems(message, "catalog/catalog-request-message-schema.json") == []
    assert message["filter"] == [{"operandLeft": "id", "operator": "=", "operandRight": "a"}]


async def test_catalog_is_cached_until_ttl_when_requested_again() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=CATALOG)

    clock = Clock()
    client, http = client_for(handler, clock)
    async with http:
        assert await client.catalog("http://p/api/dsp/", "did:web:p") == CATALOG
        await client.catalog("http://p/api/dsp", "did:web:p")
        clock.t = 31.0
        await client.catalog("http://p/api/dsp", "did:web:p")
        await client.catalog("http://p/api/dsp", "did:web:p", fresh=True)
    assert len(seen) == 3
    assert str(seen[0].url) == "http://p/api/dsp/catalog/request"
    assert seen[0].headers["authorization"] == "token-for-did:web:p"
    assert json.loads(seen[0].content)["@type"] == "CatalogRequestMessage"


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(500, text="boom"),
        httpx.Response(200, text="not json"),
        httpx.Response(200, json=[1, 2]),
    ],
)
async def test_counterparty_failure_is_502_when_answer_unusable(response) -> None:
    client, http = client_for(lambda request: response, Clock())
    async with http:
        with pytest.raises(RemoteCatalogError) as error:
            await client.catalog("http://p/api/dsp", "did:web:p")
    assert error.value.status == 502


async def test_unknown_dataset_is_404_when_counterparty_says_so() -> None:
    client, http = client_for(lambda request: httpx.Response(404, json={}), Clock())
    async with http:
        with pytest.raises(RemoteCatalogError) as error:
            await client.dataset("http://p/api/dsp", "did:web:p", "urn:x/y")
    assert error.value.status == 404
