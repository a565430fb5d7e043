"""PACT ProductFootprint mapping: v3.0.3 output validated against the official OpenAPI schema
and the PACT conformance-service schema; v3 and v2 examples read; unrepresentable values fail."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any

import jsonschema
import pytest
import yaml

from aas_models import MappingError, from_pact, to_pact
from tests.aas_models.conftest import SPECS, load_json
from tests.aas_models.factories import footprint, product


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    spec = yaml.safe_load((SPECS / "pact/openapi" / name).read_text(encoding="utf-8"))
    schema = {"$ref": "#/components/schemas/ProductFootprint", **spec}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(document: Any, name: str = "pact-openapi-3.0.3.yaml") -> list[str]:
    return [error.message for error in validator(name).iter_errors(document)]


def test_pact_output_validates_against_3_0_3_schema_when_built_from_store() -> None:
    document = to_pact(footprint(), product())
    assert errors(document) == []
    assert errors(document, "conformance-service-openapi_v3_0.yaml") == []


def test_pact_carries_decimals_as_strings_when_converting_tonnes() -> None:
    pcf = to_pact(footprint(), product())["pcf"]
    assert pcf["declaredUnitOfMeasurement"] == "kilogram"
    assert pcf["declaredUnitAmount"] == "1000"
    assert pcf["productMassPerDeclaredUnit"] == "1000"
    assert pcf["pcfExcludingBiogenicUptake"] == "1970.5"
    assert pcf["crossSectoralStandards"] == ["GHGP-Product", "ISO14067"]


@pytest.mark.parametrize("name", ["example-1.json", "example-2.json", "example-3.json"])
def test_v3_example_keeps_every_value_when_read_written_and_read(name: str) -> None:
    document = load_json(f"pact/examples/v3/{name}")
    first, identity = from_pact(document)
    written = to_pact(first, identity)
    assert errors(written) == []
    again, identity_again = from_pact(json.loads(json.dumps(written)))
    assert (again, identity_again) == (first, identity)
    assert (
        written["pcf"]["pcfExcludingBiogenicUptake"]
        == document["pcf"]["pcfExcludingBiogenicUptake"]
    )


def test_v3_example_1_values_when_read() -> None:
    read, identity = from_pact(load_json("pact/examples/v3/example-1.json"))
    assert read.pcf_kg_co2e == Decimal("0.384")
    assert (read.declared_unit, read.declared_quantity) == ("kg", Decimal("1"))
    assert read.methods == ("GHG Protocol", "PACT v3.0.0")
    assert read.quantity("pcfIncludingBiogenicUptake") == Decimal("-1.23")
    assert read.quantity("biogenicCO2Uptake") == Decimal("-1.61")
    assert identity.global_asset_id == "urn:gtin:5695872369587"


def test_v2_example_is_read_when_partner_sends_tech_specs_2() -> None:
    read, identity = from_pact(load_json("pact/examples/v2/get-footprint-response.json")["data"])
    assert read.pcf_kg_co2e == Decimal("1.63")
    assert read.quantity("pcfIncludingBiogenicUptake") == Decimal("1.85")
    assert read.quantity("dLucGhgEmissions") == Decimal("0.8")
    assert read.methods == ("GHG Protocol", "ISO 14067")
    assert (read.declared_unit, identity.name) == ("l", "Green Ethanol")


def test_read_fails_naming_method_when_standard_has_no_idta_value() -> None:
    with pytest.raises(MappingError, match="'PEF' has no IDTA 02023 PcfCalculationMethod"):
        from_pact(load_json("pact/examples/v3/example-4.json"))


def test_read_fails_naming_unit_when_megajoule_declared() -> None:
    document = load_json("pact/examples/v3/example-1.json")
    document["pcf"]["declaredUnitOfMeasurement"] = "megajoule"
    with pytest.raises(MappingError, match=r"pcf\.declaredUnitOfMeasurement: 'megajoule'"):
        from_pact(document)


def test_read_fails_when_decimal_has_exponent() -> None:
    document = load_json("pact/examples/v3/example-1.json")
    document["pcf"]["pcfExcludingBiogenicUptake"] = "1E+3"
    with pytest.raises(MappingError, match=r"pcf\.pcfExcludingBiogenicUptake: '1E\+3'"):
        from_pact(document)


def test_write_fails_when_piece_has_no_mass() -> None:
    with pytest.raises(MappingError, match="productMassPerDeclaredUnit"):
        to_pact(replace(footprint(), declared_unit="piece"), product())


def test_write_fails_when_product_id_is_not_a_urn() -> None:
    with pytest.raises(MappingError, match="productIds: 'HRC' is not a URN"):
        to_pact(footprint(), product(global_asset_id="HRC"))
