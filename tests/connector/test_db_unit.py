"""`Database.unit()` (connector/db/unit.py): the Core transaction the negotiation hot paths write
through. Rows it stores read back the same through the ORM, nothing is stored without
`commit()`, and a versioned save that lost to another transaction changes nothing. Run on
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select

from connector.assets.models import AssetRow
from connector.db import Database
from connector.negotiation import NegotiationRow
from connector.negotiation.models import AgreementRow
from connector.transfer.models import EdrRow, TransferRow
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


async def _change_state(database: Database, state: str) -> None:
    """Move the stored negotiation urn:uuid:n1 to `state` in a unit of its own."""
    async with database.unit() as unit:
        row = await unit.get(NegotiationRow, "urn:uuid:n1", for_update=True)
        assert row is not None
        row.state = state
        await unit.save(row)
        await unit.commit()


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
    await _change_state(database, "TERMINATED")
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


_DELETE_ITEM = delete(WorkItem.__table__).where(  # type: ignore[attr-defined]
    WorkItem.__table__.c.id == bindparam("item_id")  # type: ignore[attr-defined]
)


async def test_run_binds_a_prepared_statement_and_counts_its_rows(database: Database) -> None:
    item = new_item("negotiation", "urn:uuid:n1", "request", NOW)
    async with database.unit() as unit:
        unit.add(item)  # pending: `run` writes it first
        assert await unit.run(_DELETE_ITEM, {"item_id": item.id}) == 1
        assert await unit.run(_DELETE_ITEM, {"item_id": item.id}) == 0
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


# Every model the state machines write through a unit. On inline SQLite the unit's get, add and
# save bypass SQLAlchemy (`_InlineSql`): what they store and read must be exactly what the ORM
# stores and reads, for every column type, null included.
UNIT_MODELS = [NegotiationRow, AgreementRow, TransferRow, EdrRow, WorkItem, AssetRow]


def _awkward(model: type, key: str, nulls: bool) -> Any:
    """A row of `model` with non-ASCII and quote characters, nested JSON, a timezone-aware
    datetime with microseconds; strings end with `key` (unique columns stay unique)."""
    values: dict[str, Any] = {}
    for column in model.__table__.c:  # type: ignore[attr-defined]
        kind = type(column.type).__name__
        if column.primary_key:
            values[column.key] = key
        elif nulls and column.nullable:
            values[column.key] = None
        elif kind == "JSON":
            values[column.key] = {"a": [1, 2.5, None, "ü"], "b": {"c": True}, "q": "'\""}
        elif kind == "DateTime":
            values[column.key] = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
        elif kind == "Integer":
            values[column.key] = 1  # a versioned row starts at 1 through the ORM
        else:
            values[column.key] = f"ü'\"✓{key}"
    return model(**values)


def _fields(row: Any, key: str) -> dict[str, Any]:
    """Every column but the key, with `key` taken off the strings."""
    values = {c.key: getattr(row, c.key) for c in type(row).__table__.c if not c.primary_key}
    return {k: v.removesuffix(key) if isinstance(v, str) else v for k, v in values.items()}


@pytest.mark.parametrize("nulls", [False, True], ids=["values", "nulls"])
@pytest.mark.parametrize("model", UNIT_MODELS, ids=lambda model: model.__name__)
async def test_unit_stores_and_reads_every_column_as_the_orm_does(
    database: Database, model: type, nulls: bool
) -> None:
    keys = ("o1", "u2")
    async with database.session() as session:
        session.add(_awkward(model, keys[0], nulls))
        await session.commit()
    async with database.unit() as unit:
        unit.add(_awkward(model, keys[1], nulls))
        await unit.commit()
    async with database.session() as session:
        orm_read = [await session.get(model, key) for key in keys]
    async with database.unit() as unit:
        unit_read = [await unit.get(model, key) for key in keys]
    single_read = [await database.get(model, key) for key in keys]
    expected = _fields(orm_read[0], keys[0])
    reads = zip(orm_read + unit_read + single_read, keys * 3, strict=True)
    assert [_fields(row, key) for row, key in reads] == [expected] * 6


async def test_a_single_get_sees_committed_rows_only_and_holds_nothing_after(
    database: Database,
) -> None:
    assert await database.get(NegotiationRow, "urn:uuid:n1") is None
    async with database.unit() as unit:
        unit.add(_negotiation())
        await unit.flush()
        assert await database.get(NegotiationRow, "urn:uuid:n1") is None  # not yet committed
        await unit.commit()
    for _ in range(3):
        found = await database.get(NegotiationRow, "urn:uuid:n1")
        assert found is not None and found.state == "REQUESTED"
    await _change_state(database, "AGREED")
    found = await database.get(NegotiationRow, "urn:uuid:n1")
    assert found is not None and found.state == "AGREED"
    if database.engine.dialect.name == "sqlite":
        # No read snapshot is left open: a full checkpoint can copy the whole log back.
        async with database.engine.connect() as connection:
            checkpoint = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _, _ = checkpoint.one()
        assert busy == 0


async def test_duplicate_key_is_an_integrity_error_and_stores_nothing(
    database: Database,
) -> None:
    async with database.unit() as unit:
        unit.add(_negotiation())
        await unit.commit()
    with pytest.raises(IntegrityError):
        async with database.unit() as unit:
            unit.add(new_item("negotiation", "urn:uuid:n1", "request", NOW))
            unit.add(_negotiation())
            await unit.commit()
    async with database.session() as session:
        assert (await session.exec(select(WorkItem))).all() == []


async def test_unit_waits_for_a_write_lock_held_elsewhere_without_blocking_the_loop(
    database: Database,
) -> None:
    if not database.inline:
        pytest.skip("inline SQLite only")
    holder = sqlite3.connect(database.url.split("///", 1)[1], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write transaction
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    async def release() -> None:
        await asyncio.sleep(0.2)
        holder.execute("COMMIT")

    ticker = asyncio.create_task(tick())
    releaser = asyncio.create_task(release())
    async with database.unit() as unit:
        unit.add(_negotiation())
        await unit.commit()
    await releaser
    ticker.cancel()
    holder.close()
    assert ticks >= 10  # the loop kept running while the unit waited
    assert await _stored(database, "urn:uuid:n1") is not None
