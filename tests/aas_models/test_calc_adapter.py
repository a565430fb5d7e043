"""The calc-result adapter: a PCF product of a `calc.CalcResult` becomes a footprint whose
submodel conforms to IDTA 02023; a CBAM good gives the split."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from aas_models import (
    CbamSplit,
    MappingError,
    build_submodel,
    cbam_split,
    footprint_from_calc,
    parse_submodel,
    template_conformance,
)
from tests.calc.factories import example, run

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_bom_product_becomes_footprint_when_result_has_pcf(template) -> None:
    result = run(example("bom-pcf.json"))
    footprint = footprint_from_calc(result, "stamped-bracket", version=3, published_at=NOW)
    assert footprint.pcf_kg_co2e == Decimal("2.975")
    assert (footprint.declared_unit, footprint.declared_quantity) == ("piece", Decimal(1))
    assert footprint.period_start == datetime(2026, 1, 1, tzinfo=UTC)
    assert footprint.quantity("primaryDataShare") == Decimal("100.00")
    submodel = build_submodel("urn:x:sm:calc", footprint)
    assert template_conformance(submodel, template) == []
    assert parse_submodel(submodel) == footprint


def test_good_gives_cbam_split_when_indirect_counted() -> None:
    good = next(g for g in run(example("steel-bubble.json")).goods if g.id == "sheets")
    assert cbam_split(good) == CbamSplit(
        see_direct_t_co2e_per_t=Decimal("1.489"),
        see_indirect_t_co2e_per_t=Decimal("0.204"),
        precursor_direct_t_co2e_per_t=good.precursors_direct_t_co2e_per_t,
        precursor_indirect_t_co2e_per_t=good.precursors_indirect_t_co2e_per_t,
        default_value_share=good.default_share_of_total,
    )


def test_adapter_fails_naming_id_when_product_not_in_result() -> None:
    result = run(example("bom-pcf.json"))
    with pytest.raises(MappingError, match="no PCF product 'nope'"):
        footprint_from_calc(result, "nope", published_at=NOW)
    with pytest.raises(MappingError, match="no good 'sheets'"):
        footprint_from_calc(result, "stamped-bracket", good_id="sheets", published_at=NOW)
