"""A database that cannot serve: PostgreSQL connections that drop are replaced before use when
idle, and a 503 (not a 500) when they drop under load; a SQLite file locked for longer than the
lock wait is a 503 too. The next request is served again; bad SQL stays a bug (500)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import exc as sql_errors
from sqlalchemy import make_url, text

from connector.app import create_app
from connector.db import _inline_sqlite, create_database, engine
from connector.db.engine import Database
from connector.errors import install_error_handlers
from connector.settings import Settings
from tests.conftest import make_settings


@pytest.fixture
def postgres_url(database_url: str) -> Iterator[str]:
    if not database_url.startswith("postgresql"):
        pytest.skip("connections to a server only")
    yield database_url


def _terminate_connections(url: str) -> int:
    """What a server restart does to a database's clients: every backend is terminated."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    name = make_url(url).database
    with psycopg.connect(plain, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


async def _backend_pid(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


def _count_pings(database: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    ping = database.engine.dialect.do_ping

    def counting(dbapi_connection: object) -> bool:
        pings.append(1)
        return ping(dbapi_connection)  # type: ignore[arg-type]

    monkeypatch.setattr(database.engine.dialect, "do_ping", counting)
    return pings


async def test_connection_returned_a_moment_ago_is_lent_without_a_ping(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = create_database(postgres_url)
    pings = _count_pings(database, monkeypatch)
    try:
        first = await _backend_pid(database)
        assert await _backend_pid(database) == first
        assert pings == []
    finally:
        await database.dispose()


async def test_idle_connection_is_pinged_and_replaced_when_the_server_dropped_it(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "PING_IDLE_AFTER_S", 0.0)
    database = create_database(postgres_url)
    pings = _count_pings(database, monkeypatch)
    try:
        first = await _backend_pid(database)
        assert _terminate_connections(postgres_url) == 1
        # The pooled connection is dead; the ping finds out and the pool opens a new one.
        second = await _backend_pid(database)
        assert second != first
        assert len(pings) == 1
        assert await _backend_pid(database) == second
    finally:
        await database.dispose()


POLICY = {
    "@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"},
    "@id": "use",
    "policy": {"@type": "Set", "permission": [{"action": "use"}]},
}
STORED = "/api/management/v3/policydefinitions/use"


@asynccontextmanager
async def _management(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The node's management API, in process, with its key."""
    app = create_app(settings)
    headers = {"X-Api-Key": settings.management.api_key}
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://node", headers=headers
        ) as client:
            yield client


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()[0]["type"] == "ServiceUnavailable"


async def test_request_is_503_when_sqlite_stays_locked_then_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_inline_sqlite, "BUSY_TIMEOUT_S", 0.2)
    settings = make_settings(tmp_path)
    async with _management(settings) as client:
        locker = sqlite3.connect(make_url(settings.database_url).database or "")
        locker.execute("BEGIN IMMEDIATE")  # another process writing, for too long
        try:
            locked = await client.post("/api/management/v3/policydefinitions", json=POLICY)
        finally:
            locker.rollback()
            locker.close()
        _assert_unavailable(locked)
        assert (await client.get(STORED)).status_code == 404
        created = await client.post("/api/management/v3/policydefinitions", json=POLICY)
        assert created.status_code == 200, created.text


def _driver_error(sql: str, *, locked: bool) -> sqlite3.OperationalError:
    """A real error of the sqlite3 driver: a lock wait run out, or bad SQL."""
    path = ":memory:" if not locked else "file:locked?mode=memory&cache=shared"
    holder = sqlite3.connect(path, uri=True, timeout=0)
    caller = sqlite3.connect(path, uri=True, timeout=0)
    holder.execute("CREATE TABLE IF NOT EXISTS t (x)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    try:
        caller.execute(sql)
    except sqlite3.OperationalError as error:
        return error
    finally:
        holder.close()
        caller.close()
    raise AssertionError(f"{sql} did not fail")


@pytest.mark.parametrize(
    ("raised", "status"),
    [
        (lambda: _driver_error("SELECT * FROM t", locked=True), 503),
        (lambda: _driver_error("SELECT * FROM missing_table", locked=False), 500),
        (lambda: sql_errors.TimeoutError("QueuePool limit of size 20 overflow 10 reached"), 503),
    ],
    ids=["sqlite-locked", "sqlite-bad-sql", "pool-exhausted"],
)
async def test_database_error_is_503_when_it_cannot_serve_and_500_when_a_bug(
    raised: Callable[[], Exception], status: int
) -> None:
    error = raised()
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/api/management/probe")
    async def probe() -> None:
        raise error

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
        response = await client.get("/api/management/probe")
    assert response.status_code == status
    assert ("Retry-After" in response.headers) == (status == 503)


async def test_request_is_503_with_retry_after_when_its_connection_dropped_then_served(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, postgres_url)
    async with _management(settings) as client:
        assert (await client.get(STORED)).status_code == 404
        assert _terminate_connections(postgres_url) >= 1

        # Returned a moment ago, so lent without a ping: its statement fails.
        dropped = await client.post("/api/management/v3/policydefinitions", json=POLICY)
        _assert_unavailable(dropped)

        # The pool threw the dead connections away; nothing was stored by the failed call.
        assert (await client.get(STORED)).status_code == 404
        created = await client.post("/api/management/v3/policydefinitions", json=POLICY)
        assert created.status_code == 200, created.text
        assert (await client.get(STORED)).status_code == 200
