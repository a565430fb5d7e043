"""Small factories for AAS model tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from aas_models import (
    Address,
    CbamSplit,
    Footprint,
    FootprintStatus,
    ProductIdentity,
    StoredIdentifiable,
    build_shell,
    build_submodel,
    to_json_text,
)


def footprint(**changes: Any) -> Footprint:
    base = Footprint(
        footprint_id="4f1c9a3e-0000-4000-8000-000000000001",
        version=1,
        status=FootprintStatus.ACTIVE,
        pcf_kg_co2e=Decimal("1970.5"),
        declared_unit="t",
        declared_quantity=Decimal("1"),
        methods=("GHG Protocol", "ISO 14067"),
        life_cycle_phases=("A1-A3",),
        period_start=datetime(2025, 1, 1, tzinfo=UTC),
        period_end=datetime(2026, 1, 1, tzinfo=UTC),
        published_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        expires_at=datetime(2027, 3, 1, tzinfo=UTC),
        handover_address=Address(
            street="Hüttenstraße", house_number="1", zip_code="47166", city_town="Duisburg",
            country="DE",
        ),
        cbam=CbamSplit(
            see_direct_t_co2e_per_t=Decimal("1.85"),
            see_indirect_t_co2e_per_t=Decimal("0.1205"),
            precursor_direct_t_co2e_per_t=Decimal("0.31"),
            precursor_indirect_t_co2e_per_t=Decimal("0.02"),
            default_value_share=Decimal("0.125"),
        ),
        quantities=(("fossilCarbonContent", Decimal("2.1")),),
        attributes=(("geographyRegionOrSubregion", "Europe"),),
    )  # fmt: skip
    return replace(base, **changes)


def product(**changes: Any) -> ProductIdentity:
    base = ProductIdentity(
        product_id="HRC-2mm",
        name="Hot-rolled coil 2 mm",
        global_asset_id="urn:carbonspace:mill:product:HRC-2mm",
        cn_code="72083900",
        description="Hot-rolled flat steel coil, 2 mm",
        company_name="Example Mill GmbH",
        company_ids=("urn:carbonspace:company:mill",),
    )
    return replace(base, **changes)


def stored_pair(index: int = 1) -> tuple[StoredIdentifiable, StoredIdentifiable]:
    """A (shell, submodel) pair as the API serves them."""
    submodel_id = f"urn:carbonspace:test:sm:cf:{index}"
    shell_id = f"urn:carbonspace:test:aas:{index}"
    submodel = build_submodel(submodel_id, footprint(version=index))
    shell = build_shell(shell_id, product(product_id=f"P-{index}"), [submodel_id])
    return (
        StoredIdentifiable(shell_id, to_json_text(shell)),
        StoredIdentifiable(submodel_id, to_json_text(submodel)),
    )
