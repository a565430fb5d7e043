"""SQLite run inline on the event loop (connector/db/_inline_sqlite.py): lock waits do not
block the loop, a write that finds the database locked completes once the lock is released,
and a write that never gets the lock fails with SQLite's own error instead of hanging."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from connector.db import Database, _inline_sqlite, create_database


async def _table(url: str) -> None:
    database = create_database(url)
    async with database.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE item (name TEXT PRIMARY KEY)"))
    await database.dispose()


class _RetrySpy:
    """Stands in for the adapter's `asyncio`: records each asynchronous wait for the lock."""

    def __init__(self) -> None:
        self.retrying = asyncio.Event()

    def get_running_loop(self) -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    async def sleep(self, delay: float) -> None:
        self.retrying.set()
        await asyncio.sleep(delay)


async def test_write_waits_for_a_lock_held_across_an_await_without_blocking_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = _RetrySpy()
    monkeypatch.setattr(_inline_sqlite, "asyncio", spy)
    url = f"sqlite:///{tmp_path / 'node.db'}"
    await _table(url)
    database = create_database(url)
    holder_has_lock = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with database.engine.begin() as connection:
            await connection.execute(text("INSERT INTO item VALUES ('first')"))
            holder_has_lock.set()
            await release.wait()  # the write lock stays held across this await

    async def waiter() -> None:
        await holder_has_lock.wait()
        async with database.engine.begin() as connection:
            await connection.execute(text("INSERT INTO item VALUES ('second')"))

    holding = asyncio.create_task(holder())
    waiting = asyncio.create_task(waiter())
    await holder_has_lock.wait()
    await asyncio.wait_for(spy.retrying.wait(), timeout=10)  # the loop runs on meanwhile
    assert not waiting.done()
    release.set()
    await asyncio.wait_for(asyncio.gather(holding, waiting), timeout=10)
    async with database.engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM item ORDER BY name"))).all()
    assert [row[0] for row in names] == ["first", "second"]
    await database.dispose()


async def test_write_fails_with_database_locked_when_the_lock_never_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_inline_sqlite, "BUSY_TIMEOUT_S", 0.2)
    url = f"sqlite:///{tmp_path / 'node.db'}"
    await _table(url)
    database = create_database(url)
    async with database.engine.begin() as holding:
        await holding.execute(text("INSERT INTO item VALUES ('first')"))
        with pytest.raises(OperationalError, match="database is locked"):
            async with database.engine.begin() as other:
                await other.execute(text("INSERT INTO item VALUES ('second')"))
    async with database.engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM item"))).all()
    assert [row[0] for row in names] == ["first"]
    await database.dispose()


async def test_connections_are_inline_for_file_urls_only(tmp_path: Path) -> None:
    on_file = create_database(f"sqlite:///{tmp_path / 'node.db'}")
    in_memory = create_database("sqlite:///:memory:")
    for database, inline in ((on_file, True), (in_memory, False)):
        async with database.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert isinstance(driver, _inline_sqlite.InlineConnection) is inline
            timeout = (await connection.execute(text("PRAGMA busy_timeout"))).scalar_one()
            assert timeout == (0 if inline else 30000)
        await database.dispose()


@pytest.fixture
async def items(tmp_path: Path) -> AsyncIterator[Database]:
    """An inline SQLite database with the `item` table."""
    url = f"sqlite:///{tmp_path / 'node.db'}"
    await _table(url)
    database = create_database(url)
    yield database
    await database.dispose()


async def test_session_commits_rolls_back_on_error_and_returns_its_connection(
    items: Database,
) -> None:
    database = items
    async with database.session() as session:
        await session.exec(text("INSERT INTO item VALUES ('kept')"))
        await session.commit()
    with pytest.raises(RuntimeError):
        async with database.session() as session:
            await session.exec(text("INSERT INTO item VALUES ('dropped')"))
            raise RuntimeError("the caller fails before committing")
    with pytest.raises(RuntimeError):
        async with database.transaction() as connection:
            await connection.execute(text("INSERT INTO item VALUES ('dropped too')"))
            raise RuntimeError("the caller fails inside the transaction")
    async with database.transaction() as connection:
        await connection.execute(text("INSERT INTO item VALUES ('committed')"))

    async with database.session() as session:
        names = (await session.exec(text("SELECT name FROM item ORDER BY name"))).all()
    assert [name for (name,) in names] == ["committed", "kept"]
    # nothing leaked: what is still checked out is the one connection kept for the next
    # transaction (a failed transaction's connection went back to the pool)
    assert database.engine.pool.checkedout() == len(database._idle) == 1  # type: ignore[attr-defined]


async def test_closing_an_inline_session_does_not_wait_behind_other_tasks(
    items: Database,
) -> None:
    # SQLAlchemy's own `async with` closes in a separate shielded task: two trips through a
    # busy loop's ready queue (~10 ms a session under load). Inline, the close runs in place.
    database = items
    others_ran = False

    async def other() -> None:
        nonlocal others_ran
        others_ran = True

    pending = asyncio.create_task(other())
    async with database.session() as session:
        await session.exec(text("INSERT INTO item VALUES ('one')"))
        await session.commit()
    async with database.transaction() as connection:
        await connection.execute(text("INSERT INTO item VALUES ('two')"))
    assert not others_ran
    await pending
