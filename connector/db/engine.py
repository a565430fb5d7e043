"""Engine and session factory for one node. One `Database` per node, owned by the app."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, exc, make_url, text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from connector.db._inline_sqlite import InlineConnection, inline_connector
from connector.db.unit import M, Unit, open_unit, read_inline

# Inline SQLite connections kept for reuse; the pool (5 + 10 overflow) lends the rest.
_IDLE_CONNECTIONS = 4

# A pooled PostgreSQL connection idle for longer than this is pinged before it is lent out.
PING_IDLE_AFTER_S = 1.0


@dataclass(frozen=True)
class Database:
    """The node's database: an async engine and a session factory bound to it."""

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # SQLite on the loop's own thread (`_inline_sqlite`): closing never suspends.
    inline: bool = False
    # Inline SQLite: Core connections kept checked out between transactions (`_connection`).
    _idle: list[AsyncConnection] = field(default_factory=list, repr=False, compare=False)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session; the caller commits. Rolled back if the block raises."""
        if not self.inline:
            async with self.sessions() as session:
                try:
                    yield session
                except BaseException:
                    await session.rollback()
                    raise
            return
        # SQLAlchemy's `async with` closes in a task of its own behind `asyncio.shield`, so
        # that a cancelled caller cannot abandon a close halfway. Two trips through the event
        # loop's ready queue: under load ~10 ms of waiting per session, more than the work done
        # in it. An inline SQLite close never suspends, so it cannot be interrupted halfway:
        # it is awaited directly.
        session = self.sessions()
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        finally:
            await session.close()

    async def get(self, model: type[M], key: Any) -> M | None:
        """The row of `model` with primary key `key`, or None: a read on its own, for the
        lookups of the protocol's hot paths. Through an ORM session one cost ~350 us of CPU;
        on inline SQLite this is one compiled SELECT on an idle connection outside any
        transaction (~33 us), elsewhere a `unit` (~80 us on SQLite). The row is in no
        session (see `connector.db.unit`)."""
        if not self.inline:
            async with self.unit() as unit:
                return await unit.get(model, key)
        async with self._connection() as connection:
            return await read_inline(connection, model, key)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection in a transaction, committed when the block ends without error
        (`engine.begin()`, with `session`'s direct close on inline SQLite)."""
        if not self.inline:
            async with self.engine.begin() as connection:
                yield connection
            return
        async with self._connection() as connection:
            await connection.begin()
            yield connection
            await connection.commit()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        """A `Unit`: a Core transaction with explicit row operations (`connector.db.unit`),
        committed only by `unit.commit()`."""
        if not self.inline:
            async with self.engine.connect() as connection:
                await connection.begin()
                async with open_unit(connection, lock_rows=self.is_postgresql) as unit:
                    yield unit
            return
        async with self._connection() as connection:
            await connection.begin()
            async with open_unit(connection, lock_rows=False, inline=True) as unit:
                yield unit

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        """Inline SQLite: a Core connection, reused by the next transaction when this one
        ended cleanly. A checkout from the pool and its return (reset, events, fairy) cost
        about a third of a short transaction; an idle inline connection holds no snapshot
        and no lock, so keeping a few checked out costs nothing."""
        connection = self._idle.pop() if self._idle else await self.engine.connect()
        reusable = False
        try:
            yield connection
            reusable = not connection.in_transaction() and not connection.invalidated
        finally:
            if reusable and len(self._idle) < _IDLE_CONNECTIONS:
                self._idle.append(connection)
            else:
                await connection.close()

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        while self._idle:
            await self._idle.pop().close()
        await self.engine.dispose()


def async_url(url: str) -> str:
    """Map plain URLs onto the async drivers we ship (aiosqlite, psycopg 3)."""
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.removeprefix("sqlite://")
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_database(url: str, pool_size: int = 20, max_overflow: int = 10) -> Database:
    """Create the engine for `url`; SQLite gets WAL, foreign keys and a busy timeout.

    PostgreSQL: `pool_size` connections are kept open, `max_overflow` more are opened in a
    burst and closed when returned. A pool sized below the node's concurrency reconnects all
    the time (a backend start on the server per checkout): 10 + 20 halved the throughput of
    100 concurrent negotiations against 20 + 10 (docs/performance.md)."""
    url = async_url(url)
    options: dict[str, Any] = {}
    if url.startswith("sqlite"):
        path = _sqlite_file(url)
        if path is not None:
            options["async_creator"] = inline_connector(path)
        else:
            options["connect_args"] = {"timeout": 30}
    else:
        options.update(pool_size=pool_size, max_overflow=max_overflow)
    engine = create_async_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        _ping_connections_left_idle(engine)
    sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    inline = "async_creator" in options
    return Database(url=url, engine=engine, sessions=sessions, inline=inline)


def _ping_connections_left_idle(engine: AsyncEngine) -> None:
    """Ping a pooled connection before lending it only when it sat idle for a while.

    A server restart, an idle timeout or a firewall drops connections that nobody uses; those
    are caught here, and the pool replaces them. `pool_pre_ping` pings on every checkout: a
    round trip and ~0.3 ms of CPU, 3 ms per negotiation and node, a fifth of the node's work.
    A connection returned a moment ago is alive. If one dies anyway (the server restarts under
    load), its statement fails, SQLAlchemy invalidates it and every older connection in the
    pool, and the request is answered 503 (`connector.errors`), to be retried."""
    pool = engine.sync_engine.pool
    dialect = engine.dialect

    @event.listens_for(pool, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _lent(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < PING_IDLE_AFTER_S:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error
        if not alive:
            raise exc.DisconnectionError("the database did not answer a ping")


def _sqlite_file(url: str) -> str | None:
    """The database file of a plain SQLite file URL (no query options), else None."""
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:" or parsed.query:
        return None
    return database


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Inline connections wait for locks without blocking the loop (`_inline_sqlite`); a
    # blocking busy handler there would stall every coroutine, the lock holder's included.
    inline = isinstance(dbapi_connection.driver_connection, InlineConnection)
    cursor.execute(f"PRAGMA busy_timeout={0 if inline else 30000}")
    cursor.close()
