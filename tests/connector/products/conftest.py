"""A node app with the product store, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from connector.app import create_node_apps
from connector.clock import FixedClock
from connector.context import NodeContext
from connector.settings import Settings
from tests.conftest import make_settings

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "products.json"


@dataclass
class Node:
    client: httpx.AsyncClient
    settings: Settings
    context: NodeContext

    @property
    def key(self) -> dict[str, str]:
        return {"X-Api-Key": self.settings.management.api_key}


@pytest.fixture
async def node(tmp_path: Path, database_url: str) -> AsyncIterator[Node]:
    from datetime import UTC, datetime

    settings = make_settings(tmp_path, database_url)
    apps = create_node_apps(settings, FixedClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC)))
    async with LifespanManager(apps.public):
        transport = httpx.ASGITransport(app=apps.public)
        async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
            yield Node(client, settings, apps.context)
