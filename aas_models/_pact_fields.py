"""PACT field groups, calculation-method names and the carbonspace data model extension
(`EXTENSION_SCHEMA`) that carries what PACT has no field for."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

from aas_models import _semantics as sem
from aas_models._footprint import (
    Address,
    CbamSplit,
    Footprint,
    MappingError,
    ProductIdentity,
)
from aas_models._units import mass_kg
from aas_models._xsd import decimal_text, parse_decimal

EXTENSION_SCHEMA = "urn:carbonspace:pact-extension:footprint:1.0.0"

V3_PCF_FIELDS = frozenset(
    {
        "declaredUnitOfMeasurement", "declaredUnitAmount", "productMassPerDeclaredUnit",
        "referencePeriodStart", "referencePeriodEnd", "geographyRegionOrSubregion",
        "geographyCountry", "geographyCountrySubdivision", "boundaryProcessesDescription",
        "pcfExcludingBiogenicUptake", "pcfIncludingBiogenicUptake", "fossilCarbonContent",
        "biogenicCarbonContent", "recycledCarbonContent", "fossilGhgEmissions",
        "landUseChangeGhgEmissions", "landCarbonLeakage", "landManagementFossilGhgEmissions",
        "landManagementBiogenicCO2Emissions", "landManagementBiogenicCO2Removals",
        "biogenicCO2Uptake", "biogenicNonCO2Emissions", "landAreaOccupation",
        "aircraftGhgEmissions", "packagingEmissionsIncluded", "packagingGhgEmissions",
        "packagingBiogenicCarbonContent", "outboundLogisticsGhgEmissions",
        "ccsTechnologicalCO2CaptureIncluded", "ccsTechnologicalCO2Capture",
        "technologicalCO2CaptureOrigin", "technologicalCO2Removals", "ccuCarbonContent",
        "ccuCalculationApproach", "ccuCreditCertification", "ipccCharacterizationFactors",
        "crossSectoralStandards", "productOrSectorSpecificRules", "exemptedEmissionsPercent",
        "exemptedEmissionsDescription", "allocationRulesDescription",
        "secondaryEmissionFactorSources", "primaryDataShare", "dqi", "verification",
    }
)  # fmt: skip
DECIMAL_FIELDS = frozenset(
    {
        "productMassPerDeclaredUnit", "pcfIncludingBiogenicUptake", "fossilCarbonContent",
        "biogenicCarbonContent", "recycledCarbonContent", "fossilGhgEmissions",
        "landUseChangeGhgEmissions", "landCarbonLeakage", "landManagementFossilGhgEmissions",
        "landManagementBiogenicCO2Emissions", "landManagementBiogenicCO2Removals",
        "biogenicCO2Uptake", "biogenicNonCO2Emissions", "landAreaOccupation",
        "aircraftGhgEmissions", "packagingGhgEmissions", "packagingBiogenicCarbonContent",
        "outboundLogisticsGhgEmissions", "ccsTechnologicalCO2Capture", "technologicalCO2Removals",
        "ccuCarbonContent", "exemptedEmissionsPercent", "primaryDataShare",
        # PACT v2 names without a v3 field (read from older partners, carried in the extension)
        "dLucGhgEmissions", "landManagementGhgEmissions", "otherBiogenicGhgEmissions",
        "iLucGhgEmissions", "biogenicCarbonWithdrawal",
    }
)  # fmt: skip
TOP_LEVEL = frozenset(
    {"comment", "validityPeriodStart", "precedingPfIds", "extensions", "productClassifications"}
)
_CONSUMED = frozenset(
    {
        "declaredUnitOfMeasurement", "declaredUnitAmount", "referencePeriodStart",
        "referencePeriodEnd", "pcfExcludingBiogenicUptake", "crossSectoralStandards",
    }
)  # fmt: skip

# IDTA 02023 PcfCalculationMethod value <-> PACT v3 crossSectoralStandards value.
METHODS_TO_PACT: dict[str, str] = {
    "ISO 14067": "ISO14067",
    "GHG Protocol": "GHGP-Product",
    "ISO 14040, ISO 14044": "ISO14040-44",
    "BS PAS 2050": "PAS2050",
    "PACT v1.0.1": "PACT-1.0",
    "PACT v2.0.0": "PACT-2.0",
    "PACT v3.0.0": "PACT-3.0",
}
METHODS_FROM_PACT: dict[str, str] = {v: k for k, v in METHODS_TO_PACT.items()} | {
    # PACT v2 `crossSectoralStandardsUsed` values
    "GHG Protocol Product standard": "GHG Protocol",
    "ISO Standard 14067": "ISO 14067",
    "ISO Standard 14044": "ISO 14040, ISO 14044",
}


def methods_to_pact(methods: tuple[str, ...]) -> list[str]:
    return [METHODS_TO_PACT.get(method, method) for method in methods]


def methods_from_pact(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list) or not values:
        raise MappingError("pcf.crossSectoralStandards: a non-empty list is required")
    methods = []
    for value in values:
        method = METHODS_FROM_PACT.get(str(value), str(value))
        if method not in sem.CALCULATION_METHODS:
            raise MappingError(
                f"pcf.crossSectoralStandards: {value!r} has no IDTA 02023 PcfCalculationMethod"
            )
        methods.append(method)
    return tuple(methods)


def pcf_extras(
    footprint: Footprint, quantities: dict[str, Decimal], pcf: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the footprint's extra PACT fields into `pcf`; return (top-level, unmapped)."""
    top: dict[str, Any] = {}
    unmapped: dict[str, Any] = {}
    values: list[tuple[str, Any]] = [(n, decimal_text(v)) for n, v in quantities.items()]
    values += list(footprint.attributes)
    values += [(n, json.loads(text)) for n, text in footprint.structured]
    for name, value in values:
        if name == "ipccCharacterizationFactors" and isinstance(value, str):
            pcf[name] = value.split(",")
        elif name in TOP_LEVEL:
            top[name] = value
        elif name in V3_PCF_FIELDS:
            pcf[name] = value
        else:
            unmapped[name] = value
    return top, unmapped


