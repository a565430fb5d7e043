"""Persistence of identity state: held credentials and seen token ids (one transaction each)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from connector.db import Database
from connector.identity.models import CredentialRow, SeenTokenRow

PURGE_EVERY = timedelta(seconds=60)

# PostgreSQL: the insert is visible to every other transaction at commit as usual, but the
# commit does not wait for the WAL flush (~3 ms on the reference disk, on every inbound call).
# A crash may forget the ids recorded in its last fraction of a second; a token among them could
# be replayed until it expires (5 min at most). Protocol state is never committed this way.
_ASYNC_COMMIT = text("SET LOCAL synchronous_commit TO OFF")


# At most this many token ids in one transaction (on PostgreSQL: in one statement, 3 parameters
# each, well under its 65,535).
_MAX_BATCH = 1000


class ReplayGuard:
    """Durable `jti` register: `first_use` records a token id and says whether it is new.
    Rows expire with their token; expired rows are purged at most once a minute.

    Group commit: every inbound call records its token id before it is answered, and a
    transaction of its own per call was 2 of a negotiation's 6-7 commits on each node. The ids
    that arrive while the event loop is busy are written together, in one transaction (about
    five at 100 concurrent negotiations); each caller still gets its answer only once its id
    is committed. Alone, an id waits one loop iteration."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._last_purge: datetime | None = None
        self._waiting: list[_Waiting] = []
        self._flushes: set[asyncio.Task[None]] = set()

    async def first_use(self, issuer: str, jti: str, expires_at: datetime, now: datetime) -> bool:
        """True when (`issuer`, `jti`) was not seen before (and is now recorded)."""
        await self._purge_if_due(now)
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(issuer, jti, expires_at, answer))
        if len(self._waiting) == 1:  # the first since the last flush started: schedule one
            flush = asyncio.create_task(self._flush())
            self._flushes.add(flush)
            flush.add_done_callback(self._flushes.discard)
        return await answer

    async def _flush(self) -> None:
        batch, self._waiting = self._waiting, []
        for start in range(0, len(batch), _MAX_BATCH):
            await self._record(batch[start : start + _MAX_BATCH])

    async def _record(self, batch: list[_Waiting]) -> None:
        """One transaction for the batch; an id already stored, or twice in the batch, is a
        replay."""
        first: dict[tuple[str, str], _Waiting] = {}
        for waiting in batch:
            first.setdefault((waiting.issuer, waiting.jti), waiting)
        rows = [
            {"issuer": w.issuer, "jti": w.jti, "expires_at": w.expires_at} for w in first.values()
        ]
        try:
            if self._database.is_postgresql:
                recorded = await _insert_together(self._database, rows)
            else:
                recorded = await _insert_each(self._database, rows)
        except Exception as error:  # every caller fails as its own insert would have
            for waiting in batch:
                if not waiting.answer.done():
                    waiting.answer.set_exception(error)
            return
        except BaseException:  # cancelled (shutdown): so are the callers' waits
            for waiting in batch:
                waiting.answer.cancel()
            raise
        for waiting in batch:
            key = (waiting.issuer, waiting.jti)
            if not waiting.answer.done():  # a caller that gave up has a cancelled answer
                waiting.answer.set_result(key in recorded and first[key] is waiting)

    async def _purge_if_due(self, now: datetime) -> None:
        if self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return
        self._last_purge = now
        async with self._database.transaction() as connection:
            await connection.execute(delete(SeenTokenRow).where(col(SeenTokenRow.expires_at) < now))


@dataclass(frozen=True)
class _Waiting:
    issuer: str
    jti: str
    expires_at: datetime
    answer: asyncio.Future[bool]


# PostgreSQL: `INSERT ... ON CONFLICT DO NOTHING RETURNING issuer, jti`; the rows returned are
# the ids that were new, decided by the unique key even against a concurrent transaction.
_INSERT_TOGETHER = (
    postgresql_insert(SeenTokenRow)
    .on_conflict_do_nothing()
    .returning(col(SeenTokenRow.issuer), col(SeenTokenRow.jti))
)


async def _insert_together(database: Database, rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """PostgreSQL: the batch's ids in one multi-row insert, one round trip; the ids that were
    new come back."""
    async with database.transaction() as connection:
        await connection.execute(_ASYNC_COMMIT)
        result = await connection.execute(_INSERT_TOGETHER.values(rows))
        return {(issuer, jti) for issuer, jti in result.all()}


# SQLite: one id per statement, built once. On an inline connection each runs as compiled SQL
# (~15 us, `Unit.run`); the multi-row `INSERT ... RETURNING` through the async engine took
# ~350 us per batch, and a batch is a single id whenever the node is not busy.
_INSERT_ONE = (
    sqlite_insert(SeenTokenRow)
    .values(issuer=bindparam("issuer"), jti=bindparam("jti"), expires_at=bindparam("expires_at"))
    .on_conflict_do_nothing()
)


async def _insert_each(database: Database, rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """SQLite: the batch's ids in one transaction; an id that was new inserted one row."""
    recorded = set()
    async with database.unit() as unit:
        for row in rows:
            if await unit.run(_INSERT_ONE, row):
                recorded.add((row["issuer"], row["jti"]))
        await unit.commit()
    return recorded


async def save_credential(database: Database, row: CredentialRow) -> bool:
    """Store a credential; False when one with the same id is already held."""
    async with database.session() as session:
        if await session.get(CredentialRow, row.id) is not None:
            return False
        session.add(row)
        await session.commit()
    return True


async def list_credentials(database: Database) -> list[CredentialRow]:
    """Every held credential, oldest first."""
    async with database.session() as session:
        result = await session.exec(select(CredentialRow).order_by(col(CredentialRow.added_at)))
        return list(result.all())


async def valid_credentials(
    database: Database, holder: str, now: datetime, types: Iterable[str], ids: Iterable[str]
) -> list[CredentialRow]:
    """`holder`'s unexpired credentials whose type is in `types` or whose id is in `ids`."""
    wanted_types, wanted_ids = set(types), set(ids)
    async with database.session() as session:
        query = select(CredentialRow).where(
            col(CredentialRow.expires_at) > now, col(CredentialRow.subject) == holder
        )
        result = await session.exec(query.order_by(col(CredentialRow.added_at)))
        rows = list(result.all())
    return [r for r in rows if r.credential_type in wanted_types or r.id in wanted_ids]
