"""The pure footprint record every mapping goes through (store -> submodel -> PACT / Catena-X and
back). Units are in the names: `pcf_kg_co2e` is kg CO2e per declared quantity of the declared
unit (IDTA 02023 `PcfCO2eq`, PACT `pcfExcludingBiogenicUptake`); CBAM SEE values are t CO2e per
t of good (Implementing Regulation 2025/2547 Art. 4)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class FootprintStatus(StrEnum):
    """PACT / Catena-X status of a footprint version."""

    ACTIVE = "Active"
    DEPRECATED = "Deprecated"


class MappingError(ValueError):
    """A value cannot be represented in the target format; the message names the field."""


@dataclass(frozen=True)
class Address:
    """Goods hand-over address (IDTA 02023 `GoodsHandoverAddress`); country ISO 3166-1 alpha-2."""

    street: str | None = None
    house_number: str | None = None
    zip_code: str | None = None
    city_town: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class CbamSplit:
    """EU CBAM specific embedded emissions of one good, t CO2e per t, with the precursors'
    contribution (already included in direct/indirect) and the share of default values (0..1)."""

    see_direct_t_co2e_per_t: Decimal
    see_indirect_t_co2e_per_t: Decimal
    precursor_direct_t_co2e_per_t: Decimal = Decimal(0)
    precursor_indirect_t_co2e_per_t: Decimal = Decimal(0)
    default_value_share: Decimal = Decimal(0)

    @property
    def see_total_t_co2e_per_t(self) -> Decimal:
        return self.see_direct_t_co2e_per_t + self.see_indirect_t_co2e_per_t


@dataclass(frozen=True)
class ProductIdentity:
    """What a shell says about the product: ids, name, CN code and the data owner."""

    product_id: str
    name: str
    global_asset_id: str
    cn_code: str | None = None
    description: str = ""
    company_name: str = ""
    company_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Footprint:
    """One published footprint version of one product.

    `quantities` (decimals), `attributes` (strings) and `structured` (JSON text of lists, objects,
    booleans) hold further PACT fields by their PACT name (e.g. `fossilCarbonContent`,
    `geographyRegionOrSubregion`, `dqi`); they travel in `PcfInformation`.
    """

    footprint_id: str
    version: int
    status: FootprintStatus
    pcf_kg_co2e: Decimal
    declared_unit: str
    declared_quantity: Decimal
    methods: tuple[str, ...]
    life_cycle_phases: tuple[str, ...]
    period_start: datetime
    period_end: datetime
    published_at: datetime
    expires_at: datetime | None = None
    handover_address: Address | None = None
    cbam: CbamSplit | None = None
    quantities: tuple[tuple[str, Decimal], ...] = field(default=())
    attributes: tuple[tuple[str, str], ...] = field(default=())
    structured: tuple[tuple[str, str], ...] = field(default=())

    def quantity(self, name: str) -> Decimal | None:
        return dict(self.quantities).get(name)

    def attribute(self, name: str) -> str | None:
        return dict(self.attributes).get(name)


def sorted_extras(footprint: Footprint) -> Footprint:
    """The footprint with its extra PACT fields in name order (the canonical form)."""
    return replace(
        footprint,
        quantities=tuple(sorted(footprint.quantities)),
        attributes=tuple(sorted(footprint.attributes)),
        structured=tuple(sorted(footprint.structured)),
    )
