"""Work-queue operations inside a caller's transaction: enqueue a step, finish it, claim due
steps with a lease, put a failed step back with backoff (STYLE.md "State machines").

Bulk statements skip the ORM's session synchronisation (`synchronize_session=False`): compiling
its in-Python evaluator of the WHERE clause cost more than the statement, and callers never read
the affected rows back from the same session."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from connector.db import AnyTransaction, Unit
from connector.work.models import WorkItem


class LeaseLostError(RuntimeError):
    """The item was claimed by someone else (lease expired meanwhile); roll back."""


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def new_item(
    kind: str,
    subject_id: str,
    action: str,
    now: datetime,
    *,
    payload: dict[str, Any] | None = None,
    owner: str | None = None,
    lease_s: float = 0.0,
    due_at: datetime | None = None,
) -> WorkItem:
    """A work item due now (or at `due_at`), leased to `owner` when given (the hot path skips
    the claim query)."""
    return WorkItem(
        id=uuid.uuid4().hex,
        kind=kind,
        subject_id=subject_id,
        action=action,
        payload=payload or {},
        lease_owner=owner,
        lease_expires_at=now + timedelta(seconds=lease_s) if owner else None,
        next_attempt_at=due_at or now,
        created_at=now,
    )


_ITEMS = WorkItem.__table__  # type: ignore[attr-defined]

# Built once (hot path: every finished step); parameters are bound per call. A Core statement
# on the table: the ORM-enabled form went through the ORM's bulk-delete machinery for nothing.
_DELETE_LEASED = delete(_ITEMS).where(
    and_(
        _ITEMS.c.id == bindparam("item_id"),
        # null-safe: an item run without a lease (owner None) is finished too
        _ITEMS.c.lease_owner.is_not_distinct_from(bindparam("owner")),
    )
)


async def finish(transaction: AnyTransaction, item: WorkItem) -> None:
    """Delete a done item, only while we still hold its lease."""
    params = {"item_id": item.id, "owner": item.lease_owner}
    if isinstance(transaction, Unit):
        deleted = await transaction.run(_DELETE_LEASED, params)
    else:
        deleted = (await transaction.exec(_DELETE_LEASED, params=params)).rowcount
    if deleted != 1:
        raise LeaseLostError(f"work item {item.id} is no longer leased by {item.lease_owner}")


async def claim_due(
    session: AsyncSession,
    owner: str,
    now: datetime,
    lease_s: float,
    limit: int,
    *,
    skip_locked: bool,
) -> list[str]:
    """Lease up to `limit` due items whose lease is free or expired (conditional update;
    candidates picked `FOR UPDATE SKIP LOCKED` on PostgreSQL)."""
    expires = col(WorkItem.lease_expires_at)
    due = and_(col(WorkItem.next_attempt_at) <= now, or_(expires.is_(None), expires < now))
    candidates = select(WorkItem.id).where(due).order_by(col(WorkItem.next_attempt_at)).limit(limit)
    if skip_locked:
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(await session.exec(candidates))
    if not ids:
        return []
    result = await session.exec(
        update(WorkItem)
        .where(and_(col(WorkItem.id).in_(ids), due))
        .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_s))
        .returning(col(WorkItem.id))
    )
    return [str(claimed) for claimed in result.scalars()]


async def reschedule(
    session: AsyncSession, item: WorkItem, now: datetime, delay_s: float, error: str
) -> bool:
    """Release the lease and make the item due again after `delay_s`; count the attempt."""
    result = await session.exec(
        update(WorkItem)
        .where(and_(col(WorkItem.id) == item.id, col(WorkItem.lease_owner) == item.lease_owner))
        .values(
            lease_owner=None,
            lease_expires_at=None,
            attempts=WorkItem.attempts + 1,
            last_error=error[:2000],
            next_attempt_at=now + timedelta(seconds=delay_s),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def backoff_s(attempts: int, base_s: float, max_s: float) -> float:
    """Exponential backoff: base, 2*base, 4*base, ... capped at `max_s`."""
    return float(min(max_s, base_s * (2 ** min(attempts, 30))))


def prepared(url: str, audience: str, message: dict[str, Any]) -> dict[str, Any]:
    """A work-item payload carrying the outbound message, built in the transaction that
    decided it: the step sends it without re-reading the process (same bytes on a re-run)."""
    return {"send": {"url": url, "audience": audience, "message": message}}


def prepared_send(item: WorkItem) -> tuple[str, str, dict[str, Any]] | None:
    """(url, audience, message) of a prepared item, or None."""
    send = item.payload.get("send")
    if not isinstance(send, dict):
        return None
    return str(send["url"]), str(send["audience"]), dict(send["message"])
