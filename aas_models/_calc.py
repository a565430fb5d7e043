"""Adapter from a `calc.CalcResult` to a footprint record: the PCF of one BOM product per
declared unit, with the CBAM split (SEE direct / indirect, precursor contributions, share of
default values) of the CBAM good it is, if any (CALC.md sections 11-14)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from aas_models._footprint import CbamSplit, Footprint, FootprintStatus, MappingError
from calc import CalcResult, GoodResult

PCF_METHODS: tuple[str, ...] = ("ISO 14067",)


def cbam_split(good: GoodResult) -> CbamSplit:
    """The reported SEE of a good; indirect emissions only where CBAM counts them."""
    indirect = good.see_indirect_reported if good.indirect_counted else Decimal(0)
    return CbamSplit(
        see_direct_t_co2e_per_t=good.see_direct_reported,
        see_indirect_t_co2e_per_t=indirect,
        precursor_direct_t_co2e_per_t=good.precursors_direct_t_co2e_per_t,
        precursor_indirect_t_co2e_per_t=good.precursors_indirect_t_co2e_per_t,
        default_value_share=good.default_share_of_total,
    )


def footprint_from_calc(
    result: CalcResult,
    pcf_product_id: str,
    *,
    good_id: str | None = None,
    version: int = 0,
    published_at: datetime,
    expires_at: datetime | None = None,
    methods: tuple[str, ...] = PCF_METHODS,
) -> Footprint:
    """The footprint of BOM product `pcf_product_id` of `result` (version 0 = next on publish)."""
    pcf = next((p for p in result.products if p.id == pcf_product_id), None)
    if pcf is None:
        raise MappingError(f"products: the result has no PCF product {pcf_product_id!r}")
    good = None
    if good_id is not None:
        good = next((g for g in result.goods if g.id == good_id), None)
        if good is None:
            raise MappingError(f"goods: the result has no good {good_id!r}")
    return Footprint(
        footprint_id=f"urn:carbonspace:footprint:{pcf_product_id}:{version}",
        version=version,
        status=FootprintStatus.ACTIVE,
        pcf_kg_co2e=pcf.pcf_kg_co2e,
        declared_unit=pcf.declared_unit,
        declared_quantity=Decimal(1),
        methods=methods,
        life_cycle_phases=("A1-A3",),
        period_start=_day(result.period_start),
        period_end=_day(result.period_end),
        published_at=published_at,
        expires_at=expires_at,
        cbam=cbam_split(good) if good is not None else None,
        quantities=(("primaryDataShare", pcf.primary_data_share * 100),),
    )


def _day(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
