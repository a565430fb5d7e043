"""Every validation rule of issue 3 item 3: one error per problem, naming the input path."""

from __future__ import annotations

from typing import Any

import pytest

from calc import CalcError, parse_input
from tests.calc.factories import installation, q


def errors_of(data: Any) -> list[tuple[str, str]]:
    result = parse_input(data)
    assert isinstance(result, list), "expected validation errors"
    assert all(isinstance(e, CalcError) for e in result)
    return [(e.path, e.message) for e in result]


def paths_of(data: Any) -> list[str]:
    return [p for p, _ in errors_of(data)]


def test_parse_when_input_is_valid_returns_model() -> None:
    assert not isinstance(parse_input(installation()), list)


def test_parse_when_input_is_not_an_object_reports_root() -> None:
    assert errors_of([1, 2]) == [("", "must be an object")]


def test_parse_when_unknown_key_reports_each_path() -> None:
    data = installation()
    data["colour"] = "green"
    data["source_streams"][0]["ncv_typo"] = q("1", "GJ/t")
    assert paths_of(data) == ["colour", "source_streams[0].ncv_typo"]


def test_parse_when_required_values_missing_reports_each() -> None:
    data = installation()
    del data["regime"]
    del data["source_streams"][0]["emission_factor"]
    assert paths_of(data) == ["regime", "source_streams[0].emission_factor"]


def test_parse_when_negative_quantity_reports_value_path() -> None:
    data = installation()
    data["source_streams"][0]["fuel_quantity"] = q("-5", "t")
    assert errors_of(data) == [("source_streams[0].fuel_quantity.value", "must not be negative")]


def test_parse_when_mass_balance_output_negative_accepts_it() -> None:
    data = installation()
    data["source_streams"].append(
        {
            "id": "slag",
            "method": "mass_balance",
            "activity_data": q("-10", "t"),
            "carbon_content": q("0.03", "%"),
        }
    )
    assert not isinstance(parse_input(data), list)


@pytest.mark.parametrize("fraction", ["1.2", "-0.1", {"value": 120, "unit": "%"}])
def test_parse_when_biomass_fraction_outside_0_1_reports_it(fraction: Any) -> None:
    data = installation()
    data["source_streams"][0]["biomass_fraction"] = fraction
    paths = paths_of(data)
    assert paths == ["source_streams[0].biomass_fraction"]


def test_parse_when_ncv_unit_does_not_match_fuel_unit_reports_unit_mismatch() -> None:
    data = installation()
    data["source_streams"][0]["fuel_quantity"] = q("1000", "Nm3")
    assert errors_of(data) == [
        ("source_streams[0].ncv.unit", "unit 'GJ/t' does not match fuel_quantity unit 'Nm3'")
    ]


def test_parse_when_unit_of_wrong_dimension_reports_allowed_units() -> None:
    data = installation()
    data["source_streams"][0]["ncv"] = q("48", "t")
    ((path, message),) = errors_of(data)
    assert path == "source_streams[0].ncv.unit"
    assert message.startswith("unit 't' not allowed here")


def test_parse_when_precursor_mass_unit_mismatches_functional_unit_reports_it() -> None:
    data = installation()
    data["processes"][0]["precursors"][0]["mass"] = q("10", "kg N")
    assert paths_of(data) == ["processes[0].precursors[0].mass.unit"]


def test_parse_when_precursor_cycle_reports_the_cycle() -> None:
    data = installation()
    data["processes"] = [
        {
            "id": "a",
            "goods": [{"id": "ga", "cn_code": "7207 12 10", "activity_level": q(1, "t")}],
            "precursors": [{"id": "x", "kind": "own", "from_process": "b", "mass": q(1, "t")}],
        },
        {
            "id": "b",
            "goods": [{"id": "gb", "cn_code": "7208 51 20", "activity_level": q(1, "t")}],
            "precursors": [{"id": "y", "kind": "own", "from_process": "a", "mass": q(1, "t")}],
        },
    ]
    data["source_streams"][0]["process"] = "a"
    data["electricity"]["consumption"][0]["process"] = "b"
    ((path, message),) = errors_of(data)
    assert path == "processes[1].precursors[0].from_process"
    assert message.startswith("precursor cycle: a -> b -> a")


