"""The public API of `aas_models` changes only on purpose."""

from __future__ import annotations

import aas_models


def test_aas_models_exports_pinned_names_when_imported() -> None:
    assert sorted(aas_models.__all__) == [
        "AasRepository", "Address", "CALCULATION_METHODS", "CARBON_FOOTPRINT_SEMANTIC_ID",
        "CATENAX_PCF_SEMANTIC_ID", "CbamSplit", "Footprint", "FootprintStatus",
        "LIFE_CYCLE_PHASE_VALUES", "MappingError", "MemoryRepository", "ProductIdentity",
        "REFERENCE_UNITS", "SUBMODEL_ID_SHORT", "StoredIdentifiable", "build_shell",
        "build_submodel", "cbam_split", "datetime_text", "decimal_text", "environment",
        "footprint_from_calc", "from_catenax", "from_pact", "id_short_for", "parse_datetime",
        "parse_decimal", "parse_submodel", "sorted_extras", "template_concept_descriptions",
        "template_conformance", "to_catenax", "to_json_dict", "to_json_text", "to_pact",
        "value_only_text",
    ]  # fmt: skip
