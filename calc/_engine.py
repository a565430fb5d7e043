"""`compute`: installation emissions -> processes -> goods (SEE), and BOM products (PCF).

Runs in its own decimal context (`_context.CONTEXT`), whatever the caller's context is.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from calc import _attribution as attr
from calc._context import CONTEXT
from calc._defaults import DefaultValuesTable
from calc._model import CalcInput, Process, SupplierKey, SupplierValue
from calc._parse_base import CalcError
from calc._parse_processes import good_fu_amount, process_fu
from calc._pcf import aggregate
from calc._provenance import Provenance, derived, own
from calc._result import CalcResult, PrecursorResult, ProcessResult
from calc._see import SeeInputs, _precursor, counts_indirect, good_result, topological

_ZERO = Decimal(0)


def compute(
    model: CalcInput,
    default_values: DefaultValuesTable,
    supplier_values: Mapping[SupplierKey, SupplierValue] | None = None,
    import_mass_t: Decimal | None = None,
) -> CalcResult | list[CalcError]:
    """SEE per good and PCF per product with provenance, or the values that are missing."""
    with decimal.localcontext(CONTEXT):
        snapshot = MappingProxyType(dict(supplier_values or {}))
        return _compute(model, default_values, snapshot, import_mass_t)


def _compute(
    model: CalcInput,
    defaults: DefaultValuesTable,
    supplied: Mapping[SupplierKey, SupplierValue],
    import_mass_t: Decimal | None,
) -> CalcResult | list[CalcError]:
    buckets = {p.id: attr.Bucket() for p in model.processes}
    streams = attr.streams(model, buckets)
    attr.heat(model, buckets)
    attr.waste_gases(model, buckets)
    attr.electricity(model, buckets)
    ctx = SeeInputs(model, defaults, supplied, [], [])
    done: dict[str, ProcessResult] = {}
    for p in topological(model.processes):
        result = _process(p, buckets[p.id], done, ctx)
        if result is not None:
            done[p.id] = result
    products = aggregate(model.products, supplied, model.bom_order)
    if isinstance(products, list):
        ctx.errors.extend(products)
        return ctx.errors
    if ctx.errors:
        return ctx.errors
    processes = tuple(done[p.id] for p in model.processes)
    goods = tuple(
        good_result(g, done[p.id], counts_indirect(g.cn_code, ctx.definitive), ctx, import_mass_t)
        for p in model.processes
        for g in p.goods
    )
    direct = sum((s.fossil_t_co2e for s in streams), _ZERO)
    direct_node = derived(
        "Em_inst",
        direct,
        "t CO2e",
        "2025/2547 Annex II Eq. 4: sum of source streams (fossil)",
        *(s.provenance for s in streams),
    )
    return CalcResult(
        model.regime,
        model.installation,
        model.period_start,
        model.period_end,
        model.options,
        direct,
        sum((s.biomass_t_co2 for s in streams), _ZERO),
        direct_node,
        streams,
        processes,
        goods,
        products,
        defaults.version,
        tuple(ctx.notes),
    )


def _process(
    p: Process, bucket: attr.Bucket, done: Mapping[str, ProcessResult], ctx: SeeInputs
) -> ProcessResult | None:
    """Attribution, activity level, precursors and SEE per functional unit of one process."""
    direct, indirect = attr.attributed(bucket, p.id)
    fu = process_fu(p, ctx.definitive)
    amounts = [good_fu_amount(g, fu) or _ZERO for g in p.goods]
    al = sum(amounts, _ZERO)
    found = [_precursor(x, al, done, ctx) for x in p.precursors]
    precursors = tuple(x for x in found if x is not None)
    if len(precursors) != len(p.precursors):
        return None
    if p.non_cbam or al == 0:
        zero = own("AL", _ZERO, fu, p.ref)
        see_d = derived("see_direct", _ZERO, "", "non-CBAM production", direct, zero)
        see_i = derived("see_indirect", _ZERO, "", "non-CBAM production", indirect, zero)
        return _result(p, fu, bucket, (direct, indirect), _ZERO, (), (see_d, see_i))
    al_node = derived(
        f"AL[{p.id}]",
        al,
        fu,
        "2025/2547 Annex II F: goods leaving the process "
        "(off-spec, by-products, scrap and internal precursors excluded)",
        *(
            own(f"AL[{g.id}]", a, fu, f"{g.ref}.activity_level")
            for g, a in zip(p.goods, amounts, strict=True)
        ),
    )
    see_d = _see_node(p.id, "dir", 57, direct, precursors, al_node)
    see_i = _see_node(p.id, "ind", 58, indirect, precursors, al_node)
    return _result(p, fu, bucket, (direct, indirect), al, precursors, (see_d, see_i))


def _see_node(
    pid: str,
    side: str,
    equation: int,
    attributed: Provenance,
    precursors: tuple[PrecursorResult, ...],
    al: Provenance,
) -> Provenance:
    """SEE per functional unit, direct (side "dir") or indirect ("ind"), Eq. 57-59."""
    k = 0 if side == "dir" else 1  # PrecursorResult.provenance inputs: (direct, indirect)
    parts = [x.provenance.inputs[k] for x in precursors]
    value = (attributed.value + sum((n.value for n in parts), _ZERO)) / al.value
    unit = f"t CO2e/{al.unit}"
    formula = (
        f"2025/2547 Annex III Eq. {equation} / 59: (AttrEm_{side} + sum M_i x SEE_i,{side}) / AL"
    )
    name = "see_direct" if side == "dir" else "see_indirect"
    return derived(f"{name}[{pid}]", value, unit, formula, attributed, *parts, al)


def _result(
    p: Process,
    fu: str,
    bucket: attr.Bucket,
    attributed: tuple[Provenance, Provenance],
    al: Decimal,
    precursors: tuple[PrecursorResult, ...],
    see: tuple[Provenance, Provenance],
) -> ProcessResult:
    t = bucket.total
    default_d = sum((x.default_direct_t_co2e for x in precursors), _ZERO)
    default_i = sum((x.default_indirect_t_co2e for x in precursors), _ZERO)
    return ProcessResult(
        id=p.id,
        name=p.name,
        functional_unit=fu,
        joint_process=p.joint_process,
        non_cbam=p.non_cbam or al == 0,
        dir_em_star_t_co2e=t("dir"),
        heat_import_t_co2e=t("heat_imp"),
        heat_export_t_co2e=t("heat_exp"),
        waste_gas_import_t_co2e=t("wg_imp"),
        waste_gas_export_t_co2e=t("wg_exp"),
        el_prod_deduction_t_co2e=t("el_prod"),
        attributed_direct_t_co2e=attributed[0].value,
        attributed_indirect_t_co2e=attributed[1].value,
        electricity_consumed_mwh=bucket.electricity_mwh,
        activity_level=al,
        precursors=precursors,
        see_direct_per_fu=see[0].value,
        see_indirect_per_fu=see[1].value,
        default_direct_per_fu=default_d / al if al else _ZERO,
        default_indirect_per_fu=default_i / al if al else _ZERO,
        provenance_direct=see[0],
        provenance_indirect=see[1],
        not_in_activity_level=tuple(
            (o.name, o.kind, o.mass_t) for o in (*p.internal_precursors, *p.excluded_outputs)
        ),
    )


def supplier_keys(model: CalcInput) -> tuple[SupplierKey, ...]:
    """Every supplier product the model names (purchased precursors and BOM lines), once each,
    in input order: what the tier-n resolver fetches before calling `compute`."""
    keys = [x.supplier for p in model.processes for x in p.precursors if x.supplier is not None]
    keys += [c.supplier for p in model.products for c in p.components if c.supplier is not None]
    return tuple(dict.fromkeys(keys))
