"""Persistence of identity state: held credentials and seen token ids (one transaction each)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from connector.db import Database
from connector.identity.models import CredentialRow, SeenTokenRow

PURGE_EVERY = timedelta(seconds=60)

# PostgreSQL: the insert is visible to every other transaction at commit as usual, but the
# commit does not wait for the WAL flush (~3 ms on the reference disk, on every inbound call).
# A crash may forget the ids recorded in its last fraction of a second; a token among them could
# be replayed until it expires (5 min at most). Protocol state is never committed this way.
_ASYNC_COMMIT = text("SET LOCAL synchronous_commit TO OFF")


# Built once: building an insert and its cache key on every call cost as much as running it.
_RECORD_TOKEN = insert(SeenTokenRow)


class ReplayGuard:
    """Durable `jti` register: `first_use` records a token id and says whether it is new.
    Rows expire with their token; expired rows are purged at most once a minute."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._last_purge: datetime | None = None

    async def first_use(self, issuer: str, jti: str, expires_at: datetime, now: datetime) -> bool:
        """True when (`issuer`, `jti`) was not seen before (and is now recorded)."""
        await self._purge_if_due(now)
        # A Core insert in its own short transaction: every inbound call pays for this, and
        # the ORM unit of work would add a third to its cost for nothing.
        row = {"issuer": issuer, "jti": jti, "expires_at": expires_at}
        try:
            async with self._database.transaction() as connection:
                if self._database.is_postgresql:
                    await connection.execute(_ASYNC_COMMIT)
                await connection.execute(_RECORD_TOKEN, row)
        except IntegrityError:
            return False
        return True

    async def _purge_if_due(self, now: datetime) -> None:
        if self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return
        self._last_purge = now
        async with self._database.transaction() as connection:
            await connection.execute(delete(SeenTokenRow).where(col(SeenTokenRow.expires_at) < now))


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
