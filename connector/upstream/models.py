"""Tables of the upstream resolver (issue 7): the values received from suppliers. Notifications
owed to consumers travel as work items of the node's work loop (`connector.work`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReceivedFootprintRow(SQLModel, table=True):
    """The current value of one supplier product, as fetched under an agreement.

    `submodel` is the supplier's published CarbonFootprint submodel exactly as received (its
    signature and provenance inside); `value` the figures calc consumes (decimal strings).
    `stale` is set when the supplier announced a newer version than `version` or when the last
    refresh failed; `stale_reason` says why."""

    __tablename__ = "upstream_received_footprint"
    __table_args__ = (UniqueConstraint("supplier_did", "supplier_product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    supplier_did: str = Field(max_length=512, index=True)
    supplier_product_id: str = Field(max_length=512)
    asset_id: str = Field(max_length=512, index=True)
    version: str = Field(max_length=128)
    submodel_hash: str = Field(max_length=128)
    signature: str
    agreement_id: str = Field(max_length=512)
    submodel: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    value: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    lineage: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    announced_version: str = Field(default="", max_length=128)
    stale: bool = False
    stale_reason: str = ""
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
