"""Reading source streams and energy flows (heat, waste gases, electricity) of an installation.

Monitoring methods and their parameters follow 2025/2547 Annex II B (Eq. 4-26); heat Annex II C,
electricity Annex II D, waste gases Annex III A.2.3 (CALC.md sections 4-7).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from calc import _units as u
from calc._model import (
    ElectricityConsumption,
    ElectricityProduction,
    HeatFlow,
    Method,
    SourceStream,
    WasteGasFlow,
)
from calc._parse_base import Reader, join

_ATTR = ("process", "attribution")
_COMMON = ("id", "method", "name", *_ATTR)
_METHOD_KEYS: dict[str, tuple[str, ...]] = {
    "combustion": (
        "fuel_quantity",
        "ncv",
        "emission_factor",
        "oxidation_factor",
        "biomass_fraction",
        "waste_gas",
    ),
    "process": (
        "activity_data",
        "emission_factor",
        "conversion_factor",
        "calcination_rate",
        "purity",
        "biomass_fraction",
    ),
    "mass_balance": ("activity_data", "carbon_content", "biomass_fraction"),
    "measurement": ("gas", "emissions", "concentration", "flue_gas_volume", "biomass_fraction"),
    "pfc_slope": (
        "primary_aluminium",
        "anode_effect_frequency",
        "anode_effect_duration",
        "sef_cf4",
        "f_c2f6",
    ),
    "pfc_overvoltage": ("primary_aluminium", "ovc", "aeo", "current_efficiency", "f_c2f6"),
}
_METHOD_REQUIRED: dict[str, tuple[str, ...]] = {
    "combustion": ("fuel_quantity", "emission_factor"),
    "process": ("activity_data", "emission_factor"),
    "mass_balance": ("activity_data", "carbon_content"),
    "measurement": ("gas",),
    "pfc_slope": (
        "primary_aluminium",
        "anode_effect_frequency",
        "anode_effect_duration",
        "sef_cf4",
        "f_c2f6",
    ),
    "pfc_overvoltage": ("primary_aluminium", "ovc", "aeo", "current_efficiency", "f_c2f6"),
}
Params = dict[str, Decimal]


def read_source_streams(
    r: Reader, root: Mapping[str, Any], process_ids: Sequence[str]
) -> tuple[SourceStream, ...]:
    streams: list[SourceStream] = []
    for item, path in r.items(root, "source_streams", ""):
        method = item.get("method") if isinstance(item, Mapping) else None
        if method not in _METHOD_KEYS:
            all_keys = (*_COMMON, *sum(_METHOD_KEYS.values(), ()))
            if r.mapping(item, path, all_keys, ("method",)) and method is not None:
                r.error(join(path, "method"), "must be one of " + ", ".join(_METHOD_KEYS))
            continue
        m = r.mapping(
            item, path, (*_COMMON, *_METHOD_KEYS[method]), ("id", *_METHOD_REQUIRED[method])
        )
        if m is None:
            continue
        stream = _stream(r, m, path, Method(method), process_ids)
        if stream is not None:
            streams.append(stream)
    return tuple(streams)


def _stream(
    r: Reader, m: Mapping[str, Any], path: str, method: Method, process_ids: Sequence[str]
) -> SourceStream | None:
    before = len(r.errors)
    sid = r.text(m, "id", path)
    attribution = r.attribution(m, path, process_ids)
    params: Params = {}
    gas = "CO2"
    if method is Method.COMBUSTION:
        _combustion(r, m, path, params)
    elif method is Method.PROCESS:
        _process(r, m, path, params)
    elif method is Method.MASS_BALANCE:
        _put(params, "activity_data_t", r.quantity(m, "activity_data", path, u.MASS_T, signed=True))
        _put(params, "carbon_content", r.quantity(m, "carbon_content", path, u.CARBON_CONTENT))
        _frac(r, m, path, params, "biomass_fraction")
    elif method is Method.MEASUREMENT:
        gas = _measurement(r, m, path, params)
    else:
        _pfc(r, m, path, params, method)
    if sid is None or len(r.errors) != before:
        return None
    waste_gas = r.boolean(m, "waste_gas", path, False)
    return SourceStream(sid, method, path, attribution, tuple(params.items()), gas, waste_gas)


def _put(params: Params, name: str, found: tuple[Decimal, str] | None) -> None:
    if found is not None:
        params[name] = found[0]


def _frac(r: Reader, m: Mapping[str, Any], path: str, params: Params, key: str) -> None:
    value = r.fraction(m, key, path)
    if value is not None:
        params[key] = value


def _combustion(r: Reader, m: Mapping[str, Any], path: str, params: Params) -> None:
    units = {**u.MASS_T, **u.VOLUME_NM3, **u.ENERGY_TJ}
    fq = r.quantity(m, "fuel_quantity", path, units)
    ef = r.quantity(m, "emission_factor", path, {**u.EF_PER_TJ, **u.EF_PER_T, **u.EF_PER_NM3})
    ncv = r.quantity(m, "ncv", path, {**u.NCV_TJ_PER_T, **u.NCV_TJ_PER_NM3})
    _frac(r, m, path, params, "oxidation_factor")
    _frac(r, m, path, params, "biomass_fraction")
    if fq is None or ef is None:
        return
    fq_dim = "t" if fq[1] in u.MASS_T else "Nm3" if fq[1] in u.VOLUME_NM3 else "TJ"
    ef_dim = "TJ" if ef[1] in u.EF_PER_TJ else "t" if ef[1] in u.EF_PER_T else "Nm3"
    if ef_dim == "TJ" and fq_dim != "TJ":
        if ncv is None and "ncv" in m:
            return
        if ncv is None:
            r.error(
                join(path, "ncv"),
                f"required when fuel_quantity is in '{fq[1]}' and "
                f"emission_factor is per TJ (Eq. 6)",
            )
            return
        ncv_dim = "t" if ncv[1] in u.NCV_TJ_PER_T else "Nm3"
        if ncv_dim != fq_dim:
            r.error(
                join(join(path, "ncv"), "unit"),
                f"unit '{ncv[1]}' does not match fuel_quantity unit '{fq[1]}'",
            )
            return
        params["energy_tj"] = fq[0] * ncv[0]
        params["ncv"] = ncv[0]
    elif ef_dim != fq_dim:
        r.error(
            join(join(path, "emission_factor"), "unit"),
            f"unit '{ef[1]}' does not match fuel_quantity unit '{fq[1]}'",
        )
        return
    elif ef_dim == "TJ":
        if ncv is not None:
            r.error(join(path, "ncv"), f"not used: fuel_quantity is already energy ('{fq[1]}')")
            return
        params["energy_tj"] = fq[0]
    params["fuel_quantity"] = fq[0]
    params["emission_factor"] = ef[0]


def _process(r: Reader, m: Mapping[str, Any], path: str, params: Params) -> None:
    _put(params, "activity_data_t", r.quantity(m, "activity_data", path, u.MASS_T))
    _put(params, "emission_factor", r.quantity(m, "emission_factor", path, u.EF_PER_T))
    if "conversion_factor" in m and "calcination_rate" in m:
        r.error(
            join(path, "calcination_rate"),
            "give either conversion_factor or calcination_rate (both are CF of Eq. 11)",
        )
        return
    for key in ("conversion_factor", "calcination_rate", "purity", "biomass_fraction"):
        _frac(r, m, path, params, key)


def _measurement(r: Reader, m: Mapping[str, Any], path: str, params: Params) -> str:
    gas = r.choice(m, "gas", path, ("CO2", "N2O")) or "CO2"
    if "emissions" in m:
        if "concentration" in m or "flue_gas_volume" in m:
            r.error(
                join(path, "concentration"),
                "give either emissions or concentration and flue_gas_volume",
            )
        _put(params, "gas_t", r.quantity(m, "emissions", path, u.MASS_T))
    else:
        for key in ("concentration", "flue_gas_volume"):
            if key not in m:
                r.error(join(path, key), "required value is missing (or give emissions)")
        conc = r.quantity(m, "concentration", path, u.CONCENTRATION_G_PER_NM3)
        vol = r.quantity(m, "flue_gas_volume", path, u.VOLUME_NM3)
        if conc is not None and vol is not None:
            params["concentration"], params["flue_gas_volume"] = conc[0], vol[0]
    _frac(r, m, path, params, "biomass_fraction")
    if gas == "N2O" and "biomass_fraction" in params:
        r.error(join(path, "biomass_fraction"), "not applicable to N2O")
    return gas


def _pfc(r: Reader, m: Mapping[str, Any], path: str, params: Params, method: Method) -> None:
    _put(params, "primary_aluminium_t", r.quantity(m, "primary_aluminium", path, u.MASS_T))
    _frac(r, m, path, params, "f_c2f6")
    if method is Method.PFC_SLOPE:
        _put(params, "aef", r.quantity(m, "anode_effect_frequency", path, u.PER_CELL_DAY))
        _put(params, "aed_min", r.quantity(m, "anode_effect_duration", path, u.MINUTES))
        _put(params, "sef_cf4", r.quantity(m, "sef_cf4", path, u.SEF_CF4))
    else:
        _put(params, "ovc", r.quantity(m, "ovc", path, u.OVC_CF4))
        _put(params, "aeo_mv", r.quantity(m, "aeo", path, u.MILLIVOLT))
        ce = r.fraction(m, "current_efficiency", path)
        if ce is not None and ce == 0:
            r.error(join(path, "current_efficiency"), "must be greater than 0")
        elif ce is not None:
            params["current_efficiency"] = ce


def read_heat(
    r: Reader, root: Mapping[str, Any], process_ids: Sequence[str]
) -> tuple[tuple[HeatFlow, ...], tuple[HeatFlow, ...]]:
    """Measured net heat imported into / exported from the installation (Annex II C)."""
    heat = root.get("heat")
    if heat is None or r.mapping(heat, "heat", ("imports", "exports")) is None:
        return (), ()
    flows: dict[str, list[HeatFlow]] = {"imports": [], "exports": []}
    for key in flows:
        for item, path in r.items(heat, key, "heat"):
            m = r.mapping(
                item, path, ("id", "quantity", "emission_factor", *_ATTR), ("id", "quantity")
            )
            if m is None:
                continue
            before = len(r.errors)
            hid = r.text(m, "id", path)
            q = r.quantity(m, "quantity", path, u.ENERGY_TJ)
            ef = r.quantity(m, "emission_factor", path, u.EF_PER_TJ)
            shares = r.attribution(m, path, process_ids)
            if hid is not None and q is not None and len(r.errors) == before:
                flows[key].append(HeatFlow(hid, path, q[0], None if ef is None else ef[0], shares))
    return tuple(flows["imports"]), tuple(flows["exports"])


def read_waste_gases(
    r: Reader, root: Mapping[str, Any], process_ids: Sequence[str]
) -> tuple[tuple[WasteGasFlow, ...], tuple[WasteGasFlow, ...]]:
    """Waste gases received / exported (Annex III A.2.3, Eq. 53-54)."""
    wg = root.get("waste_gases")
    if wg is None or r.mapping(wg, "waste_gases", ("imports", "exports")) is None:
        return (), ()
    flows: dict[str, list[WasteGasFlow]] = {"imports": [], "exports": []}
    for key in flows:
        for item, path in r.items(wg, key, "waste_gases"):
            m = r.mapping(item, path, ("id", "energy", "volume", "ncv", *_ATTR), ("id",))
            if m is None:
                continue
            before = len(r.errors)
            wid = r.text(m, "id", path)
            energy = _wg_energy(r, m, path)
            shares = r.attribution(m, path, process_ids)
            if wid is not None and energy is not None and len(r.errors) == before:
                flows[key].append(WasteGasFlow(wid, path, energy, shares))
    return tuple(flows["imports"]), tuple(flows["exports"])


def _wg_energy(r: Reader, m: Mapping[str, Any], path: str) -> Decimal | None:
    if "energy" in m:
        if "volume" in m or "ncv" in m:
            r.error(join(path, "volume"), "give either energy or volume and ncv")
            return None
        found = r.quantity(m, "energy", path, u.ENERGY_TJ)
        return None if found is None else found[0]
    for key in ("volume", "ncv"):
        if key not in m:
            r.error(join(path, key), "required value is missing (or give energy)")
    vol = r.quantity(m, "volume", path, u.VOLUME_NM3)
    ncv = r.quantity(m, "ncv", path, u.NCV_TJ_PER_NM3)
    return None if vol is None or ncv is None else vol[0] * ncv[0]


def read_electricity(
    r: Reader, root: Mapping[str, Any], process_ids: Sequence[str]
) -> tuple[tuple[ElectricityProduction, ...], tuple[ElectricityConsumption, ...]]:
    """Electricity produced inside the installation and consumed by processes (Annex II D)."""
    el = root.get("electricity")
    if el is None or r.mapping(el, "electricity", ("production", "consumption")) is None:
        return (), ()
    produced = [
        p
        for item, path in r.items(el, "production", "electricity")
        if (p := _production(r, item, path, process_ids)) is not None
    ]
    ids = [p.id for p in produced]
    consumed = [
        c
        for item, path in r.items(el, "consumption", "electricity")
        if (c := _consumption(r, item, path, process_ids, ids)) is not None
    ]
    return tuple(produced), tuple(consumed)


def _production(
    r: Reader, item: Any, path: str, process_ids: Sequence[str]
) -> ElectricityProduction | None:
    keys = (
        "id",
        "net_output",
        "fuel_input",
        "fuel_emission_factor",
        "waste_gas",
        "emission_factor",
        *_ATTR,
    )
    m = r.mapping(item, path, keys, ("id", "net_output", "fuel_input", "fuel_emission_factor"))
    if m is None:
        return None
    before = len(r.errors)
    pid = r.text(m, "id", path)
    out = r.quantity(m, "net_output", path, u.ELECTRICITY_MWH)
    fuel = r.quantity(m, "fuel_input", path, u.ENERGY_TJ)
    fuel_ef = r.quantity(m, "fuel_emission_factor", path, u.EF_PER_TJ)
    ef = r.quantity(m, "emission_factor", path, u.EF_PER_MWH)
    waste_gas = r.boolean(m, "waste_gas", path, False)
    shares = r.attribution(m, path, process_ids)
    if out is not None and out[0] == 0:
        r.error(join(path, "net_output"), "must be greater than 0")
    if pid is None or out is None or fuel is None or fuel_ef is None or len(r.errors) != before:
        return None
    return ElectricityProduction(
        pid, path, out[0], fuel[0], fuel_ef[0], waste_gas, None if ef is None else ef[0], shares
    )


_EL_SOURCES = ("grid", "ppa", "direct_link", "own_generation")


def _consumption(
    r: Reader, item: Any, path: str, process_ids: Sequence[str], production_ids: Sequence[str]
) -> ElectricityConsumption | None:
    keys = ("id", "quantity", "source", "emission_factor", "production", *_ATTR)
    m = r.mapping(item, path, keys, ("id", "quantity", "source"))
    if m is None:
        return None
    before = len(r.errors)
    cid = r.text(m, "id", path)
    q = r.quantity(m, "quantity", path, u.ELECTRICITY_MWH)
    source = r.choice(m, "source", path, _EL_SOURCES)
    ef = r.quantity(m, "emission_factor", path, u.EF_PER_MWH)
    production = r.text(m, "production", path)
    shares = r.attribution(m, path, process_ids)
    if source == "own_generation":
        if production is None and "production" not in m:
            r.error(join(path, "production"), "required for source own_generation")
        elif production is not None and production not in production_ids:
            r.error(join(path, "production"), f"unknown electricity production '{production}'")
    elif source is not None and ef is None and "emission_factor" not in m:
        r.error(join(path, "emission_factor"), f"required for source {source} (Eq. 35)")
    if cid is None or q is None or source is None or len(r.errors) != before:
        return None
    return ElectricityConsumption(
        cid, path, q[0], source, None if ef is None else ef[0], production, shares
    )
