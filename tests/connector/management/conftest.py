"""A node app in-process with a management client (X-Api-Key set), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from connector.app import create_app
from connector.identity import init_node
from tests.support.exchange import space  # noqa: F401  (the in-process data space)


@pytest.fixture
async def node(tmp_path: Path, database_url: str):
    settings = init_node(
        tmp_path / "node", name="mgmt-test", url="http://127.0.0.1:18080", database_url=database_url
    )
    app = create_app(settings)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"X-Api-Key": settings.management.api_key, "Content-Type": "application/json"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://node/api/management", headers=headers
        ) as client:
            yield client, app.state.node
