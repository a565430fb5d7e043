"""IDTA 02023 CarbonFootprint submodel: template conformance, xs:decimal forms, round trips,
official file checks (aas-test-engines) and basyx's strict deserialiser."""

from __future__ import annotations

import io
import json
from datetime import datetime
from decimal import Decimal

import pytest
from aas_test_engines import file as aas_file
from basyx.aas import model
from basyx.aas.adapter.json import StrictAASFromJsonDecoder, read_aas_json_file

from aas_models import (
    CbamSplit,
    MappingError,
    build_shell,
    build_submodel,
    environment,
    from_pact,
    parse_submodel,
    template_conformance,
    to_json_dict,
    to_json_text,
    to_pact,
    value_only_text,
)
from tests.aas_models.factories import footprint, product


def roundtrip(submodel: model.Submodel) -> model.Submodel:
    parsed = json.loads(to_json_text(submodel), cls=StrictAASFromJsonDecoder)
    assert isinstance(parsed, model.Submodel)
    return parsed


def test_submodel_conforms_to_idta_02023_template_when_cbam_split_present(template) -> None:
    assert template_conformance(build_submodel("urn:x:sm:1", footprint()), template) == []


def test_submodel_conforms_to_template_when_no_cbam_and_no_optional_elements(template) -> None:
    plain = footprint(cbam=None, expires_at=None, handover_address=None, quantities=())
    assert template_conformance(build_submodel("urn:x:sm:2", plain), template) == []


def test_conformance_reports_deviation_when_element_renamed(template) -> None:
    submodel = build_submodel("urn:x:sm:3", footprint())
    pcf = next(iter(submodel.get_referable("ProductCarbonFootprints").value))
    pcf.get_referable("PcfCO2eq").id_short = "PcfCo2Eq"
    problems = template_conformance(submodel, template)
    assert "ProductCarbonFootprints[0].PcfCO2eq: required element missing" in problems
    assert "ProductCarbonFootprints[0].PcfCo2Eq: not in the template" in problems


def test_decimal_is_written_without_exponent_when_value_is_1e3() -> None:
    submodel = build_submodel("urn:x:sm:4", footprint(pcf_kg_co2e=Decimal("1E+3")))
    data = to_json_dict(submodel)
    pcf = data["submodelElements"][0]["value"][0]["value"]
    co2 = next(e for e in pcf if e["idShort"] == "PcfCO2eq")
    assert co2 == {
        "idShort": "PcfCO2eq",
        "modelType": "Property",
        "semanticId": {
            "type": "ExternalReference",
            "keys": [{"type": "GlobalReference", "value": "0173-1#02-ABG855#003"}],
        },
        "valueType": "xs:decimal",
        "value": "1000",
    }


def test_value_only_keeps_exact_decimal_text_when_serialised() -> None:
    submodel = build_submodel("urn:x:sm:5", footprint(pcf_kg_co2e=Decimal("0.1")))
    text = value_only_text(submodel)
    assert '"PcfCO2eq":0.1,' in text
    assert json.loads(text, parse_float=Decimal)["ProductCarbonFootprints"][0]["PcfCO2eq"] == (
        Decimal("0.1")
    )


def test_build_refuses_naive_datetime_when_publication_date_has_no_zone() -> None:
    with pytest.raises(MappingError, match="has no timezone"):
        build_submodel("urn:x:sm:6", footprint(published_at=datetime(2026, 3, 1)))


def test_build_refuses_method_when_not_in_idta_value_list() -> None:
    with pytest.raises(MappingError, match=r"methods: \['EU CBAM'\] not in the IDTA 02023"):
        build_submodel("urn:x:sm:7", footprint(methods=("EU CBAM",)))


def test_build_refuses_unit_when_not_in_value_list() -> None:
    with pytest.raises(MappingError, match="declared_unit: 'tonne' not in the value list"):
        build_submodel("urn:x:sm:8", footprint(declared_unit="tonne"))


def test_cbam_value_is_a_sector_specific_item_when_split_given() -> None:
    data = json.loads(value_only_text(build_submodel("urn:x:sm:9", footprint())))
    item = data["ProductOrSectorSpecificCarbonFootprints"][0]
    assert item["ProductOrSectorSpecificRule"] == {
        "PcfRuleOperator": "European Commission",
        "PcfRuleName": "EU CBAM",
        "PcfRuleVersion": (
            "Regulation (EU) 2023/956; Implementing Regulations (EU) 2023/1773, 2025/2547"
        ),
    }
    info = item["PcfInformation"]
    assert info["SeeDirectTCo2ePerT"] == 1.85
    assert info["SeeIndirectTCo2ePerT"] == 0.1205
    assert info["SeeTotalTCo2ePerT"] == 1.9705
    assert info["PrecursorDirectTCo2ePerT"] == 0.31
    assert info["DefaultValueShare"] == 0.125


def test_store_values_survive_submodel_json_submodel_pact_submodel_when_round_tripped() -> None:
    original = footprint()
    first = parse_submodel(roundtrip(build_submodel("urn:x:sm:10", original)))
    document = json.loads(json.dumps(to_pact(first, product())))
    back, identity = from_pact(document)
    again = parse_submodel(roundtrip(build_submodel("urn:x:sm:10", back)))
    assert first == original
    assert again == original
    assert identity == product()


def test_round_trip_keeps_values_when_cbam_absent_and_details_many() -> None:
    original = footprint(
        cbam=CbamSplit(Decimal("0.5"), Decimal("0"), default_value_share=Decimal("1")),
        quantities=(
            ("biogenicCarbonContent", Decimal("0.44")),
            ("primaryDataShare", Decimal("12.9")),
        ),
        attributes=(("boundaryProcessesDescription", "cradle to gate"),),
        structured=(("dqi", '{"technologicalDQR": "1.5"}'),),
    )  # fmt: skip
    parsed = parse_submodel(roundtrip(build_submodel("urn:x:sm:11", original)))
    assert parsed == original
    back, _ = from_pact(json.loads(json.dumps(to_pact(parsed, product()))))
    assert back == original


def environment_json() -> str:
    submodels = [build_submodel(f"urn:x:sm:{i}", footprint(version=i)) for i in (1, 2)]
    shells = [
        build_shell(f"urn:x:aas:{i}", product(product_id=f"P-{i}"), [f"urn:x:sm:{i}"])
        for i in (1, 2)
    ]
    env = environment([to_json_dict(s) for s in shells], [to_json_dict(s) for s in submodels], True)
    return json.dumps(env)


def test_environment_passes_aas_test_engines_check_file_when_exported() -> None:
    result = aas_file.check_json_file(io.StringIO(environment_json()))
    assert result.ok(), result.to_dict()


def test_environment_is_read_by_basyx_strict_reader_when_exported() -> None:
    store = read_aas_json_file(io.StringIO(environment_json()), failsafe=False)
    identifiers = sorted(str(item.id) for item in store if str(item.id).startswith("urn:x:"))
    assert identifiers == ["urn:x:aas:1", "urn:x:aas:2", "urn:x:sm:1", "urn:x:sm:2"]
    assert len(store) == 4 + 29
