"""Loading, querying and committing negotiation rows; shared by the service, the DSP handlers and
the processors. Every transition is a conditional update (`version`), rows are read
`FOR UPDATE` on PostgreSQL, and waiters are signalled right after the commit."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from sqlalchemy import bindparam, update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from connector.db import AnyTransaction, Unit
from connector.outcome import Failure, Ok, bad_request
from connector.work import WorkItem, dispatch, finish, signals

# The payload of a step that sends a message belongs to the work loop (it reads the peer off it);
# re-exported here for the state machines.
from connector.work import prepared as prepared
from connector.work import prepared_send as prepared_send

if TYPE_CHECKING:
    from connector.context import NodeContext

M = TypeVar("M", bound=SQLModel)
P = ParamSpec("P")
R = TypeVar("R")

STALE_RETRIES = 5


def retry_stale(function: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Re-run a self-contained transaction when a concurrent one changed the same row first
    (optimistic locking: `version` did not match). The loser re-reads and re-decides."""

    @functools.wraps(function)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for _ in range(STALE_RETRIES - 1):
            try:
                return await function(*args, **kwargs)
            except StaleDataError:
                continue
        return await function(*args, **kwargs)

    return run


def new_pid() -> str:
    """A process or agreement id: `urn:uuid:<uuid4>` (DSP 2025-1 identifiers)."""
    return f"urn:uuid:{uuid.uuid4()}"


@functools.cache
def _by_id(model: type[SQLModel], for_update: bool) -> Any:
    """`model` by `row_id`, built once per model: building a statement and its cache key on
    every call cost about as much as running it."""
    statement = select(model).where(model.id == bindparam("row_id"))  # type: ignore[attr-defined]
    return statement.with_for_update() if for_update else statement


@functools.cache
def _by_consumer_pid(model: type[SQLModel]) -> Any:
    columns: Any = model
    return select(model).where(
        columns.role == bindparam("role"),
        columns.counterparty_id == bindparam("participant"),
        columns.consumer_pid == bindparam("consumer_pid"),
    )


async def load_for_update(
    context: NodeContext, session: AsyncSession, model: type[M], row_id: str
) -> M | None:
    """The row to change in an ORM session, locked on PostgreSQL (a `Unit` has `get(...,
    for_update=True)`)."""
    statement = _by_id(model, context.database.is_postgresql)
    row: M | None = (await session.exec(statement, params={"row_id": row_id})).one_or_none()
    return row


async def row_for_peer(
    context: NodeContext, model: type[M], participant: Any, pid: str
) -> M | None:
    """The process `pid` when `participant` is its counterparty; None otherwise, so that a
    process is invisible (404) to everyone else."""
    row = await context.database.get(model, pid)
    if row is None or getattr(row, "counterparty_id", None) != participant.did:
        return None
    return row


async def by_consumer_pid(
    context: NodeContext, model: type[M], role: str, participant: Any, consumer_pid: str
) -> M | None:
    """The process `participant` started (or answered) under `consumer_pid`, in `role`: what
    makes a repeated initial message idempotent."""
    parameters = {"role": role, "participant": participant.did, "consumer_pid": consumer_pid}
    async with context.database.unit() as unit:
        rows = await unit.all(model, _by_consumer_pid(model), parameters)
    return rows[0] if rows else None


@functools.cache
def _set_provider_pid(model: type[SQLModel]) -> Any:
    table: Any = model.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.provider_pid.is_(None))
        .values(provider_pid=bindparam("pid"))
    )


async def finish_with_provider_pid(
    context: NodeContext, model: type[SQLModel], item: WorkItem, provider_pid: str
) -> None:
    """Consumer, after the provider's ACK: store its pid on our `model` row and delete the
    work item, in one commit. A plain conditional UPDATE (no version bump): the provider's
    next message, which may arrive first and set the same pid, is not made stale by it."""
    async with context.database.unit() as unit:
        params = {"row_id": item.subject_id, "pid": provider_pid}
        await unit.run(_set_provider_pid(model), params)
        await finish(unit, item)
        await unit.commit()


async def commit_and_dispatch(
    context: NodeContext,
    transaction: AnyTransaction,
    items: Sequence[WorkItem] = (),
    changed: Sequence[str] = (),
) -> None:
    """Commit, then hand the new work to the loop and wake whoever waits on `changed` rows
    (with the row's new state as the hint, when the row was written in this transaction)."""
    if isinstance(transaction, Unit):
        written: Iterable[Any] = transaction.written
    else:
        written = transaction.identity_map.values()
    states: dict[str, str] = {}
    for row in written:
        row_id = getattr(row, "id", None)
        if isinstance(row_id, str) and row_id in changed and hasattr(row, "state"):
            states[row_id] = str(row.state)
    await transaction.commit()
    dispatch(context, items)
    for key in changed:
        signals(context).notify(key, states.get(key))


async def query_rows(
    context: NodeContext,
    model: type[M],
    filters: Mapping[str, Any] | None,
    offset: int,
    limit: int,
    sort: tuple[str, str] | None,
) -> Ok[list[M]] | Failure:
    """Equality filters on column names, EDC-style paging and sorting (`(field, ASC|DESC)`)."""
    columns = model.__table__.columns  # type: ignore[attr-defined]
    filters = filters or {}
    for field in filters:
        if field not in columns:
            return bad_request(f"filter: unknown field {field!r}")
    if sort is not None:
        if sort[0] not in columns:
            return bad_request(f"sortField: unknown field {sort[0]!r}")
        sort = (sort[0], "DESC" if sort[1].upper() == "DESC" else "ASC")
    if offset < 0 or limit < 1:
        return bad_request("offset must be >= 0 and limit >= 1")
    statement = _query(model, tuple(filters), sort)
    params = {f"filter_{field}": value for field, value in filters.items()}
    params.update(query_offset=offset, query_limit=limit)
    async with context.database.unit() as unit:
        rows = await unit.all(model, statement, params)
    return Ok(rows)


@functools.cache
def _query(model: type[SQLModel], fields: tuple[str, ...], sort: tuple[str, str] | None) -> Any:
    """The SELECT of a query's shape, built once (management clients poll with the same one);
    filter values and paging are bound per call."""
    columns = model.__table__.columns  # type: ignore[attr-defined]
    statement = select(model.__table__)  # type: ignore[attr-defined]
    for field in fields:
        statement = statement.where(columns[field] == bindparam(f"filter_{field}"))
    if sort is not None:
        column = columns[sort[0]]
        statement = statement.order_by(column.desc() if sort[1] == "DESC" else column.asc())
    return statement.offset(bindparam("query_offset")).limit(bindparam("query_limit"))