def test_parse_when_attribution_shares_do_not_sum_to_100_reports_sum() -> None:
    data = installation()
    data["processes"].append({"id": "other", "non_cbam": True})
    data["source_streams"][0]["attribution"] = [
        {"process": "rolling", "share": 0.6},
        {"process": "other", "share": {"value": 35, "unit": "%"}},
    ]
    data["electricity"]["consumption"][0]["process"] = "rolling"
    assert errors_of(data) == [
        ("source_streams[0].attribution", "shares sum to 95.00 %, expected 100 %")
    ]


def test_parse_when_attribution_names_unknown_process_reports_it() -> None:
    data = installation()
    data["source_streams"][0]["process"] = "nowhere"
    assert errors_of(data) == [("source_streams[0].process", "unknown process 'nowhere'")]


def test_parse_when_several_processes_and_no_attribution_requires_process() -> None:
    data = installation()
    data["processes"].append({"id": "other", "non_cbam": True})
    assert paths_of(data) == ["source_streams[0].process", "electricity.consumption[0].process"]


def test_parse_when_cn_code_not_cbam_reports_it() -> None:
    data = installation()
    data["processes"][0]["goods"][0]["cn_code"] = "8708 99 97"
    assert paths_of(data) == ["processes[0].goods[0].cn_code"]


def test_parse_when_activity_level_zero_reports_it() -> None:
    data = installation()
    data["processes"][0]["goods"][0]["activity_level"] = q(0, "t")
    assert paths_of(data) == ["processes[0].goods"]


def test_parse_when_duplicate_ids_reports_second() -> None:
    data = installation()
    data["source_streams"].append(dict(data["source_streams"][0]))
    assert errors_of(data) == [("source_streams[1].id", "duplicate id 'ng'")]


def test_parse_when_unknown_method_reports_choices() -> None:
    data = installation()
    data["source_streams"][0]["method"] = "guess"
    ((path, message),) = errors_of(data)
    assert path == "source_streams[0].method"
    assert message.startswith("must be one of combustion")


def test_parse_when_several_problems_reports_one_error_each() -> None:
    data = installation()
    data["installation"]["country"] = "Korea"
    data["reporting_period"]["end"] = "2025-12-31"
    data["options"] = {"see_decimal_places": 9}
    data["processes"][0]["precursors"][0]["see"]["direct"] = "-1"
    assert paths_of(data) == [
        "installation.country",
        "reporting_period.end",
        "options.see_decimal_places",
        "processes[0].precursors[0].see.direct",
    ]


def test_parse_when_own_generation_names_unknown_plant_reports_it() -> None:
    data = installation()
    data["electricity"]["consumption"][0] = {
        "id": "own",
        "quantity": q(1, "MWh"),
        "source": "own_generation",
        "production": "nope",
    }
    assert paths_of(data) == ["electricity.consumption[0].production"]


def test_parse_when_grid_electricity_has_no_factor_reports_it() -> None:
    data = installation()
    del data["electricity"]["consumption"][0]["emission_factor"]
    assert paths_of(data) == ["electricity.consumption[0].emission_factor"]


def test_parse_when_cement_good_lacks_clinker_content_in_definitive_reports_it() -> None:
    data = installation()
    data["processes"][0]["goods"][0]["cn_code"] = "2523 29 00"
    data["processes"][0]["precursors"] = []
    assert paths_of(data) == ["processes[0].goods[0].clinker_content"]


def test_parse_when_bom_cycle_reports_line() -> None:
    data = installation()
    data["products"] = [
        {
            "id": "a",
            "declared_unit": "kg",
            "components": [{"id": "l", "quantity": q(1, "kg"), "product": "b"}],
        },
        {
            "id": "b",
            "declared_unit": "kg",
            "components": [{"id": "l", "quantity": q(1, "kg"), "product": "a"}],
        },
    ]
    assert paths_of(data) == ["products[1].components[0].product"]


def test_parse_when_bom_quantity_unit_mismatches_component_unit_reports_it() -> None:
    data = installation()
    data["products"] = [
        {
            "id": "a",
            "declared_unit": "piece",
            "components": [{"id": "l", "quantity": q(1, "m2"), "product": "b"}],
        },
        {"id": "b", "declared_unit": "kg", "gate_to_gate": q(1, "kg CO2e/kg")},
    ]
    assert errors_of(data) == [
        (
            "products[0].components[0].quantity.unit",
            "unit 'm2' does not match the declared unit 'kg' of product 'b'",
        )
    ]
