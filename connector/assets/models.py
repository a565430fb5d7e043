"""Asset table (EDC Management API v3 `Asset`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel


class AssetRow(SQLModel, table=True):
    """An asset: `properties` are public (catalog), `private_properties` never leave the node,
    `data_address` says how the data plane serves it (e.g. type `AasSubmodel` with the submodel
    id)."""

    __tablename__ = "asset"

    id: str = Field(primary_key=True, max_length=512)
    properties: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    private_properties: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    data_address: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
