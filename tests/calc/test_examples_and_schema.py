"""The shipped examples validate against the published JSON Schema and compute without errors."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest

import calc
from calc import input_json_schema, parse_input, result_to_json
from tests.calc.factories import EXAMPLES, example, installation, run

NAMES = sorted(p.name for p in EXAMPLES.glob("*.json"))


def _as_json(data: object) -> object:
    return json.loads(json.dumps(data, default=str))


def test_examples_when_listed_cover_every_goods_category_and_a_bom() -> None:
    assert NAMES == [
        "aluminium.json",
        "bom-pcf.json",
        "cement.json",
        "fertiliser.json",
        "hydrogen.json",
        "steel-bubble.json",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_example_when_validated_against_schema_passes(name: str) -> None:
    schema = input_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(_as_json(example(name)))


@pytest.mark.parametrize("name", NAMES)
def test_example_when_computed_serialises_to_json(name: str) -> None:
    data = result_to_json(run(example(name), import_mass_t=Decimal(100)))
    assert json.loads(json.dumps(data)) == data


def test_schema_when_file_has_unknown_key_rejects_it_like_the_parser() -> None:
    data = installation(colour="green")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(input_json_schema()).validate(_as_json(data))
    assert isinstance(parse_input(data), list)


def test_fertiliser_example_when_computed_uses_kg_n_and_default_ammonia() -> None:
    result = run(example("fertiliser.json"))
    good = result.goods[0]
    assert (good.functional_unit, good.fu_per_t) == ("kg N", Decimal("133.3"))
    assert result.processes[0].precursors[0].data_type == "default"
    assert good.default_share_of_total > 0


def test_bom_example_when_computed_gives_pcf_and_primary_share() -> None:
    products = {p.id: p for p in run(example("bom-pcf.json")).products}
    bracket = products["stamped-bracket"]
    assert bracket.pcf_kg_co2e == Decimal("0.35") + Decimal("1.25") * Decimal("2.1")
    assert bracket.primary_data_share == 1
    top = products["bracket-assembly"]
    # own 12000 kg / 40000 pieces + bracket + 0.08 kg bolts x 2.9 + 0.05 kg board x 1.1
    expected = Decimal("0.3") + bracket.pcf_kg_co2e + Decimal("0.232") + Decimal("0.055")
    assert top.pcf_kg_co2e == expected
    primary = Decimal("0.3") + bracket.pcf_kg_co2e + Decimal("0.232") * Decimal("0.85")
    assert top.primary_kg_co2e == primary
    assert top.biogenic_kg_co2e == Decimal("-0.020")
    sources = [c.source.kind.value for c in top.components()]
    assert sources == ["own_data", "supplier", "secondary_data"]


def test_public_api_when_imported_is_pinned() -> None:
    assert calc.__all__ == [
        "FORMAT",
        "OTHER_COUNTRIES",
        "RESULT_FORMAT",
        "CalcError",
        "CalcInput",
        "CalcResult",
        "ComponentResult",
        "DefaultValue",
        "DefaultValueRow",
        "DefaultValuesTable",
        "GoodResult",
        "ImportResult",
        "Options",
        "PcfResult",
        "PrecursorResult",
        "ProcessResult",
        "Provenance",
        "Regime",
        "Source",
        "SourceKind",
        "StreamResult",
        "SupplierKey",
        "SupplierValue",
        "WasteGasElectricity",
        "build_default_values",
        "compute",
        "input_json_schema",
        "parse_input",
        "provenance_to_json",
        "result_to_json",
        "row_from_csv",
        "supplier_keys",
    ]


def test_docs_when_examples_embedded_equal_the_example_files() -> None:
    import re

    text = (EXAMPLES.parent.parent / "calc.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"### `([a-z-]+\.json)`\n\n```json\n(.*?)\n```", text, re.S))
    assert sorted(blocks) == NAMES
    for name, block in blocks.items():
        assert json.loads(block) == json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
