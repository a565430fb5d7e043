"""Reading Catena-X PCF payloads: flatten 9.0.0 (nested one-item arrays), 8.0.0 (flat with a
`pcf` object) or 7.0.0 (flat, older names) into leaves named as in 9.0.0, then into a footprint."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from aas_models._catenax_paths import PATHS_9
from aas_models._footprint import (
    Footprint,
    FootprintStatus,
    MappingError,
    ProductIdentity,
    sorted_extras,
)
from aas_models._units import from_pact_unit, mass_kg
from aas_models._xsd import decimal_text, parse_datetime

CN_URN = "urn:pact:productclassification:cn:"
_NODES = frozenset(step for path in PATHS_9.values() for step in path)
_RENAMED_7 = {
    "extWBCSD_pfStatus": "status",
    "productName": "productNameCompany",
    "declaredUnit": "declaredUnitOfMeasurement",
    "unitaryProductAmount": "declaredUnitAmount",
    "pcfExcludingBiogenic": "pcfExcludingBiogenicUptake",
    "pcfIncludingBiogenic": "pcfIncludingBiogenicUptake",
    "extWBCSD_characterizationFactors": "ipccCharacterizationFactors",
    "extTFS_allocationWasteIncineration": "allocationWasteIncineration",
    "extWBCSD_packagingEmissionsIncluded": "packagingEmissionsIncluded",
    "extWBCSD_fossilCarbonContent": "fossilCarbonContent",
    "extWBCSD_allocationRulesDescription": "allocationRulesDescription",
    "crossSectoralStandardsUsed": "crossSectoralStandards",
}
# 8.0.0 lists one enum value that joins two 9.0.0 values; it means a retrospective PCF.
_PCF_TYPE_8 = "Retrospective PCF, Prospective PCF without forerunner"
_METHODS_FROM_CX = {
    "ISO 14067": "ISO 14067", "ISO Standard 14067": "ISO 14067",
    "ISO 14044": "ISO 14040, ISO 14044", "ISO Standard 14044": "ISO 14040, ISO 14044",
    "GHG Protocol Product standard": "GHG Protocol", "PAS 2050": "BS PAS 2050",
    "Pathfinder v1": "PACT v1.0.1", "Pathfinder v2": "PACT v2.0.0",
}  # fmt: skip
_CONSUMED = frozenset(
    {
        "specVersion", "partialFullPcf", "companyName", "companyIds", "productNameCompany",
        "productIds", "productDescription", "declaredUnitOfMeasurement", "declaredUnitAmount",
        "id", "version", "status", "referencePeriodStart", "referencePeriodEnd", "created",
        "validityPeriodEnd", "crossSectoralStandards", "pcfExcludingBiogenicUptake",
    }
)  # fmt: skip


def flatten(document: dict[str, Any]) -> dict[str, Any]:
    """Leaves of any supported version, under their 9.0.0 names."""
    if "scopeOfPcfForm" in document:
        leaves: dict[str, Any] = {}
        _walk(document, leaves)
        return leaves
    if "pcf" not in document or not isinstance(document["pcf"], dict):
        raise MappingError("pcf: not a Catena-X PCF 7.0.0, 8.0.0 or 9.0.0 payload")
    flat = {k: v for k, v in document.items() if k != "pcf"}
    for key, value in document["pcf"].items():
        if key == "dataQualityRating" and isinstance(value, dict):
            flat.update(value)
        else:
            flat[key] = value
    if isinstance(flat.get("specVersion"), list):  # 8.0.0
        flat["specVersion"] = flat["specVersion"][0] if flat["specVersion"] else ""
    if flat.get("retroOrProspectivePcfType") == _PCF_TYPE_8:
        flat["retroOrProspectivePcfType"] = "Retrospective PCF"
    return {_RENAMED_7.get(key, key): value for key, value in flat.items()}


def _walk(node: dict[str, Any], leaves: dict[str, Any]) -> None:
    for key, value in node.items():
        if key in _NODES and isinstance(value, list):
            for item in value:
                if not isinstance(item, dict):
                    raise MappingError(f"{key}: items must be objects")
                _walk(item, leaves)
        else:
            leaves[key] = value


def leaves_to_footprint(leaves: dict[str, Any]) -> tuple[Footprint, ProductIdentity]:
    unit, amount = from_pact_unit(
        _str(leaves, "declaredUnitOfMeasurement"),
        _number(leaves, "declaredUnitAmount"),
        "declaredUnitOfMeasurement",
    )
    pcf = _number(leaves, "pcfExcludingBiogenicUptake")
    classifications = leaves.get("productClassifications") or []
    cn = next((c[len(CN_URN) :] for c in classifications if str(c).startswith(CN_URN)), None)
    product = ProductIdentity(
        product_id=str(_list(leaves, "productIds")[0]),
        name=_str(leaves, "productNameCompany"),
        global_asset_id=str(_list(leaves, "productIds")[0]),
        cn_code=cn,
        description=str(leaves.get("productDescription") or ""),
        company_name=_str(leaves, "companyName"),
        company_ids=tuple(str(c) for c in _list(leaves, "companyIds")),
    )
    footprint = Footprint(
        footprint_id=_str(leaves, "id"),
        version=int(_number(leaves, "version")),
        status=_status(leaves),
        pcf_kg_co2e=pcf,
        declared_unit=unit,
        declared_quantity=amount,
        methods=_methods(leaves.get("crossSectoralStandards")),
        life_cycle_phases=_phases(leaves.get("partialFullPcf")),
        period_start=parse_datetime(_str(leaves, "referencePeriodStart"), "referencePeriodStart"),
        period_end=parse_datetime(_str(leaves, "referencePeriodEnd"), "referencePeriodEnd"),
        published_at=parse_datetime(_str(leaves, "created"), "created"),
        expires_at=_optional_time(leaves.get("validityPeriodEnd")),
    )
    return _with_extras(footprint, leaves, unit, amount, cn), product


def _with_extras(
    footprint: Footprint, leaves: dict[str, Any], unit: str, amount: Decimal, cn: str | None
) -> Footprint:
    pcf = footprint.pcf_kg_co2e
    defaults: dict[str, Any] = {
        "pcfIncludingBiogenicUptake": pcf, "fossilGhgEmissions": pcf,
        "exemptedEmissionsPercent": Decimal(0), "productMassPerDeclaredUnit": mass_kg(unit, amount),
        "retroOrProspectivePcfType": "Retrospective PCF",
        "ccsTechnologicalCO2CaptureIncluded": False, "massBalancingUsed": False,
        "freeAttributionInMassBalancing": "not applicable",
        "massBalancingCertificateScheme": "not applicable", "ipccCharacterizationFactors": "AR6",
        "allocationWasteIncineration": "cut-off", "distributionStageIncluded": False,
        "packagingEmissionsIncluded": False, "productOrSectorSpecificRules": [],
        "productClassifications": [CN_URN + cn] if cn else None,
    }  # fmt: skip
    quantities, attributes, structured = [], [], []
    for name, value in leaves.items():
        if name in _CONSUMED:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = _exact(value)
            default = defaults.get(name)
            if not isinstance(default, Decimal) or decimal_text(default) != decimal_text(number):
                quantities.append((name, number))
        elif name in defaults and defaults[name] == value:
            continue
        elif isinstance(value, str):
            attributes.append((name, value))
        else:
            structured.append((name, json.dumps(value)))
    return sorted_extras(
        Footprint(**{**footprint.__dict__, "quantities": tuple(quantities),
                     "attributes": tuple(attributes), "structured": tuple(structured)})
    )  # fmt: skip


def _exact(value: int | float) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _number(leaves: dict[str, Any], name: str) -> Decimal:
    value = leaves.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MappingError(f"{name}: a JSON number is required")
    return _exact(value)


def _str(leaves: dict[str, Any], name: str) -> str:
    value = leaves.get(name)
    if not isinstance(value, str) or not value:
        raise MappingError(f"{name}: a non-empty string is required")
    return value


def _list(leaves: dict[str, Any], name: str) -> list[Any]:
    value = leaves.get(name)
    if not isinstance(value, list) or not value:
        raise MappingError(f"{name}: a non-empty list is required")
    return value


def _status(leaves: dict[str, Any]) -> FootprintStatus:
    try:
        return FootprintStatus(str(leaves.get("status")))
    except ValueError:
        status = leaves.get("status")
        raise MappingError(f"status: {status!r} must be Active or Deprecated") from None


def _methods(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list) or not values:
        raise MappingError("crossSectoralStandards: a non-empty list is required")
    methods = []
    for value in values:
        text = value.get("crossSectoralStandard") if isinstance(value, dict) else value
        method = _METHODS_FROM_CX.get(str(text))
        if method is None:
            raise MappingError(f"crossSectoralStandards: {text!r} has no IDTA 02023 method")
        methods.append(method)
    return tuple(methods)


def _phases(value: Any) -> tuple[str, ...]:
    if value == "Cradle-to-gate":
        return ("A1-A3",)
    if value == "Cradle-to-grave":
        return ("A1-A3", "A4-A5", "B1-B7", "C1-C4")
    raise MappingError(f"partialFullPcf: {value!r} must be Cradle-to-gate or Cradle-to-grave")


def _optional_time(value: Any) -> Any:
    return None if value is None else parse_datetime(str(value), "validityPeriodEnd")
