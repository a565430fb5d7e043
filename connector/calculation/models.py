"""Tables of the node's own installation data (issue 7, item 2). Owned by the upstream stream;
the raw activity data stored here never leaves the node (DESIGN.md "Rules that make it
sovereign"): only the computed footprints are published."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel


class InstallationFileRow(SQLModel, table=True):
    """One installation file in the calc input format, as imported (one per installation id).

    `links` maps each good id / BOM product id of the file to the node's product id."""

    __tablename__ = "installation_file"

    installation_id: str = Field(primary_key=True, max_length=256)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    links: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=80)
    imported_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ComputedFootprintRow(SQLModel, table=True):
    """The latest computed result of one product and the inputs it was computed from.

    `inputs_hash` covers the installation file and every supplier value used, so an unchanged
    recomputation publishes nothing; `breakdown` is the node-internal view (own contributions,
    precursors, default / stale lines) shown by `carbonspace resolve`, never published."""

    __tablename__ = "computed_footprint"

    product_id: str = Field(primary_key=True, max_length=256)
    installation_id: str = Field(max_length=256, index=True)
    version: int = 0
    inputs_hash: str = Field(max_length=80)
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    breakdown: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    published_submodel_id: str = Field(default="", max_length=512)
    computed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
