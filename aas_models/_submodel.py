"""Footprint <-> IDTA 02023 CarbonFootprint submodel (v1.0.1), element for element as in the
template: one `ProductCarbonFootprints` item, and one `ProductOrSectorSpecificCarbonFootprints`
item whose `PcfInformation` carries the CBAM split and the footprint's bookkeeping under our own
semanticIds (rule "EU CBAM" when a CBAM split is present). See docs/data-model.md."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from basyx.aas import model

from aas_models import _semantics as sem
from aas_models._elements import (
    collection,
    collection_list,
    datetime_prop,
    decimal_prop,
    prop,
    ref,
    string_list,
    string_prop,
)
from aas_models._footprint import Address, CbamSplit, Footprint, FootprintStatus, MappingError

SUBMODEL_ID_SHORT = "CarbonFootprint"

CBAM_FIELDS: tuple[tuple[str, str], ...] = (
    ("SeeDirectTCo2ePerT", "see_direct_t_co2e_per_t"),
    ("SeeIndirectTCo2ePerT", "see_indirect_t_co2e_per_t"),
    ("PrecursorDirectTCo2ePerT", "precursor_direct_t_co2e_per_t"),
    ("PrecursorIndirectTCo2ePerT", "precursor_indirect_t_co2e_per_t"),
    ("DefaultValueShare", "default_value_share"),
)
PACT_PREFIX = "pact:"
JSON_PREFIX = "pact-json:"


def build_submodel(submodel_id: str, footprint: Footprint) -> model.Submodel:
    """The CarbonFootprint submodel of one footprint version (administration.version = version)."""
    _check_value_lists(footprint)
    return model.Submodel(
        submodel_id,
        id_short=SUBMODEL_ID_SHORT,
        semantic_id=ref(sem.SUBMODEL),
        administration=model.AdministrativeInformation(
            version=str(footprint.version), template_id=sem.TEMPLATE_ID
        ),
        submodel_element=[
            collection_list(
                "ProductCarbonFootprints",
                [_pcf_item(footprint)],
                sem.PRODUCT_CARBON_FOOTPRINTS,
                sem.PRODUCT_CARBON_FOOTPRINT,
            ),
            collection_list(
                "ProductOrSectorSpecificCarbonFootprints",
                [_specific_item(footprint)],
                sem.SPECIFIC_FOOTPRINTS,
                sem.SPECIFIC_FOOTPRINT,
            ),
        ],
    )


def _check_value_lists(footprint: Footprint) -> None:
    unknown = [m for m in footprint.methods if m not in sem.CALCULATION_METHODS]
    if not footprint.methods or unknown:
        raise MappingError(f"methods: {unknown or 'empty'} not in the IDTA 02023 value list")
    if footprint.declared_unit not in sem.REFERENCE_UNITS:
        raise MappingError(f"declared_unit: {footprint.declared_unit!r} not in the value list")
    phases = [p for p in footprint.life_cycle_phases if p not in sem.LIFE_CYCLE_PHASE_VALUES]
    if not footprint.life_cycle_phases or phases:
        raise MappingError(f"life_cycle_phases: {phases or 'empty'} not in the value list")


def _methods(footprint: Footprint) -> model.SubmodelElementList[model.Property]:
    return string_list(
        "PcfCalculationMethods",
        footprint.methods,
        sem.PCF_CALCULATION_METHODS,
        sem.PCF_CALCULATION_METHOD,
    )


def _pcf_item(footprint: Footprint) -> model.SubmodelElementCollection:
    quantity = float(footprint.declared_quantity)
    if Decimal(repr(quantity)) != footprint.declared_quantity:
        raise MappingError(
            f"declared_quantity: {footprint.declared_quantity} is not exact as xs:double"
        )
    elements: list[model.SubmodelElement] = [
        _methods(footprint),
        decimal_prop("PcfCO2eq", footprint.pcf_kg_co2e, sem.PCF_CO2EQ),
        string_prop(
            "ReferenceImpactUnitForCalculation", footprint.declared_unit, sem.REFERENCE_IMPACT_UNIT
        ),
        prop("QuantityOfMeasureForCalculation", float, quantity, sem.QUANTITY_OF_MEASURE),
        string_list(
            "LifeCyclePhases",
            footprint.life_cycle_phases,
            sem.LIFE_CYCLE_PHASES,
            sem.LIFE_CYCLE_PHASE,
        ),
    ]
    if footprint.handover_address is not None:
        elements.append(_address(footprint.handover_address))
    elements.append(datetime_prop("PublicationDate", footprint.published_at, sem.PUBLICATION_DATE))
    if footprint.expires_at is not None:
        elements.append(datetime_prop("ExpirationDate", footprint.expires_at, sem.EXPIRATION_DATE))
    return collection(None, elements, sem.PRODUCT_CARBON_FOOTPRINT)


def _address(address: Address) -> model.SubmodelElementCollection:
    elements: list[model.SubmodelElement] = [
        string_prop(id_short, getattr(address, attr), semantic_id)
        for id_short, attr, semantic_id in sem.ADDRESS_FIELDS
        if getattr(address, attr) is not None
    ]
    smc = collection("GoodsHandoverAddress", elements, sem.GOODS_HANDOVER_ADDRESS)
    return smc


def _specific_item(footprint: Footprint) -> model.SubmodelElementCollection:
    if footprint.cbam is not None:
        rule = (sem.CBAM_RULE_OPERATOR, sem.CBAM_RULE_NAME, sem.CBAM_RULE_VERSION)
    else:
        rule = (sem.DETAILS_RULE_OPERATOR, sem.DETAILS_RULE_NAME, sem.DETAILS_RULE_VERSION)
    rule_smc = collection(
        "ProductOrSectorSpecificRule",
        [
            string_prop("PcfRuleOperator", rule[0], sem.RULE_OPERATOR),
            string_prop("PcfRuleName", rule[1], sem.RULE_NAME),
            string_prop("PcfRuleVersion", rule[2], sem.RULE_VERSION),
        ],
        sem.SPECIFIC_RULE,
    )
    information = collection("PcfInformation", _information(footprint), sem.PCF_INFORMATION)
    return collection(None, [_methods(footprint), rule_smc, information], sem.SPECIFIC_FOOTPRINT)


def _information(footprint: Footprint) -> list[model.SubmodelElement]:
    own = sem.own
    elements: list[model.SubmodelElement] = [
        string_prop("FootprintId", footprint.footprint_id, own("FootprintId")),
        prop("FootprintVersion", model.datatypes.Int, footprint.version, own("FootprintVersion")),
        string_prop("FootprintStatus", footprint.status.value, own("FootprintStatus")),
        datetime_prop("ReferencePeriodStart", footprint.period_start, own("ReferencePeriodStart")),
        datetime_prop("ReferencePeriodEnd", footprint.period_end, own("ReferencePeriodEnd")),
    ]
    if footprint.cbam is not None:
        elements.extend(
            decimal_prop(id_short, getattr(footprint.cbam, attr), own(id_short))
            for id_short, attr in CBAM_FIELDS
        )
        total = footprint.cbam.see_total_t_co2e_per_t
        elements.append(decimal_prop("SeeTotalTCo2ePerT", total, own("SeeTotalTCo2ePerT")))
    for name, value in footprint.quantities:
        elements.append(decimal_prop(_id_short(name), value, own(PACT_PREFIX + name)))
    for name, text in footprint.attributes:
        elements.append(string_prop(_id_short(name), text, own(PACT_PREFIX + name)))
    for name, text in footprint.structured:
        elements.append(string_prop(_id_short(name), text, own(JSON_PREFIX + name)))
    return elements


def _id_short(pact_name: str) -> str:
    if not pact_name.isidentifier() or not pact_name.isascii():
        raise MappingError(f"quantities/attributes: {pact_name!r} is not a PACT field name")
    return pact_name[0].upper() + pact_name[1:]


# ---- submodel -> footprint ------------------------------------------------------------------


def parse_submodel(submodel: model.Submodel) -> Footprint:
    """Read a footprint back from a CarbonFootprint submodel we (or a peer node) published."""
    try:
        pcfs = _list(submodel, "ProductCarbonFootprints")
        pcf = next(iter(pcfs.value))
        specific = _list(submodel, "ProductOrSectorSpecificCarbonFootprints")
        information = _child(next(iter(specific.value)), "PcfInformation")
    except (KeyError, StopIteration, TypeError) as exc:
        raise MappingError(
            f"submodel {submodel.id}: not a carbonspace CarbonFootprint ({exc})"
        ) from None
    info = {str(e.id_short): e for e in information.value}
    return Footprint(
        footprint_id=_value(info, "FootprintId"),
        version=int(_value(info, "FootprintVersion")),
        status=FootprintStatus(_value(info, "FootprintStatus")),
        pcf_kg_co2e=Decimal(_value(pcf, "PcfCO2eq")),
        declared_unit=_value(pcf, "ReferenceImpactUnitForCalculation"),
        declared_quantity=Decimal(repr(_value(pcf, "QuantityOfMeasureForCalculation"))),
        methods=tuple(str(p.value) for p in _child(pcf, "PcfCalculationMethods").value),
        life_cycle_phases=tuple(str(p.value) for p in _child(pcf, "LifeCyclePhases").value),
        period_start=_value(info, "ReferencePeriodStart"),
        period_end=_value(info, "ReferencePeriodEnd"),
        published_at=_value(pcf, "PublicationDate"),
        expires_at=_optional(pcf, "ExpirationDate"),
        handover_address=_parse_address(pcf),
        cbam=_parse_cbam(info),
        quantities=_pact_values(information, Decimal, PACT_PREFIX),
        attributes=_pact_values(information, str, PACT_PREFIX),
        structured=_pact_values(information, str, JSON_PREFIX),
    )


def _list(submodel: model.Submodel, id_short: str) -> Any:
    return submodel.get_referable(id_short)


def _child(container: Any, id_short: str) -> Any:
    return container.get_referable(id_short)


def _value(container: Any, id_short: str) -> Any:
    element = container[id_short] if isinstance(container, dict) else _child(container, id_short)
    if element.value is None:
        raise MappingError(f"{id_short}: has no value")
    return element.value


def _optional(container: Any, id_short: str) -> datetime | None:
    try:
        value: datetime = _child(container, id_short).value
    except KeyError:
        return None
    return value


def _parse_address(pcf: Any) -> Address | None:
    try:
        smc = _child(pcf, "GoodsHandoverAddress")
    except KeyError:
        return None
    values = {str(e.id_short): str(e.value) for e in smc.value}
    return Address(**{attr: values.get(id_short) for id_short, attr, _ in sem.ADDRESS_FIELDS})


def _parse_cbam(info: dict[str, Any]) -> CbamSplit | None:
    if "SeeDirectTCo2ePerT" not in info:
        return None
    return CbamSplit(**{attr: Decimal(info[id_short].value) for id_short, attr in CBAM_FIELDS})


def _pact_values(information: Any, kind: type, marker: str) -> tuple[Any, ...]:
    prefix = sem.own(marker)
    found = []
    for element in information.value:
        semantic = element.semantic_id.key[0].value if element.semantic_id else ""
        if not semantic.startswith(prefix):
            continue
        is_decimal = element.value_type is model.datatypes.Decimal
        if (kind is Decimal) == is_decimal:
            found.append((semantic[len(prefix) :], kind(element.value)))
    return tuple(found)
