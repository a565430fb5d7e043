"""JSON Schema (draft 2020-12) of the calculation input file (`carbonspace calc --schema`).

The schema states shapes, units and ranges; rules across fields (unit pairs, attribution sums,
cycles, CN codes in scope) are checked by `parse_input`, which is the reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from calc import _units as u

_NUMBER_TEXT = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
_NUM: dict[str, Any] = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _NUMBER_TEXT}]}
_STR: dict[str, Any] = {"type": "string", "minLength": 1}


def _obj(props: Mapping[str, Any], required: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(props),
        "required": list(required),
        "additionalProperties": False,
    }


def _q(units: Iterable[str]) -> dict[str, Any]:
    return _obj({"value": _NUM, "unit": {"enum": list(units)}}, ("value", "unit"))


def _frac() -> dict[str, Any]:
    text = {"type": "string", "pattern": r"^(0(\.[0-9]+)?|1(\.0+)?)$"}
    return {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, text, _q(u.FRACTION)]}


def _attr() -> dict[str, Any]:
    share = _obj({"process": _STR, "share": _frac()}, ("process", "share"))
    return {"process": _STR, "attribution": {"type": "array", "items": share, "minItems": 1}}


def _stream() -> dict[str, Any]:
    base = {"id": _STR, "name": _STR, **_attr()}
    fq = _q([*u.MASS_T, *u.VOLUME_NM3, *u.ENERGY_TJ])
    methods = {
        "combustion": (
            {
                "fuel_quantity": fq,
                "ncv": _q([*u.NCV_TJ_PER_T, *u.NCV_TJ_PER_NM3]),
                "emission_factor": _q([*u.EF_PER_TJ, *u.EF_PER_T, *u.EF_PER_NM3]),
                "oxidation_factor": _frac(),
                "biomass_fraction": _frac(),
                "waste_gas": {"type": "boolean"},
            },
            ("fuel_quantity", "emission_factor"),
        ),
        "process": (
            {
                "activity_data": _q(u.MASS_T),
                "emission_factor": _q(u.EF_PER_T),
                "conversion_factor": _frac(),
                "calcination_rate": _frac(),
                "purity": _frac(),
                "biomass_fraction": _frac(),
            },
            ("activity_data", "emission_factor"),
        ),
        "mass_balance": (
            {
                "activity_data": _q(u.MASS_T),
                "carbon_content": _q(u.CARBON_CONTENT),
                "biomass_fraction": _frac(),
            },
            ("activity_data", "carbon_content"),
        ),
        "measurement": (
            {
                "gas": {"enum": ["CO2", "N2O"]},
                "emissions": _q(u.MASS_T),
                "concentration": _q(u.CONCENTRATION_G_PER_NM3),
                "flue_gas_volume": _q(u.VOLUME_NM3),
                "biomass_fraction": _frac(),
            },
            ("gas",),
        ),
        "pfc_slope": (
            {
                "primary_aluminium": _q(u.MASS_T),
                "anode_effect_frequency": _q(u.PER_CELL_DAY),
                "anode_effect_duration": _q(u.MINUTES),
                "sef_cf4": _q(u.SEF_CF4),
                "f_c2f6": _frac(),
            },
            (
                "primary_aluminium",
                "anode_effect_frequency",
                "anode_effect_duration",
                "sef_cf4",
                "f_c2f6",
            ),
        ),
        "pfc_overvoltage": (
            {
                "primary_aluminium": _q(u.MASS_T),
                "ovc": _q(u.OVC_CF4),
                "aeo": _q(u.MILLIVOLT),
                "current_efficiency": _frac(),
                "f_c2f6": _frac(),
            },
            ("primary_aluminium", "ovc", "aeo", "current_efficiency", "f_c2f6"),
        ),
    }
    return {
        "oneOf": [
            _obj({**base, "method": {"const": name}, **props}, ("id", "method", *req))
            for name, (props, req) in methods.items()
        ]
    }


def _see() -> dict[str, Any]:
    return _obj(
        {
            "direct": _NUM,
            "indirect": _NUM,
            "unit": {"enum": [f"t CO2e/{fu}" for fu in u.FUNCTIONAL_UNIT_AMOUNTS]},
            "source_id": _STR,
            "version": _STR,
            "verified": {"type": "boolean"},
            "reporting_period": _STR,
        },
        ("direct", "unit", "source_id"),
    )


def _supplier() -> dict[str, Any]:
    return _obj({"participant_id": _STR, "product_id": _STR}, ("participant_id", "product_id"))


def _processes() -> dict[str, Any]:
    amounts = [k for group in u.FUNCTIONAL_UNIT_AMOUNTS.values() for k in group]
    cn_code = {"type": "string", "pattern": r"^[0-9]{4}( ?[0-9]{2}){0,3}$"}
    good = _obj(
        {
            "id": _STR,
            "cn_code": cn_code,
            "name": _STR,
            "activity_level": _q(u.MASS_T),
            "clinker_content": _frac(),
            "nitrogen_content": _q(u.NITROGEN_KG_PER_T),
        },
        ("id", "cn_code", "activity_level"),
    )
    precursor = _obj(
        {
            "id": _STR,
            "name": _STR,
            "kind": {"enum": ["own", "purchased"]},
            "mass": _q(amounts),
            "from_process": _STR,
            "cn_code": good["properties"]["cn_code"],
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "origin": {"enum": ["third_country", "eu", "ets_linked"]},
            "supplier": _supplier(),
            "see": _see(),
        },
        ("id", "kind", "mass"),
    )
    output = _obj(
        {
            "name": _STR,
            "kind": {"enum": ["off_spec", "by_product", "waste", "scrap"]},
            "mass": _q(u.MASS_T),
        },
        ("name", "kind", "mass"),
    )
    internal = _obj({"name": _STR, "mass": _q(u.MASS_T)}, ("name", "mass"))
    process = _obj(
        {
            "id": _STR,
            "name": _STR,
            "joint_process": {"type": "boolean"},
            "non_cbam": {"type": "boolean"},
            "goods": {"type": "array", "items": good},
            "precursors": {"type": "array", "items": precursor},
            "internal_precursors": {"type": "array", "items": internal},
            "excluded_outputs": {"type": "array", "items": output},
        },
        ("id",),
    )
    return {"type": "array", "items": process}


def _energy() -> dict[str, Any]:
    heat = _obj(
        {"id": _STR, "quantity": _q(u.ENERGY_TJ), "emission_factor": _q(u.EF_PER_TJ), **_attr()},
        ("id", "quantity"),
    )
    wg = _obj(
        {
            "id": _STR,
            "energy": _q(u.ENERGY_TJ),
            "volume": _q(u.VOLUME_NM3),
            "ncv": _q(u.NCV_TJ_PER_NM3),
            **_attr(),
        },
        ("id",),
    )
    prod = _obj(
        {
            "id": _STR,
            "net_output": _q(u.ELECTRICITY_MWH),
            "fuel_input": _q(u.ENERGY_TJ),
            "fuel_emission_factor": _q(u.EF_PER_TJ),
            "waste_gas": {"type": "boolean"},
            "emission_factor": _q(u.EF_PER_MWH),
            **_attr(),
        },
        ("id", "net_output", "fuel_input", "fuel_emission_factor"),
    )
    cons = _obj(
        {
            "id": _STR,
            "quantity": _q(u.ELECTRICITY_MWH),
            "source": {"enum": ["grid", "ppa", "direct_link", "own_generation"]},
            "emission_factor": _q(u.EF_PER_MWH),
            "production": _STR,
            **_attr(),
        },
        ("id", "quantity", "source"),
    )

    def arr(item: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": item}

    return {
        "heat": _obj({"imports": arr(heat), "exports": arr(heat)}),
        "waste_gases": _obj({"imports": arr(wg), "exports": arr(wg)}),
        "electricity": _obj({"production": arr(prod), "consumption": arr(cons)}),
    }


def _products() -> dict[str, Any]:
    du = list(u.DECLARED_UNITS)
    pcf = _obj(
        {
            "value": _NUM,
            "biogenic": _NUM,
            "unit": {"enum": [f"kg CO2e/{d}" for d in du]},
            "primary_data_share": _frac(),
            "source_id": _STR,
            "version": _STR,
            "data_type": {"enum": ["primary", "secondary"]},
            "verified": {"type": "boolean"},
        },
        ("value", "unit"),
    )
    comp = _obj(
        {
            "id": _STR,
            "name": _STR,
            "quantity": _q(du),
            "product": _STR,
            "supplier": _supplier(),
            "pcf": pcf,
        },
        ("id", "quantity"),
    )
    per = _q([f"kg CO2e/{d}" for d in du])
    product = _obj(
        {
            "id": _STR,
            "name": _STR,
            "declared_unit": {"enum": du},
            "gate_to_gate": per,
            "own_biogenic": per,
            "own_emissions": _q(u.PCF_EMISSIONS_KG),
            "output": _q(du),
            "components": {"type": "array", "items": comp},
        },
        ("id", "declared_unit"),
    )
    return {"type": "array", "items": product}


def input_json_schema() -> dict[str, Any]:
    """The JSON Schema of an input file (installation and/or bill of materials)."""
    options = _obj(
        {
            "waste_gas_electricity": {"enum": ["el_prod_deduction", "waste_gas_export"]},
            "see_decimal_places": {"type": "integer", "minimum": 0, "maximum": 5},
            "import_from_rounded_see": {"type": "boolean"},
            "markup_year": {"type": "integer", "minimum": 2026, "maximum": 2100},
            "apply_default_markup": {"type": "boolean"},
            "require_verified_supplier_values": {"type": "boolean"},
        }
    )
    date = {"type": "string", "format": "date"}
    schema = _obj(
        {
            "$schema": {"type": "string"},
            "format": {"const": "carbonspace-calc/1"},
            "description": {"type": "string"},
            "regime": {"enum": ["transitional", "definitive"]},
            "installation": _obj(
                {
                    "id": _STR,
                    "name": _STR,
                    "address": _STR,
                    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "unlocode": {"type": "string", "pattern": "^[A-Z]{2} ?[A-Z2-9]{3}$"},
                },
                ("id", "name", "country"),
            ),
            "reporting_period": _obj({"start": date, "end": date}, ("start", "end")),
            "options": options,
            "source_streams": {"type": "array", "items": _stream()},
            **_energy(),
            "processes": _processes(),
            "products": _products(),
        },
        ("regime", "installation", "reporting_period"),
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://carbonspace.example/schemas/calc-input-1.json"
    schema["title"] = "carbonspace calculation input (installation / bill of materials)"
    schema["anyOf"] = [{"required": ["processes"]}, {"required": ["products"]}]
    return schema
