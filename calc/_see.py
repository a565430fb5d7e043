"""Specific embedded emissions per process and good, with precursors (Annex III B, Eq. 57-66).

Processes are computed in topological order of their own precursors, so a precursor made in
another process of the installation enters with that process's SEE (complete monitoring); a
joint process ("bubble") lists no internal precursors. Purchased precursors take, in order: a
value passed in by the caller (tier-n resolver), the inline supplier value, the default value
(flagged). EU / ETS-covered origin counts zero (Omnibus 2025/2083).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from calc._categories import goods_category
from calc._defaults import DefaultValuesTable
from calc._model import CalcInput, Good, Precursor, Process, SupplierKey, SupplierValue
from calc._parse_base import CalcError, join
from calc._parse_processes import good_fu_amount
from calc._provenance import Provenance, Source, SourceKind, derived, own
from calc._result import GoodResult, ImportResult, PrecursorResult, ProcessResult

_ZERO = Decimal(0)
_SEE = "t CO2e/t"


@dataclass(frozen=True)
class SeeInputs:
    model: CalcInput
    defaults: DefaultValuesTable
    supplier_values: Mapping[SupplierKey, SupplierValue]
    notes: list[str]
    errors: list[CalcError]

    @property
    def definitive(self) -> bool:
        return self.model.regime == "definitive"


def counts_indirect(cn_code: str, definitive: bool) -> bool:
    """Indirect emissions count unless the good is in Annex II of 2023/956 (definitive period)."""
    category = goods_category(cn_code)
    return not definitive or (category is not None and not category.direct_only)


def _supplier_value(x: Precursor, ctx: SeeInputs) -> tuple[SupplierValue, str] | None:
    candidates = []
    if x.supplier is not None and x.supplier in ctx.supplier_values:
        candidates.append((ctx.supplier_values[x.supplier], "supplied at compute time"))
    if x.inline is not None:
        candidates.append((x.inline, join(x.ref, "see")))
    for value, where in candidates:
        if value.see_direct is None:
            continue
        if ctx.model.options.require_verified_supplier_values and not value.verified:
            ctx.notes.append(
                f"{x.ref}: supplier value {value.source_id} not verified: not used "
                "(2025/2547 Annex II A.1.4-5)"
            )
            continue
        return value, where
    return None


Found = tuple[str, Decimal, Decimal, Source]
_ZERO_RULE = "EU / ETS-covered origin counts zero (Reg. 2025/2083; 2025/2547 Annex III B)"


def _purchased(x: Precursor, ctx: SeeInputs) -> Found | None:
    """(data type, SEE direct, SEE indirect, source): zero-rated, supplier value or default."""
    if x.origin != "third_country":
        source = Source(SourceKind.OWN_DATA, join(x.ref, "origin"), (("rule", _ZERO_RULE),))
        return "zero_rated", _ZERO, _ZERO, source
    found = _supplier_value(x, ctx)
    if found is None:
        return _default(x, ctx)
    v, where = found
    if v.functional_unit != x.amount_unit:
        message = (
            f"supplier value {v.source_id} is per '{v.functional_unit}', the precursor mass "
            f"is in '{x.amount_unit}'"
        )
        ctx.errors.append(CalcError(x.ref, message))
        return None
    key = x.supplier or SupplierKey("", "")
    detail: tuple[tuple[str, str], ...] = (
        ("supplier_participant_id", key.participant_id),
        ("supplier_product_id", key.product_id),
        ("source_id", v.source_id),
        ("version", v.version),
        ("verified", str(v.verified).lower()),
        ("reporting_period", v.reporting_period or ""),
    )
    source = Source(SourceKind.SUPPLIER, where, detail)
    return "actual", v.see_direct or _ZERO, v.see_indirect or _ZERO, source


def _default(x: Precursor, ctx: SeeInputs) -> Found | None:
    """The default value of 2025/2621 (or the transitional table), flagged in the notes."""
    if x.amount_unit != "t":
        message = (
            "no supplier value: default values (2025/2621) are per tonne of product, "
            "give the mass in t"
        )
        ctx.errors.append(CalcError(join(x.ref, "mass"), message))
        return None
    options = ctx.model.options
    year = options.markup_year if options.apply_default_markup else None
    dv = ctx.defaults.lookup(ctx.definitive, x.country, x.cn_code or "", year)
    if dv is None:
        message = (
            f"no supplier value and no default value for CN {x.cn_code} in table "
            f"{ctx.defaults.version}"
        )
        ctx.errors.append(CalcError(x.ref, message))
        return None
    ctx.notes.append(f"{x.ref}: default value used ({dv.note})")
    detail = (
        ("country", dv.row.country),
        ("cn_code", dv.row.cn_code),
        ("description", dv.row.description),
        ("table_version", dv.table_version),
        ("table_source", ctx.defaults.source),
        ("markup_year", str(dv.markup_year or "")),
        ("markup_factor", str(dv.markup_factor)),
        ("note", dv.note),
    )
    source = Source(SourceKind.DEFAULT_VALUE, x.ref, detail)
    factor = dv.markup_factor
    return "default", dv.see_direct * factor, dv.see_indirect * factor, source


def _precursor(
    x: Precursor, al: Decimal, done: Mapping[str, ProcessResult], ctx: SeeInputs
) -> PrecursorResult | None:
    if x.kind == "own":
        src = done[x.from_process or ""]
        data_type, sd, si = "own_process", src.see_direct_per_fu, src.see_indirect_per_fu
        source = Source(SourceKind.OWN_DATA, join(x.ref, "from_process"), (("process", src.id),))
        d_dir, d_ind = x.amount * src.default_direct_per_fu, x.amount * src.default_indirect_per_fu
        cn_code = next(iter(g.cn_code for g in ctx_process(ctx, src.id).goods))
    else:
        found = _purchased(x, ctx)
        if found is None:
            return None
        data_type, sd, si, source = found
        d_dir, d_ind = (x.amount * sd, x.amount * si) if data_type == "default" else (_ZERO, _ZERO)
        cn_code = x.cn_code or ""
    counted = counts_indirect(cn_code, ctx.definitive)
    m = own(f"M[{x.id}]", x.amount, x.amount_unit, join(x.ref, "mass"))
    see_d = Provenance(f"SEE_dir[{x.id}]", sd, f"t CO2e/{x.amount_unit}", source=source)
    see_i = Provenance(f"SEE_ind[{x.id}]", si, f"t CO2e/{x.amount_unit}", source=source)
    node = derived(
        f"EE_InpMat[{x.id}]",
        x.amount * (sd + si),
        "t CO2e",
        "2025/2547 Annex III Eq. 60: M_i x SEE_i (direct + indirect)",
        derived("direct", x.amount * sd, "t CO2e", "M_i x SEE_i,dir", m, see_d),
        derived("indirect", x.amount * si, "t CO2e", "M_i x SEE_i,ind", m, see_i),
    )
    return PrecursorResult(
        x.id,
        x.kind,
        data_type,
        x.amount,
        x.amount_unit,
        x.amount / al,
        sd,
        si,
        counted,
        x.amount * sd,
        x.amount * si,
        d_dir,
        d_ind,
        source,
        node,
    )


def ctx_process(ctx: SeeInputs, pid: str) -> Process:
    return next(p for p in ctx.model.processes if p.id == pid)


def topological(processes: tuple[Process, ...]) -> list[Process]:
    """Processes ordered so that every own precursor's process comes first (graph is acyclic)."""
    by_id = {p.id: p for p in processes}
    order: list[Process] = []
    seen: set[str] = set()

    def visit(p: Process) -> None:
        if p.id in seen:
            return
        seen.add(p.id)
        for x in p.precursors:
            if x.kind == "own" and x.from_process in by_id:
                visit(by_id[x.from_process])
        order.append(p)

    for p in processes:
        visit(p)
    return order


