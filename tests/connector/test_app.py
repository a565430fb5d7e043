"""The app factory: health, metrics, management key, error shapes, body limits."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from connector.app import create_app, create_node_apps
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


async def test_client_hanging_up_mid_body_is_logged_not_answered_500(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="carbonspace.errors")
    settings = make_settings(tmp_path, database_url)
    app = create_app(settings)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/management/v3/assets",
        "raw_path": b"/api/management/v3/assets",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"x-api-key", settings.management.api_key.encode()),
            (b"content-type", b"application/json"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("node", 80),
    }
    incoming = [
        {"type": "http.request", "body": b'{"@id": "half', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        return incoming.pop(0)

    async def send(message: dict) -> None:
        sent.append(message)

    async with LifespanManager(app):
        await app(scope, receive, send)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
            headers = {"X-Api-Key": settings.management.api_key}
            listed = await client.post("/api/management/v3/assets/request", headers=headers)

    assert sent[0]["status"] == 499
    assert listed.json() == []
    assert "client disconnected" in caplog.text
    assert "unhandled error" not in caplog.text


async def test_single_port_serves_every_surface_in_its_own_shape(node) -> None:
    client, settings = node
    key = {"X-Api-Key": settings.management.api_key}
    assert (await client.get("/health")).status_code == 200
    assert (await client.get("/.well-known/dspace-version")).status_code == 200
    assert (await client.get("/api/management/node", headers=key)).status_code == 200
    no_token = await client.get("/api/public/submodels")
    assert no_token.status_code == 401
    assert "messages" in no_token.json()  # the AAS API's Result, from the data-plane app
    unknown = await client.get("/nowhere")
    assert unknown.status_code == 404
    assert "error" in unknown.json()  # the protocol surface's plain shape
    documented = (await client.get("/openapi.json")).json()["paths"]
    assert "/api/management/v3/assets" in documented


async def test_split_ports_keep_management_and_data_off_the_protocol_port(
    tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(
        tmp_path, database_url, server={"management_port": 9181, "public_port": 9182}
    )
    apps = create_node_apps(settings)
    assert apps.management is not None and apps.data is not None
    key = {"X-Api-Key": settings.management.api_key}
    async with (
        LifespanManager(apps.public),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=apps.public), base_url="http://p"
        ) as protocol,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=apps.management), base_url="http://m"
        ) as management,
    ):
        assert (await protocol.get("/api/management/node", headers=key)).status_code == 404
        assert (await protocol.get("/api/public/submodels")).status_code == 404
        assert (await protocol.get("/.well-known/dspace-version")).status_code == 200
        assert (await management.get("/api/management/node", headers=key)).status_code == 200


def test_fastapi_native_telemetry_is_on_only_where_opentelemetry_is_configured() -> None:
    from connector.app import native_telemetry

    assert native_telemetry({}) == {"tracing": False, "metrics": False, "logs": False}
    assert native_telemetry({"PATH": "/usr/bin"}) == {
        "tracing": False,
        "metrics": False,
        "logs": False,
    }
    assert native_telemetry({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"}) is None
    assert native_telemetry({"FASTAPI_OTEL_AUTO_CONFIGURE": "true"}) is None