def split_pcf_extras(
    pcf: dict[str, Any], pcf_value: Decimal, unit: str, amount: Decimal
) -> tuple[list[tuple[str, Decimal]], list[tuple[str, str]], list[tuple[str, str]]]:
    """The pcf fields beyond the mapped core, leaving out values equal to our export defaults."""
    defaults: dict[str, Decimal | None] = {
        "pcfIncludingBiogenicUptake": pcf_value,
        "fossilGhgEmissions": pcf_value,
        "fossilCarbonContent": Decimal(0),
        "exemptedEmissionsPercent": Decimal(0),
        "productMassPerDeclaredUnit": mass_kg(unit, amount),
    }
    quantities: list[tuple[str, Decimal]] = []
    attributes: list[tuple[str, str]] = []
    structured: list[tuple[str, str]] = []
    for name, value in pcf.items():
        if name in _CONSUMED:
            continue
        if name == "ipccCharacterizationFactors" and isinstance(value, list):
            if value != ["AR6"]:
                attributes.append((name, ",".join(str(v) for v in value)))
        elif name in DECIMAL_FIELDS and isinstance(value, str | int | float):
            if isinstance(value, bool):
                raise MappingError(f"pcf.{name}: must be a decimal")
            number = parse_decimal(str(value), f"pcf.{name}")
            default = defaults.get(name)
            if default is None or decimal_text(default) != decimal_text(number):
                quantities.append((name, number))
        elif isinstance(value, str):
            attributes.append((name, value))
        else:
            structured.append((name, json.dumps(value)))
    return quantities, attributes, structured


