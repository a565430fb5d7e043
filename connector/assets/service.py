"""Asset use cases (EDC Management API v3 `Asset`). `upsert_asset` takes the caller's session
(publication owns its transaction); the management use cases own theirs and return `Ok | Failure`.

Property keys are stored as full IRIs (EDC vocabulary included); data-address keys bare."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from catalog import EDC_NS, AssetEntry, canonical_name, expand_key
from connector.assets.models import AssetRow
from connector.context import NodeContext
from connector.outcome import Failure, Ok, conflict, not_found


@dataclass(frozen=True)
class AssetInput:
    """A validated asset from the management API (keys already expanded to IRIs)."""

    id: str
    properties: dict[str, Any]
    data_address: dict[str, Any]
    private_properties: dict[str, Any] = field(default_factory=dict)


def normalise_properties(properties: dict[str, Any]) -> dict[str, Any]:
    """Full-IRI keys for properties written with bare names or known prefixes."""
    out: dict[str, Any] = {}
    for key, value in properties.items():
        try:
            out[expand_key(key)] = value
        except KeyError:
            out[key] = value
    return out


def asset_entry(row: AssetRow) -> AssetEntry:
    """The catalog's view of an asset."""
    properties = normalise_properties(row.properties)
    properties[EDC_NS + "id"] = row.id
    return AssetEntry(row.id, properties)


def asset_record(row: AssetRow) -> dict[str, Any]:
    """The flat record management queries filter on (`id`, properties, `createdAt`)."""
    record = asset_entry(row).record()
    record["createdAt"] = int(row.created_at.timestamp() * 1000)
    record.update(
        {
            canonical_name(k): v
            for k, v in row.private_properties.items()
            if canonical_name(k) not in record
        }
    )
    return record


async def upsert_asset(
    session: AsyncSession,
    asset_id: str,
    *,
    properties: dict[str, Any],
    data_address: dict[str, Any],
    now: datetime,
    private_properties: dict[str, Any] | None = None,
) -> AssetRow:
    """Create the asset or replace its properties and data address (used by publication)."""
    row = await session.get(AssetRow, asset_id)
    if row is None:
        row = AssetRow(
            id=asset_id,
            properties=properties,
            private_properties=private_properties or {},
            data_address=data_address,
            created_at=now,
            updated_at=now,
        )
    else:
        row.properties = properties
        row.data_address = data_address
        if private_properties is not None:
            row.private_properties = private_properties
        row.updated_at = now
    session.add(row)
    return row


async def get_asset(session: AsyncSession, asset_id: str) -> AssetRow | None:
    return await session.get(AssetRow, asset_id)


async def create_asset(context: NodeContext, asset: AssetInput) -> Ok[AssetRow] | Failure:
    """A new asset; 409 if the id exists."""
    now = context.clock.now()
    async with context.database.session() as session:
        if await session.get(AssetRow, asset.id) is not None:
            return conflict(f"asset {asset.id!r} already exists")
        row = AssetRow(
            id=asset.id,
            properties=asset.properties,
            private_properties=asset.private_properties,
            data_address=asset.data_address,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:
            return conflict(f"asset {asset.id!r} already exists")
    return Ok(row)


async def update_asset(context: NodeContext, asset: AssetInput) -> Ok[AssetRow] | Failure:
    """Replace an existing asset; 404 if unknown."""
    async with context.database.session() as session:
        row = await session.get(AssetRow, asset.id)
        if row is None:
            return not_found(f"asset {asset.id!r} not found")
        row.properties = asset.properties
        row.private_properties = asset.private_properties
        row.data_address = asset.data_address
        row.updated_at = context.clock.now()
        session.add(row)
        await session.commit()
    return Ok(row)


async def find_asset(context: NodeContext, asset_id: str) -> Ok[AssetRow] | Failure:
    """One asset; 404 if unknown."""
    async with context.database.session() as session:
        row = await session.get(AssetRow, asset_id)
    return Ok(row) if row is not None else not_found(f"asset {asset_id!r} not found")


async def delete_asset(context: NodeContext, asset_id: str) -> Ok[None] | Failure:
    """Remove an asset; 404 if unknown."""
    async with context.database.session() as session:
        row = await session.get(AssetRow, asset_id)
        if row is None:
            return not_found(f"asset {asset_id!r} not found")
        await session.delete(row)
        await session.commit()
    return Ok(None)


async def all_assets(context: NodeContext) -> Sequence[AssetRow]:
    """Every asset, ordered by id."""
    async with context.database.session() as session:
        result = await session.exec(select(AssetRow).order_by(col(AssetRow.id)))
        return list(result.all())
