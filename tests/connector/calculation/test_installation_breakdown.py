"""Breakdown by precursor and by supply-chain tier of a recomputed product (issue 7, item 5)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from calc import SupplierKey, SupplierValue, compute, parse_input
from connector.calculation._breakdown import pcf_lines, product_figures, see_lines
from connector.calculation.defaults import shipped_default_values

DEMO = Path(__file__).resolve().parents[3] / "docs" / "examples" / "demo"
MILL = "did:web:127.0.0.1%3A18102"
FASTENER = "did:web:127.0.0.1%3A18103"
D = Decimal


def _model(name: str):
    parsed = parse_input(json.loads((DEMO / name).read_text(encoding="utf-8")))
    assert not isinstance(parsed, list)
    return parsed


def test_pcf_lines_when_suppliers_publish_tier_profiles_shift_them_one_tier_down() -> None:
    values = {
        SupplierKey(MILL, "coil"): SupplierValue(
            f"{MILL}#coil", "2", pcf_kg_co2e=D("2020"), declared_unit="t"
        ),
        SupplierKey(FASTENER, "bolts"): SupplierValue(
            f"{FASTENER}#bolts", "2", pcf_kg_co2e=D("2.5316")
        ),
    }
    result = compute(_model("4-automotive-oem.json"), shipped_default_values(), values)
    assert not isinstance(result, list)
    figures = product_figures(result, ("wheel-hub-module",))
    assert figures.pcf is not None
    profiles = {
        (MILL, "coil"): (D("1900"), D("120")),
        (FASTENER, "bolts"): (D("0.35"), D("2.0520"), D("0.1296")),
    }
    lines, tiers = pcf_lines(figures.pcf, profiles)
    assert [(x["line"], x["source"], x["version"], x["contributionKgCo2e"]) for x in lines] == [
        ("bolts", "supplier", "2", "1.01264"),
        ("coil", "supplier", "2", "12.524"),
    ]
    assert tiers == (D("12.5"), D("0.14") + D("11.78"), D("0.8208") + D("0.744"), D("0.05184"))
    assert sum(tiers) == figures.pcf.pcf_kg_co2e == D("26.03664")


def test_pcf_lines_when_no_supplier_value_puts_secondary_data_at_tier_one() -> None:
    result = compute(_model("4-automotive-oem.json"), shipped_default_values(), {})
    assert not isinstance(result, list)
    figures = product_figures(result, ("wheel-hub-module",))
    assert figures.pcf is not None
    lines, tiers = pcf_lines(figures.pcf, {})
    assert [x["source"] for x in lines] == ["secondary_data", "secondary_data"]
    assert tiers == (D("12.5"), D("0.4") * D("3.0") + D("6.2") * D("2.3"))


def test_see_lines_when_precursor_from_supplier_attributes_it_per_tonne_of_good() -> None:
    values = {
        SupplierKey(MILL, "coil"): SupplierValue(
            f"{MILL}#coil",
            "2",
            see_direct=D("2.08835"),
            see_indirect=D("0.034455"),
            pcf_kg_co2e=D("2020"),
            declared_unit="t",
        )
    }
    model = _model("3-fastener-maker.json")
    result = compute(model, shipped_default_values(), values)
    assert not isinstance(result, list)
    figures = product_figures(result, ("bolts",))
    assert figures.good is not None
    lines, tiers = see_lines(result, figures.good, {(MILL, "coil"): (D("2"), D("0.08835"))})
    assert [(x["line"], x["source"], x["contributionTCo2ePerT"]) for x in lines] == [
        ("coil", "supplier", "2.255418")
    ]
    assert tiers[0] == D("5610") / D("50000")
    assert sum(tiers) == figures.good.see_direct_t_co2e_per_t
