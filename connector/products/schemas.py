"""Wire shapes of the product store: the import file (JSON; CSV rows map onto the same records)
and the management API views. Decimals are strings or JSON numbers; both are parsed exactly."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)

from aas_models import parse_decimal

_CN = re.compile(r"^\d{4}(\d{2}){0,3}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,255}$")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("must be a decimal number")
    text = repr(value) if isinstance(value, float) else str(value)
    try:
        return parse_decimal(text, "value")
    except ValueError:
        raise ValueError(f"{value!r} is not a decimal number (no exponent)") from None


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a timezone, e.g. 2026-01-01T00:00:00Z")
    return value


def _identifier(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("must be 1-256 characters: letters, digits and . _ : / @ + -")
    return value


ExactDecimal = Annotated[Decimal, BeforeValidator(_decimal)]
AwareDatetime = Annotated[datetime, AfterValidator(_utc)]
Identifier = Annotated[str, AfterValidator(_identifier)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ProductIn(_Strict):
    id: Identifier
    name: str = Field(min_length=1, max_length=512)
    cn_code: str | None = Field(default=None, alias="cnCode")
    unit: str = Field(description="IDTA 02023 reference unit: g, kg, t, ml, l, cbm, qm, piece, kWh")
    global_asset_id: str | None = Field(default=None, alias="globalAssetId", max_length=512)
    description: str = ""

    @field_validator("cn_code")
    @classmethod
    def _cn(cls, value: str | None) -> str | None:
        if value is not None and not _CN.match(value):
            raise ValueError("must be a CN code of 4, 6, 8 or 10 digits, e.g. 72083900")
        return value


class BomLineIn(_Strict):
    product: Identifier
    component: Identifier
    quantity: ExactDecimal
    unit: str = Field(min_length=1, max_length=16)
    supplier: str | None = Field(default=None, max_length=512)
    supplier_product_id: str | None = Field(default=None, alias="supplierProductId")

    @field_validator("quantity")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("must be greater than 0")
        return value


class CbamIn(_Strict):
    see_direct: ExactDecimal = Field(alias="seeDirectTCo2ePerT")
    see_indirect: ExactDecimal = Field(alias="seeIndirectTCo2ePerT")
    precursor_direct: ExactDecimal = Field(default=Decimal(0), alias="precursorDirectTCo2ePerT")
    precursor_indirect: ExactDecimal = Field(default=Decimal(0), alias="precursorIndirectTCo2ePerT")
    default_value_share: ExactDecimal = Field(default=Decimal(0), alias="defaultValueShare")

    @field_validator("default_value_share")
    @classmethod
    def _fraction(cls, value: Decimal) -> Decimal:
        if not Decimal(0) <= value <= Decimal(1):
            raise ValueError("must be a fraction between 0 and 1")
        return value


class AddressIn(_Strict):
    street: str | None = None
    house_number: str | None = Field(default=None, alias="houseNumber")
    zip_code: str | None = Field(default=None, alias="zipCode")
    city_town: str | None = Field(default=None, alias="cityTown")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")


class FootprintIn(_Strict):
    product: Identifier
    pcf_kg_co2e: ExactDecimal = Field(alias="pcfKgCo2e")
    declared_quantity: ExactDecimal = Field(default=Decimal(1), alias="declaredQuantity")
    methods: tuple[str, ...] = Field(min_length=1)
    life_cycle_phases: tuple[str, ...] = Field(default=("A1-A3",), alias="lifeCyclePhases")
    period_start: AwareDatetime = Field(alias="periodStart")
    period_end: AwareDatetime = Field(alias="periodEnd")
    expires_at: AwareDatetime | None = Field(default=None, alias="expiresAt")
    status: str = Field(default="Active", pattern="^(Active|Deprecated)$")
    cbam: CbamIn | None = None
    handover_address: AddressIn | None = Field(default=None, alias="handoverAddress")
    quantities: dict[str, ExactDecimal] = Field(default_factory=dict)
    attributes: dict[str, str] = Field(default_factory=dict)
    provenance: dict[str, Any] = Field(default_factory=dict)
    publish: bool = True


class CompanyIn(_Strict):
    name: str = Field(min_length=1)
    ids: tuple[str, ...] = Field(default=(), description="URNs identifying the company (PACT)")


class ImportDocument(_Strict):
    """`docs/examples/products.json`: products, BOM lines and footprints of one plant."""

    company: CompanyIn | None = None
    products: tuple[ProductIn, ...] = ()
    bom: tuple[BomLineIn, ...] = ()
    footprints: tuple[FootprintIn, ...] = ()


class ImportSummary(BaseModel):
    products: int
    bom_lines: int = Field(serialization_alias="bomLines")
    footprints: int
    published: list[str]


class ProductView(BaseModel):
    """A product as the management API lists it."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    name: str
    cn_code: str | None = Field(serialization_alias="cnCode")
    unit: str
    global_asset_id: str = Field(serialization_alias="globalAssetId")
    shell_id: str | None = Field(serialization_alias="shellId")
    submodel_id: str | None = Field(serialization_alias="submodelId")
    asset_id: str | None = Field(serialization_alias="assetId")
    latest_version: int | None = Field(serialization_alias="latestVersion")
    bom: list[dict[str, Any]]
