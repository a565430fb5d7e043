"""Footprint <-> PACT ProductFootprint (Tech Specs v3.0.3; reads v2.x). PACT carries decimals
as strings. Fields of the IDTA submodel PACT has no place for (AAS unit, life-cycle phases,
version, CBAM split, hand-over address) travel in a carbonspace data model extension, so
submodel -> PACT -> submodel keeps every value. Mapping table: docs/data-model.md."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from aas_models._footprint import (
    Footprint,
    FootprintStatus,
    MappingError,
    ProductIdentity,
    sorted_extras,
)
from aas_models._pact_fields import (
    EXTENSION_SCHEMA,
    extension_data,
    footprint_from_extension,
    methods_from_pact,
    methods_to_pact,
    pcf_extras,
    split_pcf_extras,
)
from aas_models._units import from_pact_unit, mass_kg, to_pact_unit
from aas_models._xsd import datetime_text, decimal_text, parse_datetime, parse_decimal

SPEC_VERSION = "3.0.3"
CN_URN = "urn:pact:productclassification:cn:"
_TOP_EXTRAS = ("comment", "validityPeriodStart", "precedingPfIds")


def to_pact(footprint: Footprint, product: ProductIdentity) -> dict[str, Any]:
    """The PACT v3 ProductFootprint of one footprint version."""
    if not product.company_name or not product.company_ids:
        raise MappingError("companyName/companyIds: the product has no data owner")
    if not product.global_asset_id.startswith("urn:"):
        raise MappingError(f"productIds: {product.global_asset_id!r} is not a URN")
    extras = dict(footprint.quantities)
    pcf = _pcf_core(footprint, extras.pop("productMassPerDeclaredUnit", None))
    top, unmapped = pcf_extras(footprint, extras, pcf)
    other_extensions = top.pop("extensions", [])
    document: dict[str, Any] = {
        "id": footprint.footprint_id,
        "specVersion": SPEC_VERSION,
        "created": datetime_text(footprint.published_at),
        "status": footprint.status.value,
        "companyName": product.company_name,
        "companyIds": list(product.company_ids),
        "productDescription": product.description or product.name,
        "productIds": [product.global_asset_id],
        "productNameCompany": product.name,
        "pcf": pcf,
    }
    if product.cn_code:
        document["productClassifications"] = [CN_URN + product.cn_code]
    if footprint.expires_at is not None:
        document["validityPeriodEnd"] = datetime_text(footprint.expires_at)
    document.update(top)
    document["extensions"] = [
        *other_extensions,
        {
            "specVersion": "2.0.0",
            "dataSchema": EXTENSION_SCHEMA,
            "data": extension_data(footprint, product, unmapped),
        },
    ]
    return document


def _pcf_core(footprint: Footprint, mass: Decimal | None) -> dict[str, Any]:
    """The required pcf fields, with the documented defaults (docs/data-model.md)."""
    unit, amount = to_pact_unit(footprint.declared_unit, footprint.declared_quantity)
    if mass is None:
        mass = mass_kg(footprint.declared_unit, footprint.declared_quantity)
    if mass is None:
        raise MappingError("productMassPerDeclaredUnit: needed for a non-mass declared unit")
    return {
        "declaredUnitOfMeasurement": unit,
        "declaredUnitAmount": decimal_text(amount),
        "productMassPerDeclaredUnit": decimal_text(mass),
        "referencePeriodStart": datetime_text(footprint.period_start),
        "referencePeriodEnd": datetime_text(footprint.period_end),
        "pcfExcludingBiogenicUptake": decimal_text(footprint.pcf_kg_co2e),
        "pcfIncludingBiogenicUptake": decimal_text(footprint.pcf_kg_co2e),
        "fossilGhgEmissions": decimal_text(footprint.pcf_kg_co2e),
        "fossilCarbonContent": "0",
        "ipccCharacterizationFactors": ["AR6"],
        "crossSectoralStandards": methods_to_pact(footprint.methods),
        "exemptedEmissionsPercent": "0",
    }


def from_pact(document: Any) -> tuple[Footprint, ProductIdentity]:
    """Read a PACT ProductFootprint (v3.x, or v2.x from older partners)."""
    if not isinstance(document, dict) or not isinstance(document.get("pcf"), dict):
        raise MappingError("pcf: a ProductFootprint object with a pcf object is required")
    spec = str(document.get("specVersion", ""))
    if spec.startswith("2."):
        from aas_models._pact_v2 import upgrade_v2

        document = upgrade_v2(document)
    elif not spec.startswith("3."):
        raise MappingError(f"specVersion: {spec!r} is not a PACT 2.x or 3.x version")
    return _read_v3(document)


def _read_v3(document: dict[str, Any]) -> tuple[Footprint, ProductIdentity]:
    pcf = dict(document["pcf"])
    ours = next(
        (e.get("data") for e in document.get("extensions") or [] if isinstance(e, dict)
         and e.get("dataSchema") == EXTENSION_SCHEMA),
        None,
    )  # fmt: skip
    product = _product(document, ours)
    unit, amount = from_pact_unit(
        _text(pcf, "declaredUnitOfMeasurement", "pcf"),
        _decimal(pcf, "declaredUnitAmount"),
        "pcf.declaredUnitOfMeasurement",
    )
    pcf_value = _decimal(pcf, "pcfExcludingBiogenicUptake")
    quantities, attributes, structured = split_pcf_extras(pcf, pcf_value, unit, amount)
    for name in _TOP_EXTRAS:
        if name in document:
            value = document[name]
            target = attributes if isinstance(value, str) else structured
            target.append((name, value if isinstance(value, str) else json.dumps(value)))
    classifications = document.get("productClassifications")
    if classifications is not None and classifications != [CN_URN + (product.cn_code or "")]:
        structured.append(("productClassifications", json.dumps(classifications)))
    other_extensions = [
        e for e in document.get("extensions") or []
        if not (isinstance(e, dict) and e.get("dataSchema") == EXTENSION_SCHEMA)
    ]  # fmt: skip
    if other_extensions:
        structured.append(("extensions", json.dumps(other_extensions)))
    footprint = Footprint(
        footprint_id=_text(document, "id", ""),
        version=0,
        status=_status(document),
        pcf_kg_co2e=pcf_value,
        declared_unit=unit,
        declared_quantity=amount,
        methods=methods_from_pact(pcf.get("crossSectoralStandards")),
        life_cycle_phases=("A1-A3",),
        period_start=_pcf_time(pcf, "referencePeriodStart"),
        period_end=_pcf_time(pcf, "referencePeriodEnd"),
        published_at=parse_datetime(_text(document, "created", ""), "created"),
        expires_at=_optional_datetime(document, "validityPeriodEnd"),
        quantities=tuple(quantities),
        attributes=tuple(attributes),
        structured=tuple(structured),
    )
    return sorted_extras(footprint_from_extension(footprint, ours)), product


def _product(document: dict[str, Any], ours: Any) -> ProductIdentity:
    product_ids = document.get("productIds")
    if not isinstance(product_ids, list) or not product_ids or not isinstance(product_ids[0], str):
        raise MappingError("productIds: a non-empty list of URNs is required")
    classifications = document.get("productClassifications") or []
    cn = next((c[len(CN_URN) :] for c in classifications if str(c).startswith(CN_URN)), None)
    ours = ours if isinstance(ours, dict) else {}
    return ProductIdentity(
        product_id=str(ours.get("productId") or product_ids[0]),
        name=_text(document, "productNameCompany", ""),
        global_asset_id=product_ids[0],
        cn_code=cn,
        description=str(document.get("productDescription") or ""),
        company_name=_text(document, "companyName", ""),
        company_ids=tuple(str(c) for c in document.get("companyIds") or []),
    )


def _status(document: dict[str, Any]) -> FootprintStatus:
    try:
        return FootprintStatus(str(document.get("status")))
    except ValueError:
        status = document.get("status")
        raise MappingError(f"status: {status!r} must be Active or Deprecated") from None


def _text(data: dict[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise MappingError(f"{where + '.' if where else ''}{name}: a non-empty string is required")
    return value


def _decimal(pcf: dict[str, Any], name: str) -> Decimal:
    value = pcf.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MappingError(f"pcf.{name}: a decimal string is required")
    return parse_decimal(str(value), f"pcf.{name}")


def _pcf_time(pcf: dict[str, Any], name: str) -> datetime:
    return parse_datetime(_text(pcf, name, "pcf"), f"pcf.{name}")


def _optional_datetime(document: dict[str, Any], name: str) -> Any:
    value = document.get(name)
    return None if value is None else parse_datetime(str(value), name)
