"""The work queue: claiming due items with a lease, lease expiry, backoff, finishing only
under one's own lease (STYLE.md "State machines, background work"). Time comes from a
FixedClock; nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connector.work import LeaseLostError, WorkItem, backoff_s, finish
from connector.work._queue import claim_due, new_item, reschedule

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def database(migrated_database):
    return migrated_database


async def _add(database, *items: WorkItem) -> None:
    async with database.session() as session:
        for item in items:
            session.add(item)
        await session.commit()


async def _claim(database, owner: str, now: datetime, limit: int = 10) -> list[str]:
    async with database.session() as session:
        ids = await claim_due(session, owner, now, 5.0, limit, skip_locked=database.is_postgresql)
        await session.commit()
    return sorted(ids)


async def test_due_items_are_claimed_once_when_two_owners_claim(database) -> None:
    first, second = new_item("k", "s1", "a", NOW), new_item("k", "s2", "a", NOW)
    await _add(database, first, second)
    assert await _claim(database, "owner-a", NOW) == sorted([first.id, second.id])
    assert await _claim(database, "owner-b", NOW) == []


async def test_item_is_claimed_again_when_lease_expired(database) -> None:
    item = new_item("k", "s1", "a", NOW, owner="crashed", lease_s=5)
    await _add(database, item)
    assert await _claim(database, "owner-b", NOW + timedelta(seconds=4)) == []
    assert await _claim(database, "owner-b", NOW + timedelta(seconds=6)) == [item.id]


async def test_item_waits_for_backoff_when_rescheduled(database) -> None:
    item = new_item("k", "s1", "a", NOW, owner="owner-a", lease_s=5)
    await _add(database, item)
    async with database.session() as session:
        assert await reschedule(session, item, NOW, 0.8, "peer unreachable")
        await session.commit()
    assert await _claim(database, "owner-a", NOW + timedelta(seconds=0.5)) == []
    assert await _claim(database, "owner-a", NOW + timedelta(seconds=0.9)) == [item.id]
    async with database.session() as session:
        stored = await session.get(WorkItem, item.id)
    assert stored.attempts == 1
    assert stored.last_error == "peer unreachable"


async def test_finish_is_refused_when_lease_lost(database) -> None:
    item = new_item("k", "s1", "a", NOW, owner="owner-a", lease_s=5)
    await _add(database, item)
    assert await _claim(database, "owner-b", NOW + timedelta(seconds=10)) == [item.id]
    async with database.session() as session:
        with pytest.raises(LeaseLostError):
            await finish(session, item)


def test_backoff_doubles_until_cap_when_attempts_grow() -> None:
    assert [backoff_s(n, 0.2, 1.0) for n in range(5)] == [0.2, 0.4, 0.8, 1.0, 1.0]
