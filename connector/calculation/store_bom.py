"""Products kept only in the product store (`carbonspace products import`), composed from their
bill of materials the same way as a BOM product of an installation file (CALC.md section 14):

    PCF = own production emissions + sum_i quantity_i x PCF_i   (kg CO2e per declared unit)

- own production emissions: the product's latest imported footprint, which must declare the
  life-cycle phase `A3 - production` only (gate to gate). A footprint declared `A1-A3` already
  contains its components: composing it again would count them twice, so it is refused with a
  message saying what to import instead.
- a supplier line (`supplier`, `supplierProductId`): the supplier's value received under
  contract; while there is none, the node's own footprint of the component product, if it keeps
  one, as secondary data (flagged `default`); else the product cannot be computed.
- a line without supplier: the current cradle-to-gate footprint of the component product,
  which must be a product of this store.

The composition is a `carbonspace-calc/1` document built in memory (never stored) and run
through the calc engine, so figures, breakdown, flags, provenance and publication are those of
an installation file's product."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from aas_models import Footprint
from connector.products import BomLine, ProductBom

STORE_SOURCE = "product-store"
OWN_PHASE = "A3 - production"
CRADLE_TO_GATE = "A1-A3"
# IDTA 02023 reference units -> calc declared units (others are the same word).
_UNITS = {"l": "liter", "cbm": "m3", "qm": "m2"}
_CALC_UNITS = frozenset({"kg", "t", "g", "liter", "m3", "kWh", "MJ", "MWh", "m2", "piece"})
_COMPONENT_PATH = re.compile(r"products\[0\]\.components\[(\d+)\]")


def calc_unit(unit: str) -> str | None:
    mapped = _UNITS.get(unit, unit)
    return mapped if mapped in _CALC_UNITS else None


def line_ref(product_id: str, line_no: int) -> str:
    """How a product-store BOM line is named in reports and errors."""
    return f"{STORE_SOURCE}.bom[{product_id}][{line_no}]"


def store_document(bom: ProductBom) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """The calc document composing `bom`'s product, or the problems that prevent it."""
    own = bom.imported
    problems = list(_own_problems(bom))
    unit = calc_unit(bom.unit)
    if unit is None:
        problems.append(f"product {bom.product_id}: unit {bom.unit} cannot be computed")
    components = []
    for line in bom.lines:
        component = _component(bom, line)
        if isinstance(component, str):
            problems.append(component)
        else:
            components.append(component)
    if problems or own is None or unit is None:
        return None, tuple(problems)
    gate_to_gate = own.pcf_kg_co2e / own.declared_quantity
    product = {
        "id": bom.product_id,
        "name": bom.name,
        "declared_unit": unit,
        "gate_to_gate": {"value": _text(gate_to_gate), "unit": f"kg CO2e/{unit}"},
        "components": components,
    }
    document = {
        "format": "carbonspace-calc/1",
        "regime": "definitive",
        "installation": {"id": STORE_SOURCE, "name": bom.name, "country": _country(own)},
        "reporting_period": {
            "start": own.period_start.date().isoformat(),
            "end": own.period_end.date().isoformat(),
        },
        "options": {"require_verified_supplier_values": False},
        "products": [product],
    }
    return document, ()


def _own_problems(bom: ProductBom) -> list[str]:
    own = bom.imported
    how = (
        f'import its own production emissions as a footprint with lifeCyclePhases ["{OWN_PHASE}"] '
        '(and "publish": false) to compose it from its bill of materials'
    )
    if own is None:
        return [f"product {bom.product_id}: no imported footprint: {how}"]
    if tuple(own.life_cycle_phases) != (OWN_PHASE,):
        phases = ", ".join(own.life_cycle_phases)
        return [
            f"product {bom.product_id}: imported footprint version {own.version} covers {phases}, "
            f"which already contains its components: {how}"
        ]
    if own.declared_quantity <= 0:
        return [f"product {bom.product_id}: imported footprint has no declared quantity"]
    return []


def _component(bom: ProductBom, line: BomLine) -> dict[str, Any] | str:
    where = line_ref(bom.product_id, line.line_no)
    unit = calc_unit(line.unit)
    if unit is None:
        return f"{where}.unit: {line.unit} cannot be computed"
    ids = [x.component for x in bom.lines]
    cid = line.component if ids.count(line.component) == 1 else f"{line.component}#{line.line_no}"
    component: dict[str, Any] = {"id": cid, "quantity": {"value": line.quantity, "unit": unit}}
    known = bom.components.get(line.component)
    usable = known is not None and CRADLE_TO_GATE in known.life_cycle_phases
    if line.supplier and line.supplier_product_id:
        component["supplier"] = {
            "participant_id": line.supplier,
            "product_id": line.supplier_product_id,
        }
        if known is not None and usable:
            component["pcf"] = _pcf(line.component, known, secondary=True)
        return component
    if known is None or not usable:
        return (
            f"{where}: component {line.component} names no supplier and has no cradle-to-gate "
            f"({CRADLE_TO_GATE}) footprint in the product store"
        )
    component["pcf"] = _pcf(line.component, known, secondary=False)
    return component


def _pcf(product_id: str, footprint: Footprint, secondary: bool) -> dict[str, Any]:
    unit = calc_unit(footprint.declared_unit) or footprint.declared_unit
    value: dict[str, Any] = {
        "value": _text(footprint.pcf_kg_co2e / footprint.declared_quantity),
        "unit": f"kg CO2e/{unit}",
        "source_id": f"{STORE_SOURCE}:{product_id}",
        "version": str(footprint.version),
    }
    if secondary:
        value["data_type"] = "secondary"
    share = footprint.quantity("primaryDataShare")
    if not secondary and share is not None:
        value["primary_data_share"] = {"value": _text(share), "unit": "%"}
    return value


def _country(footprint: Footprint) -> str:
    address = footprint.handover_address
    if address is not None and address.country:
        return address.country
    found = dict(footprint.attributes).get("geographyCountry")
    return found if found and re.fullmatch(r"[A-Z]{2}", found) else "ZZ"


def _text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def store_problem(product_id: str, bom: ProductBom, problem: str) -> str:
    """A calc problem about the composed document, named by the product-store BOM line."""

    def name(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index < len(bom.lines):
            return line_ref(product_id, bom.lines[index].line_no)
        return match.group(0)

    return _COMPONENT_PATH.sub(name, problem)