def rounded(value: Decimal, places: int) -> Decimal:
    """Round half up to `places` decimals (2025/2547 Annex II A.1.6-8)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, _ZERO)


def good_result(
    g: Good, pr: ProcessResult, counted: bool, ctx: SeeInputs, import_mass_t: Decimal | None
) -> GoodResult:
    """SEE per tonne of good from its process's SEE per functional unit (Eq. 57-66)."""
    category = goods_category(g.cn_code)
    assert category is not None  # the parser accepts CBAM goods only
    amount = good_fu_amount(g, pr.functional_unit) or g.activity_level_t
    k = amount / g.activity_level_t  # functional units per tonne of good

    def per_t(total_t_co2e: Decimal) -> Decimal:  # process total -> t CO2e per t of good
        return total_t_co2e * k / pr.activity_level

    xs = pr.precursors
    ae_d, ae_i = per_t(pr.attributed_direct_t_co2e), per_t(pr.attributed_indirect_t_co2e)
    pre_d = per_t(_sum(x.contribution_direct_t_co2e for x in xs))
    pre_i = per_t(_sum(x.contribution_indirect_t_co2e for x in xs))
    pre_i_counted = per_t(_sum(x.contribution_indirect_t_co2e for x in xs if x.indirect_counted))
    see_d = ae_d + pre_d
    see_i_counted = (ae_i if counted else _ZERO) + pre_i_counted
    total = see_d + see_i_counted
    places = ctx.model.options.see_decimal_places
    rep_d, rep_i = rounded(see_d, places), rounded(see_i_counted, places)
    def_d = pr.default_direct_per_fu * k
    def_i = per_t(_sum(x.default_indirect_t_co2e for x in xs if x.indirect_counted))
    share_20 = def_d / total if total else _ZERO
    exceeds = None if ctx.definitive else share_20 > Decimal("0.20")
    if exceeds:
        ctx.notes.append(
            f"{g.ref}: estimates/defaults are {share_20 * 100:.2f} % of embedded "
            "emissions, above the transitional 20 % limit (2023/1773 Art. 5)"
        )
    from_rounded = ctx.model.options.import_from_rounded_see
    return GoodResult(
        id=g.id,
        process_id=pr.id,
        cn_code=g.cn_code,
        category=category.name,
        sector=category.sector,
        functional_unit=pr.functional_unit,
        activity_level_t=g.activity_level_t,
        fu_per_t=k,
        attributed_direct_t_co2e_per_t=ae_d,
        attributed_indirect_t_co2e_per_t=ae_i,
        precursors_direct_t_co2e_per_t=pre_d,
        precursors_indirect_t_co2e_per_t=pre_i,
        see_direct_t_co2e_per_t=see_d,
        see_indirect_t_co2e_per_t=ae_i + pre_i,
        indirect_counted=counted,
        see_indirect_counted_t_co2e_per_t=see_i_counted,
        see_total_t_co2e_per_t=total,
        see_direct_reported=rep_d,
        see_indirect_reported=rep_i,
        see_total_reported=rep_d + rep_i,
        default_share_of_total=(def_d + def_i) / total if total else _ZERO,
        default_share_20_percent_rule=share_20,
        default_share_of_direct=def_d / see_d if see_d else _ZERO,
        exceeds_20_percent_rule=exceeds,
        embedded=_embedded(
            import_mass_t, (rep_d, rep_i) if from_rounded else (see_d, see_i_counted)
        ),
        electricity_mwh_per_t=per_t(pr.electricity_consumed_mwh),
        provenance=_good_provenance(g, pr, k, see_d, see_i_counted, total, counted),
    )


