"""Cradle-to-gate PCF over a bill of materials, with primary-data share (CALC.md section 14).

PCF_product = own_gate_to_gate / output + sum_i q_i x PCF_i;
primary_data_share = sum(primary-data contributions) / PCF_product (PACT v2 `primaryDataShare`).
Fossil and biogenic parts are summed apart. Products are visited once in topological order and
each sub-assembly's footprint is memoised, so a shared subtree costs one line per use; the
per-line breakdown is built only when asked for (`PcfResult.components()`).
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial

from calc._context import CONTEXT
from calc._model import Component, Product, SupplierKey, SupplierValue
from calc._parse_base import CalcError
from calc._provenance import Source, SourceKind
from calc._result import ComponentResult, PcfResult
from calc._units import declared_unit_factor

_ZERO = Decimal(0)
Memo = dict[str, tuple[Decimal, Decimal, Decimal]]  # pcf, biogenic, primary (kg per unit)
Resolved = tuple[Decimal, Decimal, Decimal, Source]


def order(products: Sequence[Product]) -> list[Product]:
    """Post-order over internal components (iterative: deep BOMs need no recursion)."""
    by_id = {p.id: p for p in products}
    seen: set[str] = set()
    out: list[Product] = []
    for root in products:
        if root.id in seen:
            continue
        seen.add(root.id)
        stack = [(root, iter(root.components))]
        while stack:
            node, it = stack[-1]
            child = next(it, None)
            if child is None:
                out.append(node)
                stack.pop()
            elif child.product_id is not None and child.product_id not in seen:
                seen.add(child.product_id)
                sub = by_id[child.product_id]
                stack.append((sub, iter(sub.components)))
    return out


def _resolve(c: Component, supplied: Mapping[SupplierKey, SupplierValue]) -> Resolved | CalcError:
    """Per-line-unit (pcf, biogenic, primary) of a non-internal line: supplied > inline >
    secondary."""
    value, kind, where = None, SourceKind.SUPPLIER, c.ref
    if (
        c.supplier is not None
        and (v := supplied.get(c.supplier)) is not None
        and v.pcf_kg_co2e is not None
    ):
        value, where = v, "supplied at compute time"
    elif c.inline is not None:
        value, where = c.inline, f"{c.ref}.pcf"
    elif c.secondary is not None:
        value, kind, where = c.secondary, SourceKind.SECONDARY_DATA, f"{c.ref}.pcf"
    if value is None or value.pcf_kg_co2e is None:
        return CalcError(c.ref, "no footprint for this component (no supplier value, no pcf)")
    factor = declared_unit_factor(c.unit, value.declared_unit)
    if factor is None:
        return CalcError(
            c.ref,
            f"supplier value {value.source_id} is per "
            f"'{value.declared_unit}', the quantity is in '{c.unit}'",
        )
    pcf = value.pcf_kg_co2e * factor
    share = value.primary_data_share if kind is SourceKind.SUPPLIER else None
    detail: tuple[tuple[str, str], ...] = (
        ("source_id", value.source_id),
        ("version", value.version),
        ("primary_data_share", "" if share is None else str(share)),
    )
    if c.supplier is not None:
        detail = (
            ("supplier_participant_id", c.supplier.participant_id),
            ("supplier_product_id", c.supplier.product_id),
            *detail,
        )
    return (
        pcf,
        value.pcf_biogenic_kg_co2e * factor,
        pcf * (share or _ZERO),
        Source(kind, where, detail),
    )


def aggregate(
    products: Sequence[Product],
    supplied: Mapping[SupplierKey, SupplierValue],
    bom_order: Sequence[int] = (),
) -> tuple[PcfResult, ...] | list[CalcError]:
    """PCF of every product, sub-assemblies first; errors name the BOM line without a value.

    `bom_order` (from the parser) saves the ordering pass; a supplier's value is resolved once
    per (participant, product, unit) and reused by every line that names it."""
    ordered = (
        [products[i] for i in bom_order] if len(bom_order) == len(products) else order(products)
    )
    memo: Memo = {}
    cache: dict[tuple[str, str, str], tuple[Decimal, Decimal, Decimal]] = {}
    errors: list[CalcError] = []
    results: dict[str, PcfResult] = {}
    for p in ordered:
        pcf = prim = p.own_kg_co2e_per_unit
        bio = p.own_biogenic_kg_co2e_per_unit
        for c in p.components:
            pid = c.product_id
            if pid is not None:
                v = memo[pid]
            else:
                found = _leaf(c, supplied, cache)
                if isinstance(found, CalcError):
                    errors.append(found)
                    continue
                v = found
            q = c.quantity
            pcf += q * v[0]
            prim += q * v[2]
            if v[1]:
                bio += q * v[1]
        memo[p.id] = (pcf, bio, prim)
        results[p.id] = PcfResult(
            p.id,
            p.name,
            p.declared_unit,
            p.own_kg_co2e_per_unit,
            pcf,
            bio,
            prim / pcf if pcf else _ZERO,
            prim,
            partial(_lines, p, memo, supplied),
        )
    if errors:
        return errors
    return tuple(results[p.id] for p in products)


def _leaf(
    c: Component,
    supplied: Mapping[SupplierKey, SupplierValue],
    cache: dict[tuple[str, str, str], tuple[Decimal, Decimal, Decimal]],
) -> tuple[Decimal, Decimal, Decimal] | CalcError:
    s = c.supplier
    key = None
    if s is not None and c.inline is None and c.secondary is None:
        key = (s.participant_id, s.product_id, c.unit)
        hit = cache.get(key)
        if hit is not None:
            return hit
    found = _resolve(c, supplied)
    if isinstance(found, CalcError):
        return found
    value = (found[0], found[1], found[2])
    if key is not None:
        cache[key] = value
    return value


def _lines(
    p: Product, memo: Memo, supplied: Mapping[SupplierKey, SupplierValue]
) -> tuple[ComponentResult, ...]:
    with decimal.localcontext(CONTEXT):
        return tuple(_line(c, memo, supplied) for c in p.components)


def _line(
    c: Component, memo: Memo, supplied: Mapping[SupplierKey, SupplierValue]
) -> ComponentResult:
    if c.product_id is not None:
        v_pcf, v_bio, v_prim = memo[c.product_id]
        source = Source(SourceKind.OWN_DATA, f"{c.ref}.product", (("product", c.product_id),))
    else:
        found = _resolve(c, supplied)
        assert not isinstance(found, CalcError)  # aggregate() resolved it before
        v_pcf, v_bio, v_prim, source = found
    return ComponentResult(
        c.id,
        c.quantity,
        c.unit,
        v_pcf,
        c.quantity * v_pcf,
        c.quantity * v_bio,
        c.quantity * v_prim,
        source,
    )
