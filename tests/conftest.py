"""Shared fixtures: node settings and the database matrix (SQLite always; PostgreSQL when
CARBONSPACE_TEST_POSTGRES_URL is set, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test).

Each PostgreSQL test gets a database of its own, created and dropped around it, so tests may run
in parallel and never see each other's rows."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from connector.db import Database, create_database, upgrade_to_head
from connector.settings import Settings, settings_from_mapping

POSTGRES_URL_ENV = "CARBONSPACE_TEST_POSTGRES_URL"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the e2e tests (real nodes, seconds each) first: with `-n 2` the short tests then
    fill both workers to the end instead of one worker finishing a long e2e test alone."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With `-n`, a worker that runs out of tests takes half of another one's queue: under
    xdist's default scheduling the e2e tests, run first, stay with whichever worker got the
    first chunk. (A hook, not `--dist` in addopts, so pytest still runs without xdist.) Another
    `--dist` mode asked for on the command line is left to xdist."""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import WorkStealingScheduling

    return WorkStealingScheduling(config, log)


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_URL_ENV) or None


def _create_postgres_database() -> tuple[str, str]:
    import psycopg

    admin = postgres_admin_url()
    assert admin is not None
    name = f"cs_test_{uuid.uuid4().hex[:16]}"
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    return f"{base}/{name}", name


def _drop_postgres_database(name: str) -> None:
    import psycopg

    admin = postgres_admin_url()
    assert admin is not None
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind production uses."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'node.db'}"
        return
    if postgres_admin_url() is None:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    url, name = _create_postgres_database()
    try:
        yield url
    finally:
        _drop_postgres_database(name)


@pytest.fixture
async def migrated_database(database_url: str) -> AsyncIterator[Database]:
    """A `Database` on `database_url` with the schema migrated to head; disposed after."""
    database = create_database(database_url)
    await upgrade_to_head(database)
    try:
        yield database
    finally:
        await database.dispose()


def make_settings(node_dir: Path, database_url: str = "", **sections: dict[str, Any]) -> Settings:
    """Settings for a test node in `node_dir`, with an encrypted node key (generated once)."""
    raw: dict[str, Any] = {
        "node": {
            "name": "test-node",
            "url": "http://127.0.0.1:8080",
            "did": "did:web:127.0.0.1%3A8080",
        },
        "management": {"api_key": secrets.token_urlsafe(24)},
        "database": {"url": database_url},
        "trust": {"allow_insecure_did_web": True},
    }
    for section, values in sections.items():
        raw.setdefault(section, {}).update(values)
    settings = settings_from_mapping(node_dir, raw)
    _ensure_node_key(settings)
    return settings


def _ensure_node_key(settings: Settings) -> None:
    """The identity feature loads the node key at start; give test nodes one."""
    from connector.identity.keys import generate_key, store_key
    from connector.identity.provisioning import node_key_location

    location = node_key_location(settings)
    if not location.private_key_file.exists():
        store_key(generate_key(settings.keys.algorithm), location, os.environ)