def _embedded(mass: Decimal | None, see: tuple[Decimal, Decimal]) -> ImportResult | None:
    """EE = m x SEE, direct and indirect kept apart (CALC.md section 11)."""
    if mass is None:
        return None
    return ImportResult(mass, mass * see[0], mass * see[1], mass * (see[0] + see[1]))


def _good_provenance(
    g: Good,
    pr: ProcessResult,
    k: Decimal,
    see_d: Decimal,
    see_i: Decimal,
    total: Decimal,
    counted: bool,
) -> Provenance:
    scale = own("fu_per_t", k, f"{pr.functional_unit}/t", g.ref)
    if k == 1:
        d, i = pr.provenance_direct, pr.provenance_indirect
    else:
        d = derived(
            "see_direct",
            see_d,
            _SEE,
            "2025/2547 Annex III Eq. 64-66: SEE_fu x content",
            pr.provenance_direct,
            scale,
        )
        i = derived(
            "see_indirect",
            pr.see_indirect_per_fu * k,
            _SEE,
            "Eq. 64-66",
            pr.provenance_indirect,
            scale,
        )
    rule = (
        "indirect counted"
        if counted
        else "own indirect not counted: Annex II good (2023/956), definitive period"
    )
    i_counted = derived(
        "see_indirect_counted",
        see_i,
        _SEE,
        f"2025/2547 Annex I 3.1 ({rule}; "
        "precursor indirect counted unless the precursor is an Annex II good)",
        i,
    )
    return derived(
        f"see_total[{g.id}]",
        total,
        _SEE,
        "Reg. 2023/956 Annex IV: SEE_dir + SEE_ind (counted)",
        d,
        i_counted,
    )
