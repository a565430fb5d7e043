"""Footprint <-> Catena-X PCF aspect (io.catenax.pcf 9.0.0; reads 7.0.0 and 8.0.0). Catena-X
carries emission values as JSON numbers: a decimal that a JSON number (IEEE double) cannot hold
exactly is an error. The aspect has no place for the CBAM split, the hand-over address or the
IDTA unit/phases beyond its own fields (the IDTA submodel carries them; docs/data-model.md)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from aas_models._catenax_paths import PATHS_9
from aas_models._catenax_read import flatten, leaves_to_footprint
from aas_models._footprint import Footprint, MappingError, ProductIdentity
from aas_models._units import mass_kg, to_pact_unit
from aas_models._xsd import datetime_text

SPEC_VERSION_9 = "urn:io.catenax.pcf:datamodel:version:9.0.0"
SEMANTIC_ID_9 = "urn:samm:io.catenax.pcf:9.0.0#Pcf"
CN_URN = "urn:pact:productclassification:cn:"
CX_UNITS = frozenset({"liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule"})
GRAVE = ("A1-A3", "A4-A5", "B1-B7", "C1-C4")
METHODS_TO_CX: dict[str, str] = {
    "GHG Protocol": "GHG Protocol Product standard",
    "ISO 14040, ISO 14044": "ISO 14044",
    "BS PAS 2050": "PAS 2050",
}


def exact_number(value: Decimal, name: str) -> int | float:
    """A JSON number that holds `value` exactly, else MappingError."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    number = float(value)
    if Decimal(repr(number)) != value:
        raise MappingError(f"{name}: {value} cannot be represented exactly as a JSON number")
    return number


def to_catenax(footprint: Footprint, product: ProductIdentity) -> dict[str, Any]:
    """The Catena-X PCF 9.0.0 aspect (value-only payload) of one footprint version."""
    leaves = _core_leaves(footprint, product)
    unknown: list[str] = []
    extras: list[tuple[str, Any]] = [(n, v) for n, v in footprint.quantities]
    extras += list(footprint.attributes)
    extras += [(n, json.loads(t)) for n, t in footprint.structured]
    for name, value in extras:
        if name not in PATHS_9:
            unknown.append(name)
        elif name == "productClassifications":
            leaves[name] = value
        else:
            leaves[name] = value.split(",")[0] if name == "ipccCharacterizationFactors" else value
    if unknown:
        raise MappingError(f"no Catena-X PCF 9.0.0 field for: {', '.join(sorted(unknown))}")
    numbers = {n: exact_number(v, n) if isinstance(v, Decimal) else v for n, v in leaves.items()}
    return _nest(numbers)


def _core_leaves(footprint: Footprint, product: ProductIdentity) -> dict[str, Any]:
    unit, amount = to_pact_unit(footprint.declared_unit, footprint.declared_quantity)
    if unit not in CX_UNITS:
        raise MappingError(f"declared_unit: {footprint.declared_unit!r} has no Catena-X unit")
    if footprint.expires_at is None:
        raise MappingError("validityPeriodEnd: Catena-X needs the footprint's expiry date")
    if footprint.attribute("geographyRegionOrSubregion") is None:
        raise MappingError("geographyRegionOrSubregion: Catena-X needs it (attribute missing)")
    mass = footprint.quantity("productMassPerDeclaredUnit") or mass_kg(
        footprint.declared_unit, footprint.declared_quantity
    )
    if mass is None:
        raise MappingError("productMassPerDeclaredUnit: needed for a non-mass declared unit")
    leaves = {
        **_product_leaves(product, unit, amount, mass),
        **_assessment_leaves(footprint),
        **_DEFAULTS,
    }
    if product.description:
        leaves["productDescription"] = product.description
    if product.cn_code:
        leaves["productClassifications"] = [CN_URN + product.cn_code]
    return leaves


# Values Catena-X requires that a footprint does not state; an attribute of the same name wins.
_DEFAULTS: dict[str, Any] = {
    "retroOrProspectivePcfType": "Retrospective PCF",
    "ccsTechnologicalCO2CaptureIncluded": False,
    "exemptedEmissionsPercent": Decimal(0),
    "massBalancingUsed": False,
    "freeAttributionInMassBalancing": "not applicable",
    "massBalancingCertificateScheme": "not applicable",
    "productOrSectorSpecificRules": [],
    "ipccCharacterizationFactors": "AR6",
    "allocationWasteIncineration": "cut-off",
    "distributionStageIncluded": False,
    "packagingEmissionsIncluded": False,
}


def _product_leaves(
    product: ProductIdentity, unit: str, amount: Decimal, mass: Decimal
) -> dict[str, Any]:
    return {
        "companyName": product.company_name,
        "companyIds": list(product.company_ids),
        "productNameCompany": product.name,
        "productIds": [product.global_asset_id],
        "declaredUnitOfMeasurement": unit,
        "declaredUnitAmount": amount,
        "productMassPerDeclaredUnit": mass,
    }


def _assessment_leaves(footprint: Footprint) -> dict[str, Any]:
    assert footprint.expires_at is not None
    return {
        "specVersion": SPEC_VERSION_9,
        "partialFullPcf": _partial_full(footprint.life_cycle_phases),
        "id": footprint.footprint_id,
        "version": footprint.version,
        "status": footprint.status.value,
        "referencePeriodStart": datetime_text(footprint.period_start),
        "referencePeriodEnd": datetime_text(footprint.period_end),
        "created": datetime_text(footprint.published_at),
        "validityPeriodEnd": datetime_text(footprint.expires_at),
        "crossSectoralStandards": [METHODS_TO_CX.get(m, m) for m in footprint.methods],
        "pcfExcludingBiogenicUptake": footprint.pcf_kg_co2e,
        "pcfIncludingBiogenicUptake": footprint.pcf_kg_co2e,
        "fossilGhgEmissions": footprint.pcf_kg_co2e,
    }


def _partial_full(phases: tuple[str, ...]) -> str:
    if phases == ("A1-A3",):
        return "Cradle-to-gate"
    if phases == GRAVE:
        return "Cradle-to-grave"
    raise MappingError(f"life_cycle_phases: {list(phases)} is neither cradle-to-gate nor -grave")


def _nest(leaves: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for name, value in leaves.items():
        node = document
        for step in PATHS_9[name]:
            node = node.setdefault(step, [{}])[0]
        node[name] = value
    for required in ("general", "carbonContent"):
        document.setdefault(required, [{}])
    sources = document["pcfAssessmentAndMethodology"][0]
    sources.setdefault("dataSourcesAndQuality", [{}])
    return document


def from_catenax(document: Any) -> tuple[Footprint, ProductIdentity]:
    """Read a Catena-X PCF aspect payload (9.0.0, 8.0.0 or 7.0.0)."""
    if not isinstance(document, dict):
        raise MappingError("a Catena-X PCF object is required")
    return leaves_to_footprint(flatten(document))