def extension_data(
    footprint: Footprint, product: ProductIdentity, unmapped: dict[str, Any]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "productId": product.product_id,
        "version": footprint.version,
        "declaredUnit": footprint.declared_unit,
        "declaredQuantity": decimal_text(footprint.declared_quantity),
        "methods": list(footprint.methods),
        "lifeCyclePhases": list(footprint.life_cycle_phases),
    }
    if product.cn_code:
        data["cnCode"] = product.cn_code
    if footprint.handover_address is not None:
        address = footprint.handover_address
        data["handoverAddress"] = {
            attr: getattr(address, attr) for _, attr, _ in sem.ADDRESS_FIELDS
            if getattr(address, attr) is not None
        }  # fmt: skip
    if footprint.cbam is not None:
        cbam = footprint.cbam
        data["cbam"] = {
            "seeDirectTCo2ePerT": decimal_text(cbam.see_direct_t_co2e_per_t),
            "seeIndirectTCo2ePerT": decimal_text(cbam.see_indirect_t_co2e_per_t),
            "precursorDirectTCo2ePerT": decimal_text(cbam.precursor_direct_t_co2e_per_t),
            "precursorIndirectTCo2ePerT": decimal_text(cbam.precursor_indirect_t_co2e_per_t),
            "defaultValueShare": decimal_text(cbam.default_value_share),
        }
    if unmapped:
        data["unmapped"] = unmapped
    return data


def footprint_from_extension(footprint: Footprint, data: Any) -> Footprint:
    """Restore what only our extension carries (exact AAS unit, phases, version, CBAM split)."""
    if data is None:
        return footprint
    if not isinstance(data, dict):
        raise MappingError("extensions[carbonspace].data: must be an object")
    try:
        return _apply_extension(footprint, data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise MappingError(f"extensions[carbonspace].data: malformed ({exc})") from None


def _apply_extension(footprint: Footprint, data: dict[str, Any]) -> Footprint:
    changes: dict[str, Any] = {
        "version": int(data["version"]),
        "declared_unit": str(data["declaredUnit"]),
        "declared_quantity": parse_decimal(str(data["declaredQuantity"]), "declaredQuantity"),
        "methods": tuple(str(m) for m in data["methods"]),
        "life_cycle_phases": tuple(str(p) for p in data["lifeCyclePhases"]),
    }
    if "handoverAddress" in data:
        changes["handover_address"] = Address(**dict(data["handoverAddress"]))
    if "cbam" in data:
        cbam = data["cbam"]
        changes["cbam"] = CbamSplit(
            see_direct_t_co2e_per_t=parse_decimal(cbam["seeDirectTCo2ePerT"], "cbam"),
            see_indirect_t_co2e_per_t=parse_decimal(cbam["seeIndirectTCo2ePerT"], "cbam"),
            precursor_direct_t_co2e_per_t=parse_decimal(cbam["precursorDirectTCo2ePerT"], "cbam"),
            precursor_indirect_t_co2e_per_t=parse_decimal(
                cbam["precursorIndirectTCo2ePerT"], "cbam"
            ),
            default_value_share=parse_decimal(cbam["defaultValueShare"], "cbam"),
        )
    quantities = [q for q in footprint.quantities if q[0] != "productMassPerDeclaredUnit"]
    quantities += [
        (n, q) for n, q in footprint.quantities
        if n == "productMassPerDeclaredUnit"
        and q != mass_kg(changes["declared_unit"], changes["declared_quantity"])
    ]  # fmt: skip
    attributes, structured = list(footprint.attributes), list(footprint.structured)
    for name, value in dict(data.get("unmapped") or {}).items():
        if name in DECIMAL_FIELDS and isinstance(value, str):
            quantities.append((name, parse_decimal(value, name)))
        elif isinstance(value, str):
            attributes.append((name, value))
        else:
            structured.append((name, json.dumps(value)))
    changes.update(
        quantities=tuple(quantities), attributes=tuple(attributes), structured=tuple(structured)
    )
    return replace(footprint, **changes)
