"""Direct emissions of one source stream, per monitoring method (2025/2547 Annex II B).

Each function returns (fossil t CO2e, biomass t CO2, provenance). Biomass carbon is zero-rated
and reported beside the total (Annex II B.3.3; CALC.md section 4).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from calc import _units as u
from calc._model import Method, SourceStream
from calc._parse_base import join
from calc._provenance import Provenance, derived, own, standard

T = "t CO2e"
_ONE = Decimal(1)
Emission = tuple[Decimal, Decimal, Provenance]


def _p(s: SourceStream, name: str, unit: str, key: str | None = None) -> Provenance:
    value = s.param(name)
    assert value is not None  # guaranteed by the parser
    return own(name, value, unit, join(s.ref, key or name))


def _opt(s: SourceStream, name: str, default: Decimal = _ONE) -> Provenance:
    value = s.param(name)
    if value is None:
        return standard(name, default, "1", "2025/2547 Annex II B (conservative default)")
    return own(name, value, "1", join(s.ref, name))


def _split(s: SourceStream, total: Provenance, formula: str) -> Emission:
    bf = s.param("biomass_fraction", Decimal(0)) or Decimal(0)
    fossil = total.value * (_ONE - bf)
    biomass = total.value - fossil
    bf_node = _opt(s, "biomass_fraction", Decimal(0))
    node = derived(
        f"emissions[{s.id}]",
        fossil,
        T,
        formula + "; fossil part x (1 - BF) (Eq. 10 / 15)",
        total,
        bf_node,
    )
    return fossil, biomass, node


def combustion(s: SourceStream) -> Emission:
    ef, of = s.param("emission_factor"), s.param("oxidation_factor", _ONE)
    assert ef is not None and of is not None
    energy = s.param("energy_tj")
    if energy is not None:
        ncv = s.param("ncv")
        e_node = (
            derived(
                "activity_data_tj",
                energy,
                "TJ",
                "2025/2547 Annex II Eq. 6: FQ x NCV",
                _p(s, "fuel_quantity", "t|Nm3"),
                _p(s, "ncv", "TJ/t|TJ/Nm3"),
            )
            if ncv is not None
            else _p(s, "fuel_quantity", "TJ")
        )
        ef_unit = "t CO2/TJ"
    else:
        energy = s.param("fuel_quantity")
        assert energy is not None
        e_node, ef_unit = _p(s, "fuel_quantity", "t|Nm3"), "t CO2/t|t CO2/Nm3"
    total = energy * ef * of
    node = derived(
        "emissions_before_biomass",
        total,
        T,
        "2025/2547 Annex II Eq. 5: AD x EF x OF",
        e_node,
        _p(s, "emission_factor", ef_unit),
        _opt(s, "oxidation_factor"),
    )
    return _split(s, node, "combustion")


def process(s: SourceStream) -> Emission:
    ad, ef = s.param("activity_data_t"), s.param("emission_factor")
    assert ad is not None and ef is not None
    purity = s.param("purity", _ONE) or _ONE
    cf_name = "calcination_rate" if s.param("calcination_rate") is not None else "conversion_factor"
    cf = s.param(cf_name, _ONE) or _ONE
    node = derived(
        "emissions_before_biomass",
        ad * purity * ef * cf,
        T,
        "2025/2547 Annex II Eq. 11: AD x purity x EF x CF (Method A, K-ETS form)",
        _p(s, "activity_data_t", "t", "activity_data"),
        _opt(s, "purity"),
        _p(s, "emission_factor", "t CO2/t"),
        _opt(s, cf_name),
    )
    return _split(s, node, "process")


def mass_balance(s: SourceStream) -> Emission:
    ad, cc = s.param("activity_data_t"), s.param("carbon_content")
    assert ad is not None and cc is not None
    f = standard("f", u.CARBON_TO_CO2, "t CO2/t C", "2025/2547 Annex II Eq. 12")
    node = derived(
        "emissions_before_biomass",
        u.CARBON_TO_CO2 * ad * cc,
        T,
        "2025/2547 Annex II Eq. 12: f x AD x CC (AD < 0 for outputs)",
        f,
        _p(s, "activity_data_t", "t", "activity_data"),
        _p(s, "carbon_content", "t C/t"),
    )
    return _split(s, node, "mass balance")


def measurement(s: SourceStream) -> Emission:
    mass = s.param("gas_t")
    if mass is not None:
        m_node = _p(s, "gas_t", f"t {s.gas}", "emissions")
    else:
        conc, vol = s.param("concentration"), s.param("flue_gas_volume")
        assert conc is not None and vol is not None
        mass = conc * vol / Decimal(1_000_000)
        m_node = derived(
            "gas_t",
            mass,
            f"t {s.gas}",
            "2025/2547 Annex II Eq. 16: conc x V x 1e-6",
            _p(s, "concentration", "g/Nm3"),
            _p(s, "flue_gas_volume", "Nm3"),
        )
    if s.gas == "N2O":
        rounded = mass.quantize(Decimal("0.001"))
        gwp = standard("GWP_N2O", u.GWP["N2O"], "t CO2e/t", "2025/2547 Annex II G Table 6")
        node = derived(
            f"emissions[{s.id}]",
            rounded * u.GWP["N2O"],
            T,
            "2025/2547 Annex II Eq. 18: N2O [t, 3 dp] x GWP",
            m_node,
            gwp,
        )
        return node.value, Decimal(0), node
    return _split(s, m_node, "2025/2547 Annex II B.6 measurement-based")


def pfc(s: SourceStream) -> Emission:
    pr, f = s.param("primary_aluminium_t"), s.param("f_c2f6")
    assert pr is not None and f is not None
    pr_node = _p(s, "primary_aluminium_t", "t", "primary_aluminium")
    if s.method is Method.PFC_SLOPE:
        aef, aed, sef = s.param("aef"), s.param("aed_min"), s.param("sef_cf4")
        assert aef is not None and aed is not None and sef is not None
        cf4 = aef * aed * sef / Decimal(1000) * pr
        cf4_node = derived(
            "cf4_t",
            cf4,
            "t CF4",
            "2025/2547 Annex II Eq. 21-23: AEF x AED x SEF/1000 x Pr_Al",
            _p(s, "aef", "1/cell-day", "anode_effect_frequency"),
            _p(s, "aed_min", "min", "anode_effect_duration"),
            _p(s, "sef_cf4", "kg CF4/t Al/(AE-min/cell-day)"),
            pr_node,
        )
    else:
        ovc, aeo, ce = s.param("ovc"), s.param("aeo_mv"), s.param("current_efficiency")
        assert ovc is not None and aeo is not None and ce is not None
        cf4 = ovc * (aeo / (ce * 100)) * pr / Decimal(1000)
        cf4_node = derived(
            "cf4_t",
            cf4,
            "t CF4",
            "2025/2547 Annex II Eq. 24: OVC x AEO/CE[%] x Pr_Al x 0.001",
            _p(s, "ovc", "kg CF4/t Al/mV"),
            _p(s, "aeo_mv", "mV", "aeo"),
            _p(s, "current_efficiency", "1"),
            pr_node,
        )
    c2f6 = cf4 * f
    c2f6_node = derived(
        "c2f6_t",
        c2f6,
        "t C2F6",
        "2025/2547 Annex II Eq. 22 / 25: CF4 x F_C2F6",
        cf4_node,
        _p(s, "f_c2f6", "1"),
    )
    total = cf4 * u.GWP["CF4"] + c2f6 * u.GWP["C2F6"]
    node = derived(
        f"emissions[{s.id}]",
        total,
        T,
        "2025/2547 Annex II Eq. 26: CF4 x 6630 + C2F6 x 11100",
        cf4_node,
        c2f6_node,
    )
    return total, Decimal(0), node


METHODS: dict[Method, Callable[[SourceStream], Emission]] = {
    Method.COMBUSTION: combustion,
    Method.PROCESS: process,
    Method.MASS_BALANCE: mass_balance,
    Method.MEASUREMENT: measurement,
    Method.PFC_SLOPE: pfc,
    Method.PFC_OVERVOLTAGE: pfc,
}
