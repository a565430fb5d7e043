"""Asset use cases. Each function takes the caller's session; the caller owns the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from connector.assets.models import AssetRow


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
