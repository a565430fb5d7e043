"""PCF aggregation over a bill of materials (CALC.md section 14)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from calc import SupplierKey, SupplierValue, compute
from tests.calc.factories import DEFAULTS, parsed, q, run

D = Decimal
KEY = SupplierKey("did:web:s", "part")


def bom(**line: Any) -> dict[str, Any]:
    component = {"id": "c", "quantity": q("2", "kg"), **line}
    return {
        "regime": "definitive",
        "installation": {"id": "i", "name": "i", "country": "KR"},
        "reporting_period": {"start": "2026-01-01", "end": "2026-12-31"},
        "products": [
            {
                "id": "p",
                "declared_unit": "piece",
                "gate_to_gate": q("1", "kg CO2e/piece"),
                "components": [component],
            }
        ],
    }


def test_pcf_when_supplier_value_passed_in_overrides_inline() -> None:
    data = bom(
        supplier={"participant_id": "did:web:s", "product_id": "part"},
        pcf={"value": "5", "unit": "kg CO2e/kg"},
    )
    value = SupplierValue(
        "fp-1", "2", pcf_kg_co2e=D("3"), declared_unit="t", primary_data_share=D("0.5")
    )
    product = run(data, supplier_values={KEY: value}).products[0]
    # 2 kg x 3 kg CO2e/t = 0.006 kg; own 1 kg is primary
    assert product.pcf_kg_co2e == D("1.006")
    assert product.primary_kg_co2e == D("1.003")
    assert dict(product.components()[0].source.detail)["version"] == "2"


def test_pcf_when_no_value_for_supplier_line_returns_error_naming_line() -> None:
    data = bom(supplier={"participant_id": "did:web:s", "product_id": "part"})
    result = compute(parsed(data), DEFAULTS)
    assert isinstance(result, list)
    assert result[0].path == "products[0].components[0]"


def test_pcf_when_supplied_value_unit_incompatible_returns_error() -> None:
    data = bom(supplier={"participant_id": "did:web:s", "product_id": "part"})
    value = SupplierValue("fp-1", "2", pcf_kg_co2e=D("3"), declared_unit="m2")
    result = compute(parsed(data), DEFAULTS, {KEY: value})
    assert isinstance(result, list)
    assert "per 'm2'" in result[0].message


def test_pcf_when_shared_subassembly_is_counted_per_use() -> None:
    data = bom(product="sub")
    data["products"][0]["components"].append(
        {"id": "c2", "quantity": q("3", "kg"), "product": "sub"}
    )
    data["products"].append(
        {"id": "sub", "declared_unit": "kg", "gate_to_gate": q("0.5", "kg CO2e/kg")}
    )
    products = {p.id: p for p in run(data).products}
    assert products["p"].pcf_kg_co2e == D("1") + D("5") * D("0.5")
    assert products["p"].primary_data_share == 1
