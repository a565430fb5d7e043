"""A transaction with explicit row operations in SQLAlchemy Core, for the hot paths (one DSP
message, one work step) where the ORM session's unit of work cost more than the statements:
a one-row insert transaction took ~1.2 ms of CPU through the session and ~0.5 ms through Core
on the same inline SQLite connection (docs/performance.md "Negotiation").

Rows are still the SQLModel table classes, so the state machines read and change them as
before; only persistence is explicit:

    async with database.unit() as unit:
        row = await unit.get(NegotiationRow, pid, for_update=True)
        row.state = "AGREED"
        await unit.save(row)            # versioned UPDATE now (StaleDataError if it lost)
        unit.add(WorkItem(...))         # INSERT at commit, in order
        await unit.commit()             # pending inserts, then COMMIT

A block left without `commit()` (an early return, an exception) is rolled back, as with a
session. Rows loaded here are not in any session: never `session.add` them (that would
INSERT them again).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy import inspect as inspect_model
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from connector.db._inline_sqlite import SQLITE_BUSY, InlineConnection, retry_busy

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult, Dialect
    from sqlalchemy.ext.asyncio import AsyncConnection
    from sqlalchemy.sql import ClauseElement, Executable
    from sqlalchemy.sql.compiler import SQLCompiler
    from sqlalchemy.sql.dml import UpdateBase

M = TypeVar("M")


class _Mapping:
    """What Core needs to read and write one table class, built once per class."""

    def __init__(self, model: type[Any]) -> None:
        mapper = inspect_model(model)
        self.table: Table = mapper.local_table
        # (column name, attribute name): they differ where a model renames a column
        self.fields = [(prop.columns[0].key, prop.key) for prop in mapper.column_attrs]
        self.attribute_of = dict(self.fields)
        (primary,) = mapper.primary_key
        self.primary_key = primary.key
        self.version = mapper.version_id_col.key if mapper.version_id_col is not None else None
        self.manager = mapper.class_manager
        self.insert = insert(self.table)
        key = self.table.c[self.primary_key]
        self.select = select(self.table).where(key == bindparam("_key"))
        self.select_for_update = self.select.with_for_update()
        changed: dict[str, Any] = {
            column: bindparam(column)
            for column, _ in self.fields
            if column not in (self.primary_key, self.version)
        }
        statement = update(self.table).where(key == bindparam("_key"))
        if self.version is not None:
            version = self.table.c[self.version]
            statement = statement.where(version == bindparam("_expected"))
            changed[self.version] = bindparam(self.version)
        self.update = statement.values(changed)
        self.insert_all = insert(self.table).values(
            {column: bindparam(column) for column, _ in self.fields}
        )
        self.inline_sql: _InlineSql | None = None  # compiled on first inline use

    def values(self, row: Any) -> dict[str, Any]:
        return {column: getattr(row, attribute) for column, attribute in self.fields}

    def instance(self, values: Any) -> Any:
        """A model instance from a result row keyed by column."""
        return self.new_row({self.attribute_of[key]: value for key, value in values.items()})

    def new_row(self, attributes: dict[str, Any]) -> Any:
        """A model instance with these attribute values, the way the ORM's loader builds one
        (no validation: the values come from our own table)."""
        row = self.manager.new_instance()
        row.__dict__.update(attributes)
        return row


_MAPPINGS: dict[type[Any], _Mapping] = {}


def _mapping(model: type[Any]) -> _Mapping:
    mapping = _MAPPINGS.get(model)
    if mapping is None:
        mapping = _MAPPINGS[model] = _Mapping(model)
    return mapping


class Unit:
    """One transaction on a Core connection (see the module docstring)."""

    def __init__(
        self,
        connection: AsyncConnection,
        *,
        lock_rows: bool,
        inline: sqlite3.Connection | None = None,
    ) -> None:
        self.connection = connection
        self._lock_rows = lock_rows  # SELECT ... FOR UPDATE (PostgreSQL)
        self._inline = inline  # inline SQLite: get/save/insert bypass SQLAlchemy (see _InlineSql)
        self._pending: list[Any] = []
        self.written: list[Any] = []  # rows added or saved, for after-commit hints
        self.committed = False

    def add(self, row: Any) -> None:
        """INSERT `row` at commit (in the order added)."""
        self._pending.append(row)
        self.written.append(row)

    async def get(self, model: type[M], key: Any, *, for_update: bool = False) -> M | None:
        """The row with primary key `key`, locked on PostgreSQL when `for_update`."""
        await self.flush()  # rows added earlier in this unit are found too
        mapping = _mapping(model)
        if self._inline is not None:
            row: M | None = self._inline_sql(mapping).get(self._inline, mapping, key)
            return row
        statement = mapping.select_for_update if for_update and self._lock_rows else mapping.select
        found = (await self.connection.execute(statement, {"_key": key})).mappings().first()
        return None if found is None else mapping.instance(found)

    async def all(self, model: type[M], statement: Executable, params: Any = None) -> list[M]:
        """Instances of `model` from `statement`, a SELECT of its table's columns (such as
        `select(model).where(...)`)."""
        await self.flush()
        mapping = _mapping(model)
        result = await self.connection.execute(statement, params)
        return [mapping.instance(found) for found in result.mappings()]

    async def save(self, row: Any) -> None:
        """UPDATE every column of `row` now; a versioned model's update is conditional on the
        version it was read with, and bumps it (StaleDataError when another transaction
        changed the row first: `retry_stale` re-runs the caller)."""
        await self.flush()  # a row added earlier in this unit must exist first
        mapping = _mapping(type(row))
        values = mapping.values(row)
        values["_key"] = values[mapping.primary_key]
        if mapping.version is not None:
            values["_expected"] = values[mapping.version]
            values[mapping.version] = values["_expected"] + 1
        if self._inline is not None:
            changed = await self._inline_sql(mapping).update(self._inline, values)
        else:
            changed = (await self.connection.execute(mapping.update, values)).rowcount
        if changed != 1:
            raise StaleDataError(
                f"{mapping.table.name} {values['_key']}: changed by another transaction"
            )
        if mapping.version is not None:
            setattr(row, mapping.attribute_of[mapping.version], values[mapping.version])
        self.written.append(row)

    async def execute(self, statement: Executable, params: Any = None) -> CursorResult[Any]:
        """A Core statement in this transaction (after the pending inserts)."""
        await self.flush()
        return await self.connection.execute(statement, params)

    async def run(self, statement: UpdateBase, params: dict[str, Any]) -> int:
        """A hot-path UPDATE or DELETE built once (a module-level statement with bind
        parameters), bound to `params`; the number of rows it changed. On inline SQLite it
        runs as compiled SQL like `get`/`save`; never pass a statement built per call (each
        distinct statement is compiled and kept once)."""
        await self.flush()
        inline = self._inline
        if inline is None:
            result = await self.connection.execute(statement, params)
            return int(result.rowcount)
        compiled = _PREPARED.get(statement)
        if compiled is None:
            compiled = _PREPARED[statement] = _Statement(statement, self.connection.dialect)
        cursor = await retry_busy(lambda: compiled.run(inline, params))
        return int(cursor.rowcount)

    async def flush(self) -> None:
        """Run the pending inserts now (consecutive rows of one table in one executemany)."""
        pending, self._pending = self._pending, []
        batch: list[dict[str, Any]] = []
        mapping: _Mapping | None = None
        for row in pending:
            current = _mapping(type(row))
            if mapping is not None and current is not mapping:
                await self._insert(mapping, batch)
                batch = []
            mapping = current
            batch.append(current.values(row))
        if mapping is not None:
            await self._insert(mapping, batch)

    async def _insert(self, mapping: _Mapping, rows: list[dict[str, Any]]) -> None:
        if self._inline is not None:
            await self._inline_sql(mapping).insert(self._inline, rows)
            return
        # one row as a plain execute: executemany costs more for a single parameter set
        await self.connection.execute(mapping.insert, rows[0] if len(rows) == 1 else rows)

    def _inline_sql(self, mapping: _Mapping) -> _InlineSql:
        return _inline_sql(mapping, self.connection.dialect)

    async def commit(self) -> None:
        await self.flush()
        await self.connection.commit()
        self.committed = True


@asynccontextmanager
async def open_unit(
    connection: AsyncConnection, *, lock_rows: bool, inline: bool = False
) -> AsyncIterator[Unit]:
    """A `Unit` on `connection` (already begun); rolled back unless committed. `inline`: the
    connection is an inline SQLite one, whose sqlite3 connection the row operations use."""
    raw = None
    if inline:
        driver = (await connection.get_raw_connection()).driver_connection
        raw = driver.sqlite if isinstance(driver, InlineConnection) else None
    unit = Unit(connection, lock_rows=lock_rows, inline=raw)
    try:
        yield unit
    finally:
        if not unit.committed:
            await connection.rollback()


async def read_inline(connection: AsyncConnection, model: type[M], key: Any) -> M | None:
    """Inline SQLite: the row of `model` with primary key `key`, read on `connection` outside
    any transaction (the SELECT sees the newest committed state, and holds no lock after)."""
    driver = (await connection.get_raw_connection()).driver_connection
    if not isinstance(driver, InlineConnection):
        raise TypeError("read_inline needs an inline SQLite connection")
    mapping = _mapping(model)
    row: M | None = _inline_sql(mapping, connection.dialect).get(driver.sqlite, mapping, key)
    return row


def _inline_sql(mapping: _Mapping, dialect: Dialect) -> _InlineSql:
    if mapping.inline_sql is None:
        mapping.inline_sql = _InlineSql(mapping, dialect)
    return mapping.inline_sql


# Statements `Unit.run` has compiled (a statement hashes and compares by identity).
_PREPARED: dict[UpdateBase, _Statement] = {}


class _InlineSql:
    """A mapping's get/insert/update as SQL for the sqlite3 connection under an inline SQLite
    unit, with the dialect's own value conversions.

    Through SQLAlchemy's async engine each of these statements cost ~100 us of CPU on the
    reference machine (a greenlet per statement, a switch per driver call, the compiled
    cache, the result set machinery) against ~6 us for SQLite itself, and a negotiation makes
    six to eight of them on each node. The statements are the mapping's own, compiled once by
    the dialect; values pass through the same bind and result processors SQLAlchemy applies,
    so rows read and written here are the same as through the engine. The sqlite3 connection
    is the one SQLAlchemy's transaction runs on, so both see one transaction. Driver errors
    are raised as SQLAlchemy's (`IntegrityError` for a duplicate key, as callers expect), and
    a locked database is waited for without blocking the loop, as on the engine's path."""

    def __init__(self, mapping: _Mapping, dialect: Dialect) -> None:
        self.select = _Statement(mapping.select, dialect)
        self.insert_all = _Statement(mapping.insert_all, dialect)
        self.update_row = _Statement(mapping.update, dialect)
        self.readers = [
            (
                mapping.attribute_of[column.key],
                column.type.dialect_impl(dialect).result_processor(dialect, None),
            )
            for column in mapping.select.selected_columns
        ]

    def get(self, connection: sqlite3.Connection, mapping: _Mapping, key: Any) -> Any:
        found = self.select.run(connection, {"_key": key}).fetchone()
        if found is None:
            return None
        return mapping.new_row(
            {
                attribute: (value if reader is None else reader(value))
                for (attribute, reader), value in zip(self.readers, found, strict=True)
            }
        )

    async def insert(self, connection: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
        await retry_busy(lambda: self.insert_all.run_many(connection, rows))

    async def update(self, connection: sqlite3.Connection, values: dict[str, Any]) -> int:
        cursor = await retry_busy(lambda: self.update_row.run(connection, values))
        return cursor.rowcount


class _Statement:
    """One compiled statement: its SQL and, per positional parameter, name and converter."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = cast("SQLCompiler", statement.compile(dialect=dialect))
        self.sql = str(compiled)
        self.parameters = [
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in compiled.positiontup or ()
        ]

    def _bound(self, values: dict[str, Any]) -> tuple[Any, ...]:
        # every value goes through its converter, None included, as SQLAlchemy does
        return tuple(
            values[name] if convert is None else convert(values[name])
            for name, convert in self.parameters
        )

    def run(self, connection: sqlite3.Connection, values: dict[str, Any]) -> sqlite3.Cursor:
        try:
            return connection.execute(self.sql, self._bound(values))
        except sqlite3.Error as error:
            raise _as_sqlalchemy(self.sql, values, error) from error

    def run_many(self, connection: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
        try:
            connection.executemany(self.sql, [self._bound(values) for values in rows])
        except sqlite3.Error as error:
            raise _as_sqlalchemy(self.sql, rows, error) from error


def _as_sqlalchemy(sql: str, params: Any, error: sqlite3.Error) -> Exception:
    """The SQLAlchemy exception the engine raises for `error`; a locked database stays the
    driver's error, which `retry_busy` waits out."""
    if isinstance(error, sqlite3.OperationalError) and error.sqlite_errorcode == SQLITE_BUSY:
        return error
    return DBAPIError.instance(sql, params, error, sqlite3.Error)
