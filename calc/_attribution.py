"""Installation emissions and their attribution to production processes (Eq. 4, 35-38, 52-56).

Every source stream, heat and waste-gas flow and electricity flow is attributed to exactly one
process or split by shares summing to 100 % (Annex III A, "100 % rule"), so the sum of DirEm*
over processes equals the installation's direct emissions (CALC.md section 8).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from calc import _units as u
from calc._emissions import METHODS
from calc._model import CalcInput, ElectricityProduction, Share, WasteGasElectricity
from calc._parse_base import join
from calc._provenance import Provenance, Source, SourceKind, derived, own, standard
from calc._result import StreamResult

T = "t CO2e"
_ZERO = Decimal(0)


@dataclass
class Bucket:
    """Terms of Eq. 55-56 for one process, with the provenance of each term."""

    terms: dict[str, list[Provenance]] = field(default_factory=dict)
    electricity_mwh: Decimal = _ZERO

    def add(self, term: str, node: Provenance) -> None:
        self.terms.setdefault(term, []).append(node)

    def total(self, term: str) -> Decimal:
        return sum((n.value for n in self.terms.get(term, [])), _ZERO)

    def node(self, term: str, label: str, unit: str, formula: str) -> Provenance:
        return derived(label, self.total(term), unit, formula, *self.terms.get(term, []))


def _share(node: Provenance, share: Share, ref: str) -> Provenance:
    if share.fraction == 1:
        return node
    leaf = own("attribution_share", share.fraction, "1", join(ref, "attribution"))
    return derived(
        f"{node.quantity}[{share.process_id}]",
        node.value * share.fraction,
        node.unit,
        "2025/2547 Annex III A.2: attributed share",
        node,
        leaf,
    )


def _spread(
    buckets: dict[str, Bucket], term: str, node: Provenance, shares: Sequence[Share], ref: str
) -> None:
    for share in shares:
        buckets[share.process_id].add(term, _share(node, share, ref))


def streams(model: CalcInput, buckets: dict[str, Bucket]) -> tuple[StreamResult, ...]:
    """Direct emissions per source stream (Eq. 4), attributed to processes as DirEm*."""
    out = []
    for s in model.source_streams:
        fossil, biomass, node = METHODS[s.method](s)
        out.append(StreamResult(s.id, s.method.value, s.gas, fossil, biomass, node))
        _spread(buckets, "dir", node, s.attribution, s.ref)
    return tuple(out)


def heat(model: CalcInput, buckets: dict[str, Bucket]) -> None:
    """Em_H,imp and Em_H,exp = Q x EF_heat (Annex III A.2.2; standard 56.1 / 0.9 t CO2/TJ)."""
    for term, flows in (("heat_imp", model.heat_imports), ("heat_exp", model.heat_exports)):
        for h in flows:
            if h.emission_factor_t_per_tj is None:
                ef = standard(
                    "EF_heat",
                    u.HEAT_STANDARD_EF_T_PER_TJ,
                    "t CO2/TJ",
                    "2025/2547 Annex III A.2.2: natural gas at 90 % boiler efficiency",
                )
            else:
                ef = own(
                    "EF_heat",
                    h.emission_factor_t_per_tj,
                    "t CO2/TJ",
                    join(h.ref, "emission_factor"),
                )
            q = own("Q_heat", h.quantity_tj, "TJ", join(h.ref, "quantity"))
            node = derived(
                f"{term}[{h.id}]",
                q.value * ef.value,
                T,
                "2025/2547 Annex II C, 'Eq. 52' (second): Em_H = Q x EF_heat",
                q,
                ef,
            )
            _spread(buckets, term, node, h.attribution, h.ref)


def waste_gases(model: CalcInput, buckets: dict[str, Bucket]) -> None:
    """WG_corr,imp (Eq. 53) and WG_corr,exp (Eq. 54) valued at the natural-gas EF."""
    ef = standard("EF_NG", u.EF_NATURAL_GAS_T_PER_TJ, "t CO2/TJ", "2025/2547 Annex II G Table 1")
    eta = standard("Corr_eta", u.CORR_ETA, "1", "2025/2547 Annex III Eq. 54")
    for w in model.waste_gas_imports:
        e = own("E_WG", w.energy_tj, "TJ", w.ref)
        node = derived(
            f"wg_imp[{w.id}]",
            w.energy_tj * ef.value,
            T,
            "2025/2547 Annex III Eq. 53: V x NCV x EF_NG",
            e,
            ef,
        )
        _spread(buckets, "wg_imp", node, w.attribution, w.ref)
    for w in model.waste_gas_exports:
        e = own("E_WG", w.energy_tj, "TJ", w.ref)
        node = derived(
            f"wg_exp[{w.id}]",
            w.energy_tj * ef.value * eta.value,
            T,
            "2025/2547 Annex III Eq. 54: V x NCV x EF_NG x Corr_eta",
            e,
            ef,
            eta,
        )
        _spread(buckets, "wg_exp", node, w.attribution, w.ref)


def _fuel_ef(p: ElectricityProduction) -> Provenance:
    stated = own(
        "EF_fuel", p.fuel_emission_factor_t_per_tj, "t CO2/TJ", join(p.ref, "fuel_emission_factor")
    )
    if p.waste_gas and p.fuel_emission_factor_t_per_tj > u.EF_NATURAL_GAS_T_PER_TJ:
        return derived(
            "EF_fuel_capped",
            u.EF_NATURAL_GAS_T_PER_TJ,
            "t CO2/TJ",
            "2025/2547 Annex II D.4.1: waste gas EF capped at natural gas (56.1)",
            stated,
        )
    return stated


def electricity(model: CalcInput, buckets: dict[str, Bucket]) -> None:
    """Em_el,prod deduction (Eq. 55) or WG_corr,exp (option), and Em_el,cons (Eq. 35, 56)."""
    option = model.options.waste_gas_electricity
    source = Source(SourceKind.OPTION, "options.waste_gas_electricity", (("value", option.value),))
    opt = Provenance("waste_gas_electricity", _ZERO, "option", source=source)
    own_ef = {p.id: _production(p, option, opt, buckets) for p in model.electricity_production}
    for c in model.electricity_consumption:
        q = own("E_el", c.quantity_mwh, "MWh", join(c.ref, "quantity"))
        if c.source == "own_generation" and c.emission_factor_t_per_mwh is None:
            ef = own_ef[c.production_id or ""]
        else:
            value = c.emission_factor_t_per_mwh or _ZERO
            ef = own("EF_el", value, "t CO2/MWh", join(c.ref, "emission_factor"))
        formula = f"2025/2547 Annex II Eq. 35: E_el x EF_el (source {c.source}, Art. 9)"
        node = derived(f"Em_el[{c.id}]", q.value * ef.value, T, formula, q, ef)
        _spread(buckets, "el_cons", node, c.attribution, c.ref)
        for share in c.attribution:
            buckets[share.process_id].electricity_mwh += c.quantity_mwh * share.fraction


def _production(
    p: ElectricityProduction,
    option: WasteGasElectricity,
    opt: Provenance,
    buckets: dict[str, Bucket],
) -> Provenance:
    """Deduct one plant's emissions from its process; its EF for own consumption (Eq. 38)."""
    fuel = own("fuel_input", p.fuel_input_tj, "TJ", join(p.ref, "fuel_input"))
    ef = _fuel_ef(p)
    formula = "2025/2547 Annex II Eq. 38 numerator: E_in x EF_fuel"
    em = derived(f"Em_el_prod[{p.id}]", p.fuel_input_tj * ef.value, T, formula, fuel, ef)
    if p.waste_gas and option is WasteGasElectricity.WASTE_GAS_EXPORT:
        eta = standard("Corr_eta", u.CORR_ETA, "1", "2025/2547 Annex III Eq. 54")
        value = p.fuel_input_tj * u.EF_NATURAL_GAS_T_PER_TJ * u.CORR_ETA
        formula = "2025/2547 Annex III Eq. 54: E_WG x EF_NG x Corr_eta (option waste_gas_export)"
        ded = derived(f"wg_exp[{p.id}]", value, T, formula, fuel, ef, eta, opt)
        _spread(buckets, "wg_exp", ded, p.attribution, p.ref)
    else:
        formula = "2025/2547 Annex III Eq. 55: Em_el,prod (option el_prod_deduction)"
        ded = derived(f"Em_el_prod[{p.id}]", em.value, T, formula, em, opt)
        _spread(buckets, "el_prod", ded, p.attribution, p.ref)
    if p.emission_factor_t_per_mwh is not None:
        path = join(p.ref, "emission_factor")
        return own("EF_el", p.emission_factor_t_per_mwh, "t CO2/MWh", path)
    out = own("net_output", p.net_output_mwh, "MWh", join(p.ref, "net_output"))
    formula = "2025/2547 Annex II Eq. 38: Em / El_prod"
    return derived("EF_el", em.value / p.net_output_mwh, "t CO2/MWh", formula, em, out)


