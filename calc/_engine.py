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
from calc._provenance import derived, own
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
    direct, indirect = attr.attributed(bucket, p.id)
    fu = process_fu(p, ctx.definitive)
    amounts = [good_fu_amount(g, fu) or _ZERO for g in p.goods]
    al = sum(amounts, _ZERO)
    precursors: list[PrecursorResult] = []
    for x in p.precursors:
        found = _precursor(x, al, done, ctx)
        if found is not None:
            precursors.append(found)
    if len(precursors) != len(p.precursors):
        return None
    if p.non_cbam or al == 0:
        zero = own("AL", _ZERO, fu, p.ref)
        return ProcessResult(
            p.id,
            p.name,
            fu,
            p.joint_process,
            True,
            *_terms(bucket),
            direct.value,
            indirect.value,
            bucket.electricity_mwh,
            _ZERO,
            (),
            _ZERO,
            _ZERO,
            _ZERO,
            _ZERO,
            derived("see_direct", _ZERO, "", "non-CBAM", direct, zero),
            indirect,
        )
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
    pre_d = sum((x.contribution_direct_t_co2e for x in precursors), _ZERO)
    pre_i = sum((x.contribution_indirect_t_co2e for x in precursors), _ZERO)
    unit = f"t CO2e/{fu}"
    see_d = derived(
        f"see_direct[{p.id}]",
        (direct.value + pre_d) / al,
        unit,
        "2025/2547 Annex III Eq. 57 / 59: (AttrEm_dir + sum M_i x SEE_i,dir) / AL",
        direct,
        *(x.provenance.inputs[0] for x in precursors),
        al_node,
    )
    see_i = derived(
        f"see_indirect[{p.id}]",
        (indirect.value + pre_i) / al,
        unit,
        "2025/2547 Annex III Eq. 58 / 59: (AttrEm_ind + sum M_i x SEE_i,ind) / AL",
        indirect,
        *(x.provenance.inputs[1] for x in precursors),
        al_node,
    )
    def_d = sum((x.default_direct_t_co2e for x in precursors), _ZERO) / al
    def_i = sum((x.default_indirect_t_co2e for x in precursors), _ZERO) / al
    return ProcessResult(
        p.id,
        p.name,
        fu,
        p.joint_process,
        False,
        *_terms(bucket),
        direct.value,
        indirect.value,
        bucket.electricity_mwh,
        al,
        tuple(precursors),
        see_d.value,
        see_i.value,
        def_d,
        def_i,
        see_d,
        see_i,
    )


def _terms(bucket: attr.Bucket) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal, Decimal]:
    t = bucket.total
    return t("dir"), t("heat_imp"), t("heat_exp"), t("wg_imp"), t("wg_exp"), t("el_prod")


def supplier_keys(model: CalcInput) -> tuple[SupplierKey, ...]:
    """Every supplier product the model names (purchased precursors and BOM lines), once each,
    in input order: what the tier-n resolver fetches before calling `compute`."""
    keys = [x.supplier for p in model.processes for x in p.precursors if x.supplier is not None]
    keys += [c.supplier for p in model.products for c in p.components if c.supplier is not None]
    return tuple(dict.fromkeys(keys))
