"""Purchased and own precursors, supplier values, default values and the 20 % rule (Annex III B)."""

from __future__ import annotations

import decimal
from decimal import Decimal

from calc import SourceKind, SupplierKey, SupplierValue, compute, supplier_keys
from tests.calc.factories import DEFAULTS, installation, parsed, q, run

D = Decimal
KEY = SupplierKey("did:web:slab.example", "slab-1")


def _precursor(result):  # type: ignore[no-untyped-def]
    return result.processes[0].precursors[0]


def test_compute_when_inline_verified_value_uses_it_with_provenance() -> None:
    x = _precursor(run(installation()))
    assert (x.data_type, x.see_direct, x.contribution_direct_t_co2e) == (
        "actual",
        D("1.8"),
        D("1890.0"),
    )
    assert x.source.kind is SourceKind.SUPPLIER
    assert dict(x.source.detail)["source_id"] == "comm-42"


def test_compute_when_external_value_supplied_overrides_inline() -> None:
    external = SupplierValue(
        "submodel-7", "5", see_direct=D("1.5"), see_indirect=D("0.1"), verified=True
    )
    x = _precursor(run(installation(), supplier_values={KEY: external}))
    assert (x.see_direct, x.see_indirect) == (D("1.5"), D("0.1"))
    assert dict(x.source.detail)["version"] == "5"
    assert x.source.reference == "supplied at compute time"


def test_compute_when_no_supplier_value_uses_marked_up_default_and_flags_it() -> None:
    data = installation()
    del data["processes"][0]["precursors"][0]["see"]
    result = run(data)
    x = _precursor(result)
    # 7207 12 10, South Korea: 2.0... direct from 2025/2621 Annex I, x 1.1 (2026 mark-up)
    row = DEFAULTS.lookup(True, "KR", "72071210", None)
    assert row is not None
    assert x.data_type == "default"
    assert x.see_direct == row.see_direct * D("1.1")
    assert x.source.kind is SourceKind.DEFAULT_VALUE
    assert dict(x.source.detail)["markup_year"] == "2026"
    assert any("default value used" in n for n in result.notes)
    with decimal.localcontext(decimal.Context(prec=34)):  # the engine's precision
        default_direct = D(1050) * row.see_direct * D("1.1")
        expected = default_direct / (D("2692.8") + default_direct)  # own: 48 TJ x 56.1
    assert result.goods[0].default_share_of_direct == expected


def test_compute_when_unverified_value_in_definitive_period_falls_back_to_default() -> None:
    data = installation()
    data["processes"][0]["precursors"][0]["see"]["verified"] = False
    result = run(data)
    assert _precursor(result).data_type == "default"
    assert any("not verified" in n for n in result.notes)


def test_compute_when_transitional_and_defaults_above_20_percent_flags_rule() -> None:
    data = installation(
        regime="transitional", reporting_period={"start": "2025-01-01", "end": "2025-12-31"}
    )
    del data["processes"][0]["precursors"][0]["see"]
    data["processes"][0]["precursors"][0]["cn_code"] = "7208 10 00"
    good = run(data).goods[0]
    assert good.exceeds_20_percent_rule is True
    assert good.default_share_20_percent_rule > D("0.2")


def test_compute_when_precursor_from_eu_counts_zero() -> None:
    data = installation()
    data["processes"][0]["precursors"][0]["origin"] = "eu"
    x = _precursor(run(data))
    assert (x.data_type, x.contribution_direct_t_co2e) == ("zero_rated", 0)


def test_compute_when_unknown_country_uses_highest_default() -> None:
    data = installation()
    precursor = data["processes"][0]["precursors"][0]
    del precursor["see"], precursor["country"]
    x = _precursor(run(data))
    assert "highest value" in dict(x.source.detail)["note"]


def test_compute_when_no_value_and_no_default_returns_error_naming_precursor() -> None:
    data = installation()
    data["processes"][0]["precursors"][0].update(cn_code="2716 00 00", mass=q(1, "t"))
    del data["processes"][0]["precursors"][0]["see"]
    result = compute(parsed(data), DEFAULTS)
    assert isinstance(result, list)
    assert result[0].path == "processes[0].precursors[0]"


def test_compute_when_external_value_has_other_functional_unit_returns_error() -> None:
    external = SupplierValue("s", "1", see_direct=D(1), functional_unit="kg N", verified=True)
    result = compute(parsed(installation()), DEFAULTS, {KEY: external})
    assert isinstance(result, list)
    assert "per 'kg N'" in result[0].message


def test_compute_when_own_precursor_takes_see_of_its_process() -> None:
    data = installation()
    data["processes"] = [
        {
            "id": "steel",
            "goods": [{"id": "slab", "cn_code": "7207 12 10", "activity_level": q(2000, "t")}],
        },
        {
            "id": "rolling",
            "goods": [{"id": "coil", "cn_code": "7208 51 20", "activity_level": q(1000, "t")}],
            "precursors": [
                {"id": "slab-in", "kind": "own", "from_process": "steel", "mass": q(1050, "t")}
            ],
        },
    ]
    data["source_streams"][0]["process"] = "steel"
    data["electricity"]["consumption"][0]["process"] = "rolling"
    result = run(data)
    steel, rolling = result.processes
    assert steel.see_direct_per_fu == D("2692.8") / 2000
    x = rolling.precursors[0]
    assert x.data_type == "own_process"
    assert x.contribution_direct_t_co2e == D(1050) * steel.see_direct_per_fu
    assert result.goods[1].see_direct_t_co2e_per_t == x.contribution_direct_t_co2e / 1000


def test_compute_when_cement_in_definitive_reports_see_per_clinker_and_per_t() -> None:
    data = installation()
    data["processes"][0]["goods"] = [
        {
            "id": "cem",
            "cn_code": "2523 29 00",
            "activity_level": q(1000, "t"),
            "clinker_content": "0.8",
        }
    ]
    data["processes"][0]["precursors"] = []
    good = run(data).goods[0]
    assert good.functional_unit == "t clinker"
    assert good.fu_per_t == D("0.8")
    assert good.indirect_counted is True
    assert good.see_direct_t_co2e_per_t == D("2692.8") / 800 * D("0.8")


def test_compute_when_default_needed_but_mass_not_in_tonnes_returns_error() -> None:
    data = installation()
    data["processes"][0]["precursors"][0].update(cn_code="2814 10 00", mass=q(5000, "kg N"))
    del data["processes"][0]["precursors"][0]["see"]
    result = compute(parsed(data), DEFAULTS)
    assert isinstance(result, list)
    assert [e.path for e in result] == ["processes[0].precursors[0].mass"]


def test_supplier_keys_when_model_names_suppliers_lists_each_once() -> None:
    data = installation()
    data["processes"][0]["precursors"].append(
        {**data["processes"][0]["precursors"][0], "id": "slab-2"}
    )
    assert supplier_keys(parsed(data)) == (KEY,)


def test_good_when_electricity_consumed_reports_embedded_mwh_per_t() -> None:
    assert run(installation()).goods[0].electricity_mwh_per_t == D("0.5")