def attributed(bucket: Bucket, pid: str) -> tuple[Provenance, Provenance]:
    """AttrEm_dir (Eq. 55, not below 0) and AttrEm_ind (Eq. 56) of one process."""
    parts = [
        bucket.node(
            "dir", f"DirEm*[{pid}]", T, "2025/2547 Annex III A: sum of attributed source streams"
        ),
        bucket.node("heat_imp", "Em_H_imp", T, "sum of heat imports"),
        bucket.node("heat_exp", "Em_H_exp", T, "sum of heat exports"),
        bucket.node("wg_imp", "WG_corr_imp", T, "sum of waste gases received"),
        bucket.node("wg_exp", "WG_corr_exp", T, "sum of waste gases exported"),
        bucket.node("el_prod", "Em_el_prod", T, "sum of electricity produced in the process"),
    ]
    raw = (
        parts[0].value
        + parts[1].value
        - parts[2].value
        + parts[3].value
        - parts[4].value
        - parts[5].value
    )
    direct = derived(
        f"AttrEm_dir[{pid}]",
        max(raw, _ZERO),
        T,
        "2025/2547 Annex III Eq. 55: "
        "DirEm* + Em_H,imp - Em_H,exp + WG_corr,imp - WG_corr,exp - Em_el,prod "
        "(0 if negative)",
        *parts,
    )
    indirect = bucket.node(
        "el_cons", f"AttrEm_ind[{pid}]", T, "2025/2547 Annex III Eq. 56: Em_el,cons"
    )
    return direct, indirect
