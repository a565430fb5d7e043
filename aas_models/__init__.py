"""AAS models for carbon footprints: IDTA 02023 CarbonFootprint submodels and product shells
built with basyx-python-sdk, mappings to and from PACT ProductFootprint v3 (reads v2) and the
Catena-X PCF aspect 9.0.0 (reads 7.0.0 / 8.0.0), and the read side of the AAS API Part 2
(`aas_api.build_router`, an edge module handed a repository)."""

from aas_models._calc import cbam_split, footprint_from_calc
from aas_models._catenax import SEMANTIC_ID_9 as CATENAX_PCF_SEMANTIC_ID
from aas_models._catenax import from_catenax, to_catenax
from aas_models._conformance import template_conformance
from aas_models._footprint import (
    Address,
    CbamSplit,
    Footprint,
    FootprintStatus,
    MappingError,
    ProductIdentity,
    sorted_extras,
)
from aas_models._pact import from_pact, to_pact
from aas_models._repository import AasRepository, MemoryRepository, StoredIdentifiable
from aas_models._semantics import CALCULATION_METHODS, LIFE_CYCLE_PHASE_VALUES, REFERENCE_UNITS
from aas_models._semantics import SUBMODEL as CARBON_FOOTPRINT_SEMANTIC_ID
from aas_models._serialization import (
    environment,
    template_concept_descriptions,
    to_json_dict,
    to_json_text,
    value_only_text,
)
from aas_models._shell import build_shell, id_short_for
from aas_models._submodel import SUBMODEL_ID_SHORT, build_submodel, parse_submodel
from aas_models._xsd import datetime_text, decimal_text, parse_datetime, parse_decimal

__all__ = [
    "CALCULATION_METHODS",
    "CARBON_FOOTPRINT_SEMANTIC_ID",
    "CATENAX_PCF_SEMANTIC_ID",
    "LIFE_CYCLE_PHASE_VALUES",
    "REFERENCE_UNITS",
    "SUBMODEL_ID_SHORT",
    "AasRepository",
    "Address",
    "CbamSplit",
    "Footprint",
    "FootprintStatus",
    "MappingError",
    "MemoryRepository",
    "ProductIdentity",
    "StoredIdentifiable",
    "build_shell",
    "build_submodel",
    "cbam_split",
    "datetime_text",
    "decimal_text",
    "environment",
    "footprint_from_calc",
    "from_catenax",
    "from_pact",
    "id_short_for",
    "parse_datetime",
    "parse_decimal",
    "parse_submodel",
    "sorted_extras",
    "template_concept_descriptions",
    "template_conformance",
    "to_catenax",
    "to_json_dict",
    "to_json_text",
    "to_pact",
    "value_only_text",
]
