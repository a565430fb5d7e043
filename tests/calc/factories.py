"""Small valid input files for the calc tests (plain dicts, as parsed from JSON)."""

from __future__ import annotations

import csv
import json
from copy import deepcopy
from decimal import Decimal
from pathlib import Path
from typing import Any

from calc import (
    CalcInput,
    CalcResult,
    DefaultValuesTable,
    build_default_values,
    parse_input,
    row_from_csv,
)
from calc import compute as _compute

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples" / "calc"
CSV = ROOT / "connector" / "calculation" / "data" / "cbam-default-values.csv"


def default_values() -> DefaultValuesTable:
    with CSV.open(encoding="utf-8") as f:
        rows = [row_from_csv(r) for r in csv.DictReader(x for x in f if not x.startswith("#"))]
    return build_default_values(rows, version="test-csv", source="shared/data")


DEFAULTS = default_values()


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def q(value: object, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit}


def installation(**overrides: Any) -> dict[str, Any]:
    """A definitive-period steel mill: one stream, grid electricity, one purchased precursor."""
    data: dict[str, Any] = {
        "regime": "definitive",
        "installation": {"id": "i1", "name": "Mill", "country": "KR", "unlocode": "KRPUS"},
        "reporting_period": {"start": "2026-01-01", "end": "2026-12-31"},
        "source_streams": [
            {
                "id": "ng",
                "method": "combustion",
                "fuel_quantity": q("1000", "t"),
                "ncv": q("48.0", "GJ/t"),
                "emission_factor": q("56.1", "t CO2/TJ"),
            }
        ],
        "electricity": {
            "consumption": [
                {
                    "id": "grid",
                    "quantity": q("500", "MWh"),
                    "source": "grid",
                    "emission_factor": q("0.475", "t CO2/MWh"),
                }
            ]
        },
        "processes": [
            {
                "id": "rolling",
                "goods": [
                    {"id": "coil", "cn_code": "7208 51 20", "activity_level": q("1000", "t")}
                ],
                "precursors": [
                    {
                        "id": "slab",
                        "kind": "purchased",
                        "cn_code": "7207 12 10",
                        "country": "KR",
                        "mass": q("1050", "t"),
                        "supplier": {
                            "participant_id": "did:web:slab.example",
                            "product_id": "slab-1",
                        },
                        "see": {
                            "direct": "1.8",
                            "indirect": "0.2",
                            "unit": "t CO2e/t",
                            "source_id": "comm-42",
                            "version": "3",
                            "verified": True,
                        },
                    }
                ],
            }
        ],
    }
    data.update(deepcopy(overrides))
    return data


def parsed(data: dict[str, Any]) -> CalcInput:
    model = parse_input(data)
    assert not isinstance(model, list), model
    return model


def run(data: dict[str, Any], **kwargs: Any) -> CalcResult:
    result = _compute(parsed(data), DEFAULTS, **kwargs)
    assert not isinstance(result, list), result
    return result
