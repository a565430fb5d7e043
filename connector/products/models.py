"""Tables of the local product store (issue 5, item 1): products, bill-of-materials lines,
footprint versions, and the published AAS shells and CarbonFootprint submodel versions.
Decimals are stored as their exact decimal text (same on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ProductRow(SQLModel, table=True):
    """A product of this node: id (= manufacturer part id), CN code, declared unit."""

    __tablename__ = "product"

    id: str = Field(primary_key=True, max_length=256)
    name: str = Field(max_length=512)
    cn_code: str | None = Field(default=None, max_length=16)
    unit: str = Field(max_length=16)
    global_asset_id: str = Field(max_length=512)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class BomLineRow(SQLModel, table=True):
    """One bill-of-materials line: `quantity` of `component_product_id` (in `unit`) per declared
    unit of `product_id`; supplier lines name the supplier participant and its product id."""

    __tablename__ = "bom_line"
    __table_args__ = (UniqueConstraint("product_id", "line_no", name="uq_bom_line_product_line"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: str = Field(foreign_key="product.id", max_length=256, index=True)
    line_no: int
    component_product_id: str = Field(max_length=256)
    quantity: str = Field(max_length=64)
    unit: str = Field(max_length=16)
    supplier_participant: str | None = Field(default=None, max_length=512)
    supplier_product_id: str | None = Field(default=None, max_length=256)


class FootprintRow(SQLModel, table=True):
    """One footprint version of a product: the value set (decimal texts), period, method,
    status, version and provenance; `record` is the full `aas_models.Footprint` as JSON."""

    __tablename__ = "footprint"
    __table_args__ = (UniqueConstraint("product_id", "version", name="uq_footprint_version"),)

    id: str = Field(primary_key=True, max_length=256)
    product_id: str = Field(foreign_key="product.id", max_length=256, index=True)
    version: int
    status: str = Field(max_length=16)
    pcf_kg_co2e: str = Field(max_length=64)
    methods: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    period_start: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    period_end: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    record: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    provenance: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    submodel_id: str = Field(max_length=512)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PublishedSubmodelRow(SQLModel, table=True):
    """The current published version of a submodel (AAS JSON text served by the AAS API)."""

    __tablename__ = "published_submodel"

    id: str = Field(primary_key=True, max_length=512)
    product_id: str = Field(foreign_key="product.id", max_length=256, index=True)
    semantic_id: str = Field(max_length=512)
    version: int
    footprint_id: str = Field(max_length=256)
    asset_id: str = Field(max_length=512)
    json_text: str = Field(sa_column=Column(Text, nullable=False))
    published_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PublishedShellRow(SQLModel, table=True):
    """The product's Asset Administration Shell (AAS JSON text)."""

    __tablename__ = "published_shell"

    id: str = Field(primary_key=True, max_length=512)
    product_id: str = Field(foreign_key="product.id", max_length=256, unique=True)
    json_text: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
