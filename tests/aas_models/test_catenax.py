"""Catena-X PCF aspect mapping: 9.0.0 output validated against its schema; 7.0.0, 8.0.0, 9.0.0
examples read; JSON numbers exact; unrepresentable values fail."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest

from aas_models import MappingError, from_catenax, to_catenax
from tests.aas_models.conftest import load_json
from tests.aas_models.factories import footprint, product


def errors(document: Any) -> list[str]:
    schema = load_json("catenax-pcf/9.0.0/Pcf-schema.json")
    return [error.message for error in jsonschema.Draft4Validator(schema).iter_errors(document)]


def test_catenax_9_output_validates_when_built_from_store() -> None:
    document = to_catenax(footprint(quantities=()), product())
    assert errors(document) == []
    info = document["companyAndProductInformation"][0]["productInformation"][0]
    assert info["declaredUnitOfMeasurement"] == "kilogram"
    assert info["declaredUnitAmount"] == 1000
    stage = document["productLifeCycleStagesAndEmissions"][0]["productionStage"][0]
    assert stage["pcfExcludingBiogenicUptake"] == 1970.5


@pytest.mark.parametrize("version", ["8.0.0", "9.0.0"])
def test_example_keeps_every_value_when_read_written_as_9_and_read(version: str) -> None:
    first, identity = from_catenax(load_json(f"catenax-pcf/{version}/Pcf.json"))
    written = to_catenax(first, identity)
    assert errors(written) == []
    assert from_catenax(json.loads(json.dumps(written))) == (first, identity)
    assert first.pcf_kg_co2e == Decimal("2.9")
    assert first.methods == ("ISO 14067",)


def test_7_0_0_example_is_read_when_partner_sends_legacy_aspect() -> None:
    read, identity = from_catenax(load_json("catenax-pcf/7.0.0/Pcf.json"))
    assert read.pcf_kg_co2e == Decimal("2")
    assert read.quantity("pcfIncludingBiogenicUptake") == Decimal("1")
    assert (read.declared_unit, read.declared_quantity) == ("l", Decimal("1000.0"))
    assert identity.name == "My Product Name"


def test_write_fails_naming_fields_when_catenax_has_no_place_for_them() -> None:
    read, identity = from_catenax(load_json("catenax-pcf/7.0.0/Pcf.json"))
    with pytest.raises(MappingError, match=r"no Catena-X PCF 9\.0\.0 field for: .*dlucGhg"):
        to_catenax(read, identity)


def test_write_fails_when_decimal_is_not_exact_as_json_number() -> None:
    precise = footprint(quantities=(), pcf_kg_co2e=Decimal("1970.50000000000000001"))
    with pytest.raises(MappingError, match="cannot be represented exactly as a JSON number"):
        to_catenax(precise, product())


def test_write_fails_when_region_missing() -> None:
    with pytest.raises(MappingError, match="geographyRegionOrSubregion"):
        to_catenax(footprint(quantities=(), attributes=()), product())


def test_read_fails_when_payload_is_not_pcf() -> None:
    with pytest.raises(MappingError, match="pcf: not a Catena-X PCF"):
        from_catenax({"specVersion": "x"})
