"""The app factory: health, metrics, management key, error shapes, body limits."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from connector.app import create_app
from tests.conftest import make_settings


@pytest.fixture
async def node(tmp_path: Path, database_url: str):
    settings = make_settings(tmp_path, database_url)
    app = create_app(settings)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
            yield client, settings


async def test_health_is_up_when_database_migrated(node) -> None:
    client, settings = node
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "UP"
    assert body["node"] == settings.node.did
    assert body["migrations"]["current"] == body["migrations"]["head"]


async def test_metrics_are_prometheus_text_when_requested(node) -> None:
    client, _ = node
    await client.get("/health")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'carbonspace_http_requests_total{method="GET",status="200",surface="health"}' in (
        response.text
    )


async def test_management_refuses_request_when_api_key_missing(node) -> None:
    client, _ = node
    response = await client.get("/api/management/node")
    assert response.status_code == 401
    assert response.json()[0]["type"] == "AuthenticationFailed"


async def test_management_describes_node_when_api_key_given(node) -> None:
    client, settings = node
    headers = {"X-Api-Key": settings.management.api_key}
    response = await client.get("/api/management/node", headers=headers)
    assert response.status_code == 200
    assert response.json()["did"] == settings.node.did
    assert response.json()["dspEndpoint"] == "http://127.0.0.1:8080/api/dsp"


async def test_body_over_limit_is_refused_with_413_when_posted(node) -> None:
    client, settings = node
    big = b"x" * (settings.server.max_body_bytes + 1)
    response = await client.post("/api/dsp/catalog/request", content=big)
    assert response.status_code == 413
    assert response.json()["@type"] == "CatalogError"


async def test_chunked_body_over_limit_is_refused_with_413_when_streamed(node) -> None:
    client, settings = node

    async def chunks():
        for _ in range(settings.server.max_body_bytes // 65536 + 2):
            yield b"x" * 65536

    headers = {"X-Api-Key": settings.management.api_key, "Content-Type": "application/json"}
    response = await client.post("/api/management/v3/assets", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert response.json()[0]["message"] == (
        f"request body exceeds {settings.server.max_body_bytes} bytes"
    )
