"""A bare node context (settings, migrated database, fixed clock) for service tests; the
conftests of the service test packages import the `context` fixture from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from connector.clock import FixedClock
from connector.context import NodeContext
from connector.db import create_database, upgrade_to_head
from connector.observability.metrics import Metrics
from tests.conftest import make_settings

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Participant:
    did: str
    credentials: tuple = ()


@pytest.fixture
async def context(tmp_path: Path, database_url: str):
    settings = make_settings(tmp_path, database_url)
    database = create_database(settings.database_url)
    await upgrade_to_head(database)
    async with httpx.AsyncClient() as http:
        yield NodeContext(
            settings=settings,
            database=database,
            clock=FixedClock(NOW),
            http=http,
            metrics=Metrics(),
        )
    await database.dispose()
