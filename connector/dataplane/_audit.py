"""The data-plane audit log: append one row per call (who, what, when, which agreement,
allowed or refused); the owner lists and exports it (DESIGN.md "Rules that make it sovereign")."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from connector.dataplane.models import AuditRow
from connector.outcome import Failure, Ok, bad_request

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from connector.context import NodeContext
    from connector.db import Database

EXPORT_FIELDS = (
    "id",
    "at",
    "participant_id",
    "agreement_id",
    "transfer_id",
    "asset_id",
    "method",
    "path",
    "kind",
    "identifier",
    "outcome",
    "status",
    "reason",
)


def audit_row(context: NodeContext, **fields: Any) -> AuditRow:
    return AuditRow(at=context.clock.now(), **fields)


async def append(session: AsyncSession, row: AuditRow) -> None:
    """Add the row to the caller's transaction (append-only: rows are never updated)."""
    session.add(row)


async def list_audit(
    context: NodeContext,
    filters: Mapping[str, Any] | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Ok[list[AuditRow]] | Failure:
    """Newest first; equality filters on `participant_id`, `agreement_id`, `asset_id`,
    `transfer_id`, `outcome`."""
    allowed = {"participant_id", "agreement_id", "asset_id", "transfer_id", "outcome"}
    statement = select(AuditRow)
    for field, value in (filters or {}).items():
        if field not in allowed:
            return bad_request(f"filter: unknown field {field!r}")
        statement = statement.where(getattr(AuditRow, field) == value)
    if offset < 0 or limit < 1:
        return bad_request("offset must be >= 0 and limit >= 1")
    statement = statement.order_by(AuditRow.id.desc()).offset(offset).limit(limit)  # type: ignore[union-attr]
    async with context.database.session() as session:
        rows = list(await session.exec(statement))
    return Ok(rows)


def _record(row: AuditRow) -> dict[str, Any]:
    record = {field: getattr(row, field) for field in EXPORT_FIELDS}
    record["at"] = row.at.isoformat()
    return record


async def export_audit(context: NodeContext, fmt: str = "jsonl") -> Ok[str] | Failure:
    """The whole log, oldest first, as JSON lines or CSV."""
    return await export_from(context.database, fmt)


async def export_from(database: Database, fmt: str = "jsonl") -> Ok[str] | Failure:
    """`export_audit` on a database handle (the CLI reads a stopped node's database)."""
    if fmt not in ("jsonl", "csv"):
        return bad_request(f"format: {fmt!r} is not jsonl or csv")
    async with database.session() as session:
        rows = list(await session.exec(select(AuditRow).order_by(col(AuditRow.id))))
    records = [_record(row) for row in rows]
    if fmt == "jsonl":
        return Ok("".join(json.dumps(record) + "\n" for record in records))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows(records)
    return Ok(buffer.getvalue())
