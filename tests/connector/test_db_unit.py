"""`Database.unit()` (connector/db/unit.py): the Core transaction the negotiation hot paths write
through. Rows it stores read back the same through the ORM, nothing is stored without
`commit()`, and a versioned save that lost to another transaction changes nothing. Run on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select

from connector.db import Database
from connector.negotiation import NegotiationRow
from connector.work import WorkItem
from connector.work._queue import new_item

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def database(migrated_database: Database) -> Database:
    return migrated_database


def _negotiation(pid: str = "urn:uuid:n1") -> NegotiationRow:
    return NegotiationRow(
        id=pid,
        role="CONSUMER",
        state="REQUESTED",
        counterparty_id="did:web:provider",
        counterparty_address="https://provider.example/api/dsp",
        consumer_pid=pid,
        offer_id="offer-1",
        asset_id="asset-1",
        offer={"@id": "offer-1", "permission": [{"action": "use"}]},
        created_at=NOW,
        updated_at=NOW,
    )


async def _stored(database: Database, pid: str) -> NegotiationRow | None:
    async with database.session() as session:
        return await session.get(NegotiationRow, pid)


async def test_rows_added_are_stored_at_commit_and_read_back_through_the_orm(
    database: Database,
) -> None:
    item = new_item("negotiation", "urn:uuid:n1", "request", NOW, payload={"send": {}})
    async with database.unit() as unit:
        unit.add(_negotiation())
        unit.add(item)
        await unit.commit()
    stored = await _stored(database, "urn:uuid:n1")
    assert stored is not None
    assert (stored.state, stored.version, stored.offer) == (
        "REQUESTED",
        1,
        {"@id": "offer-1", "permission": [{"action": "use"}]},
    )
    async with database.session() as session:
        assert (await session.get(WorkItem, item.id)) is not None


async def test_a_unit_left_without_commit_stores_nothing(database: Database) -> None:
    async with database.unit() as unit:
        unit.add(_negotiation())
        await unit.flush()  # even rows already sent to the database
    assert await _stored(database, "urn:uuid:n1") is None


async def test_an_error_in_the_block_rolls_back(database: Database) -> None:
    async with database.unit() as unit:
        unit.add(_negotiation())
        await unit.commit()
    with pytest.raises(RuntimeError):
        async with database.unit() as unit:
            row = await unit.get(NegotiationRow, "urn:uuid:n1", for_update=True)
            assert row is not None
            row.state = "TERMINATED"
            await unit.save(row)
            raise RuntimeError("the handler failed")
    stored = await _stored(database, "urn:uuid:n1")
    assert stored is not None and stored.state == "REQUESTED"


async def test_save_stores_every_change_and_bumps_the_version(database: Database) -> None:
    async with database.unit() as unit:
        unit.add(_negotiation())
        await unit.commit()
    async with database.unit() as unit:
        row = await unit.get(NegotiationRow, "urn:uuid:n1", for_update=True)
        assert row is not None and row.version == 1
        row.state, row.provider_pid, row.error_detail = "AGREED", "urn:uuid:p1", None
        await unit.save(row)
        assert row.version == 2
        await unit.commit()
    stored = await _stored(database, "urn:uuid:n1")
    assert stored is not None
    assert (stored.state, stored.provider_pid, stored.version) == ("AGREED", "urn:uuid:p1", 2)


async def test_a_save_that_lost_to_another_transaction_is_stale_and_changes_nothing(
    database: Database,
) -> None:
    async with database.unit() as unit:
        unit.add(_negotiation())
        await unit.commit()
    async with database.unit() as unit:
        late = await unit.get(NegotiationRow, "urn:uuid:n1")
    async with database.unit() as unit:
        first = await unit.get(NegotiationRow, "urn:uuid:n1", for_update=True)
        assert first is not None
        first.state = "TERMINATED"
        await unit.save(first)
        await unit.commit()
    assert late is not None
    late.state = "AGREED"
    with pytest.raises(StaleDataError):
        async with database.unit() as unit:
            await unit.save(late)
            await unit.commit()
    stored = await _stored(database, "urn:uuid:n1")
    assert stored is not None and (stored.state, stored.version) == ("TERMINATED", 2)


async def test_get_of_an_unknown_key_is_none(database: Database) -> None:
    async with database.unit() as unit:
        assert await unit.get(NegotiationRow, "urn:uuid:missing") is None


async def test_a_statement_sees_the_rows_added_before_it(database: Database) -> None:
    item = new_item("negotiation", "urn:uuid:n1", "request", NOW)
    items = WorkItem.__table__  # type: ignore[attr-defined]
    async with database.unit() as unit:
        unit.add(item)
        result = await unit.execute(delete(items).where(items.c.id == item.id))
        assert result.rowcount == 1
        await unit.commit()
    async with database.session() as session:
        assert await session.get(WorkItem, item.id) is None


async def test_all_builds_instances_from_a_select_of_the_model(database: Database) -> None:
    async with database.unit() as unit:
        for pid in ("urn:uuid:a", "urn:uuid:b", "urn:uuid:c"):
            unit.add(_negotiation(pid))
        await unit.commit()
    query = select(NegotiationRow).where(col(NegotiationRow.id) != "urn:uuid:b")
    async with database.unit() as unit:
        rows = await unit.all(NegotiationRow, query.order_by(col(NegotiationRow.id)))
    assert [(row.id, row.state, row.offer["@id"]) for row in rows] == [
        ("urn:uuid:a", "REQUESTED", "offer-1"),
        ("urn:uuid:c", "REQUESTED", "offer-1"),
    ]


async def test_get_finds_a_row_added_earlier_in_the_same_unit(database: Database) -> None:
    async with database.unit() as unit:
        unit.add(_negotiation())
        found = await unit.get(NegotiationRow, "urn:uuid:n1", for_update=True)
        assert found is not None and found.state == "REQUESTED"
