"""JSON form of a `CalcResult`: every number is a JSON string holding an exact decimal.

Strings, not JSON numbers, because a JSON number is read back as a binary float by most
parsers; `Decimal(s)` restores the exact value. Field names carry units. See docs/calc.md.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from calc._provenance import provenance_to_json
from calc._result import CalcResult, GoodResult, PcfResult, ProcessResult, StreamResult
from calc._see import rounded

RESULT_FORMAT = "carbonspace-calc-result/1"


def _num(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _stream(s: StreamResult, provenance: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.id,
        "method": s.method,
        "gas": s.gas,
        "fossil_t_co2e": _num(s.fossil_t_co2e),
        "biomass_t_co2": _num(s.biomass_t_co2),
    }
    if provenance:
        out["provenance"] = provenance_to_json(s.provenance)
    return out


def _process(p: ProcessResult) -> dict[str, Any]:
    fu = p.functional_unit
    return {
        "id": p.id,
        "name": p.name,
        "functional_unit": fu,
        "joint_process": p.joint_process,
        "non_cbam": p.non_cbam,
        "dir_em_star_t_co2e": _num(p.dir_em_star_t_co2e),
        "heat_import_t_co2e": _num(p.heat_import_t_co2e),
        "heat_export_t_co2e": _num(p.heat_export_t_co2e),
        "waste_gas_import_t_co2e": _num(p.waste_gas_import_t_co2e),
        "waste_gas_export_t_co2e": _num(p.waste_gas_export_t_co2e),
        "el_prod_deduction_t_co2e": _num(p.el_prod_deduction_t_co2e),
        "attributed_direct_t_co2e": _num(p.attributed_direct_t_co2e),
        "attributed_indirect_t_co2e": _num(p.attributed_indirect_t_co2e),
        "electricity_consumed_mwh": _num(p.electricity_consumed_mwh),
        "activity_level": _num(p.activity_level),
        "see_direct_per_fu": _num(p.see_direct_per_fu),
        "see_indirect_per_fu": _num(p.see_indirect_per_fu),
        "not_in_activity_level": [
            {"name": name, "kind": kind, "mass_t": _num(mass)}
            for name, kind, mass in p.not_in_activity_level
        ],
        "precursors": [
            {
                "id": x.id,
                "kind": x.kind,
                "data_type": x.data_type,
                "amount": _num(x.amount),
                "amount_unit": x.amount_unit,
                "specific_mass": _num(x.specific_mass),
                "see_direct": _num(x.see_direct),
                "see_indirect": _num(x.see_indirect),
                "indirect_counted": x.indirect_counted,
                "contribution_direct_t_co2e": _num(x.contribution_direct_t_co2e),
                "contribution_indirect_t_co2e": _num(x.contribution_indirect_t_co2e),
                "source": {
                    "kind": x.source.kind.value,
                    "reference": x.source.reference,
                    **dict(x.source.detail),
                },
            }
            for x in p.precursors
        ],
    }


def _good(g: GoodResult, provenance: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": g.id,
        "process": g.process_id,
        "cn_code": g.cn_code,
        "category": g.category,
        "sector": g.sector,
        "functional_unit": g.functional_unit,
        "indirect_counted": g.indirect_counted,
        "exceeds_20_percent_rule": g.exceeds_20_percent_rule,
    }
    for name in (
        "activity_level_t",
        "fu_per_t",
        "attributed_direct_t_co2e_per_t",
        "attributed_indirect_t_co2e_per_t",
        "precursors_direct_t_co2e_per_t",
        "precursors_indirect_t_co2e_per_t",
        "see_direct_t_co2e_per_t",
        "see_indirect_t_co2e_per_t",
        "see_indirect_counted_t_co2e_per_t",
        "see_total_t_co2e_per_t",
        "see_direct_reported",
        "see_indirect_reported",
        "see_total_reported",
        "default_share_of_total",
        "default_share_20_percent_rule",
        "default_share_of_direct",
        "electricity_mwh_per_t",
    ):
        out[name] = _num(getattr(g, name))
    if g.embedded is not None:
        out["embedded_emissions"] = {k: _num(v) for k, v in asdict(g.embedded).items()}
    if provenance:
        out["provenance"] = provenance_to_json(g.provenance)
    return out


def _product(p: PcfResult, lines: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.id,
        "name": p.name,
        "declared_unit": p.declared_unit,
        "own_kg_co2e": _num(p.own_kg_co2e),
        "pcf_kg_co2e": _num(p.pcf_kg_co2e),
        "biogenic_kg_co2e": _num(p.biogenic_kg_co2e),
        "primary_data_share": _num(p.primary_data_share),
    }
    if lines:
        out["components"] = [
            {
                "id": c.id,
                "quantity": _num(c.quantity),
                "unit": c.unit,
                "pcf_kg_co2e": _num(c.pcf_kg_co2e),
                "contribution_kg_co2e": _num(c.contribution_kg_co2e),
                "biogenic_kg_co2e": _num(c.biogenic_kg_co2e),
                "primary_kg_co2e": _num(c.primary_kg_co2e),
                "source": {
                    "kind": c.source.kind.value,
                    "reference": c.source.reference,
                    **dict(c.source.detail),
                },
            }
            for c in p.components()
        ]
    return out


def result_to_json(result: CalcResult, provenance: bool = True) -> dict[str, Any]:
    """The result as JSON-ready data; `provenance=False` leaves the trees out."""
    o = result.options
    out: dict[str, Any] = {
        "format": RESULT_FORMAT,
        "regime": result.regime.value,
        "installation": {k: v for k, v in asdict(result.installation).items() if v is not None},
        "reporting_period": {"start": result.period_start, "end": result.period_end},
        "options": {
            "waste_gas_electricity": o.waste_gas_electricity.value,
            "see_decimal_places": o.see_decimal_places,
            "import_from_rounded_see": o.import_from_rounded_see,
            "markup_year": o.markup_year,
            "apply_default_markup": o.apply_default_markup,
            "require_verified_supplier_values": o.require_verified_supplier_values,
        },
        "default_values_version": result.default_values_version,
        "direct_emissions_t_co2e": _num(result.direct_emissions_t_co2e),
        "direct_emissions_rounded_t_co2e": _num(rounded(result.direct_emissions_t_co2e, 0)),
        "biomass_emissions_t_co2": _num(result.biomass_emissions_t_co2),
        "source_streams": [_stream(s, provenance) for s in result.streams],
        "processes": [_process(p) for p in result.processes],
        "goods": [_good(g, provenance) for g in result.goods],
        "products": [_product(p, provenance) for p in result.products],
        "notes": list(result.notes),
    }
    return out
