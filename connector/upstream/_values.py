"""Read the figures calc needs from a supplier's CarbonFootprint submodel (IDTA 02023 with the
carbonspace CBAM split, aas_models) and turn stored figures into `calc.SupplierValue`s.

Stored figures are decimal strings (never floats) so a recomputation from the database gives
the same result, digit for digit, as the one made right after the fetch (CALC.md section 16).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from basyx.aas import model
from basyx.aas.adapter.json import StrictAASFromJsonDecoder

from aas_models import Footprint, MappingError, parse_submodel
from calc import SupplierKey, SupplierValue
from connector.outcome import Failure, Ok, bad_request


def read_supplier_value(submodel: dict[str, Any]) -> Ok[tuple[dict[str, Any], str]] | Failure:
    """(figures, version) of a received submodel, or why it cannot be used."""
    try:
        parsed = json.loads(json.dumps(submodel), cls=StrictAASFromJsonDecoder)
    except (KeyError, TypeError, ValueError) as exc:
        return bad_request(f"received submodel is not valid AAS JSON: {exc}")
    if not isinstance(parsed, model.Submodel):
        return bad_request("received data is not an AAS Submodel")
    try:
        footprint = parse_submodel(parsed)
    except (MappingError, KeyError, ValueError, TypeError) as exc:
        return bad_request(f"received submodel is not a CarbonFootprint: {exc}")
    if not cradle_to_gate(footprint.life_cycle_phases):
        phases = ", ".join(footprint.life_cycle_phases)
        return bad_request(
            f"received footprint covers {phases}, not cradle to gate (A1-A3): it cannot stand "
            "for the component"
        )
    return Ok((figures(footprint), str(footprint.version)))


def cradle_to_gate(phases: tuple[str, ...]) -> bool:
    """Whether the life-cycle phases cover A1 to A3 (IDTA 02023 values)."""
    if "A1-A3" in phases:
        return True
    return all(any(p.startswith(f"{stage} ") for p in phases) for stage in ("A1", "A2", "A3"))


def _num(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def figures(footprint: Footprint) -> dict[str, Any]:
    """The figures of a footprint as decimal strings, PCF per one declared unit."""
    quantity = footprint.declared_quantity if footprint.declared_quantity > 0 else Decimal(1)
    found: dict[str, Any] = {
        "pcf_kg_co2e": _num(footprint.pcf_kg_co2e / quantity),
        "declared_unit": footprint.declared_unit,
        "reporting_period": f"{footprint.period_start.date()}/{footprint.period_end.date()}",
    }
    share = footprint.quantity("primaryDataShare")
    if share is not None:
        found["primary_data_share"] = _num(share / 100)
    if footprint.cbam is not None:
        found["see_direct"] = _num(footprint.cbam.see_direct_t_co2e_per_t)
        found["see_indirect"] = _num(footprint.cbam.see_indirect_t_co2e_per_t)
        found["default_share"] = _num(footprint.cbam.default_value_share)
    return found


def supplier_value(did: str, product_id: str, version: str, value: dict[str, Any]) -> SupplierValue:
    """The calc input for one stored received value."""
    see_direct = value.get("see_direct")
    see_indirect = value.get("see_indirect")
    share = value.get("primary_data_share")
    return SupplierValue(
        source_id=f"{did}#{product_id}",
        version=version,
        see_direct=None if see_direct is None else Decimal(see_direct),
        see_indirect=None if see_indirect is None else Decimal(see_indirect),
        functional_unit="t",
        pcf_kg_co2e=Decimal(value["pcf_kg_co2e"]),
        declared_unit=str(value.get("declared_unit", "kg")),
        primary_data_share=None if share is None else Decimal(share),
        verified=False,
        reporting_period=value.get("reporting_period"),
    )


def supplier_key(did: str, product_id: str) -> SupplierKey:
    return SupplierKey(did, product_id)
