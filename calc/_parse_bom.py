"""Reading non-CBAM products and their bills of materials (PCF, CALC.md section 14).

A product's own gate-to-gate emissions are given per declared unit (`gate_to_gate`) or as a
period total with the period's output (`own_emissions` / `output`). A component is an internal
product (`product`), a supplier's product (`supplier`, value passed in at compute time or given
inline as `pcf`) or a plain `pcf` (e.g. a secondary dataset, `data_type: secondary`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from calc import _units as u
from calc._model import Component, Product, SupplierValue
from calc._parse_base import Reader, join, to_decimal
from calc._parse_processes import read_supplier

_DU = tuple(u.DECLARED_UNITS)
_PCF_UNITS = {f"kg CO2e/{du}": du for du in _DU}
_COMPONENT_KEYS = ("id", "name", "quantity", "product", "supplier", "pcf")


def read_products(
    r: Reader, root: Mapping[str, Any]
) -> tuple[tuple[Product, ...], tuple[int, ...]]:
    keys = (
        "id",
        "name",
        "declared_unit",
        "gate_to_gate",
        "own_biogenic",
        "own_emissions",
        "output",
        "components",
    )
    raw: list[tuple[Mapping[str, Any], str, str, str]] = []
    for item, path in r.items(root, "products", ""):
        m = r.mapping(item, path, keys, ("id", "declared_unit"))
        if m is None:
            continue
        pid = r.text(m, "id", path)
        du = r.choice(m, "declared_unit", path, _DU)
        if pid is not None and du is not None:
            raw.append((m, path, pid, du))
    units = {pid: du for _, _, pid, du in raw}
    products = [p for m, path, pid, du in raw if (p := _product(r, m, path, pid, du, units))]
    refs, order = bom_order(products)
    for ref in refs:
        r.error(ref, "bill-of-materials cycle: a product contains itself")
    return tuple(products), order


def _product(
    r: Reader, m: Mapping[str, Any], path: str, pid: str, du: str, units: Mapping[str, str]
) -> Product | None:
    before = len(r.errors)
    own = _own_per_unit(r, m, path, du)
    biogenic = Decimal(0)
    if "own_biogenic" in m:
        found = r.quantity(m, "own_biogenic", path, {f"kg CO2e/{du}": Decimal(1)}, signed=True)
        biogenic = Decimal(0) if found is None else found[0]
    components = tuple(
        c
        for item, p in r.items(m, "components", path)
        if (c := _component(r, item, p, units)) is not None
    )
    if own is None or len(r.errors) != before:
        return None
    return Product(pid, path, str(m.get("name") or pid), du, own, biogenic, components)


def _own_per_unit(r: Reader, m: Mapping[str, Any], path: str, du: str) -> Decimal | None:
    if "gate_to_gate" in m:
        if "own_emissions" in m or "output" in m:
            r.error(
                join(path, "gate_to_gate"), "give either gate_to_gate or own_emissions and output"
            )
            return None
        found = r.quantity(m, "gate_to_gate", path, {f"kg CO2e/{du}": Decimal(1)})
        return None if found is None else found[0]
    if "own_emissions" not in m and "output" not in m:
        return Decimal(0)
    for key in ("own_emissions", "output"):
        if key not in m:
            r.error(join(path, key), "required value is missing")
    own = r.quantity(m, "own_emissions", path, u.PCF_EMISSIONS_KG)
    out = r.quantity(
        m, "output", path, {k: v for k in _DU if (v := u.declared_unit_factor(k, du)) is not None}
    )
    if out is not None and out[0] == 0:
        r.error(join(path, "output"), "must be greater than 0")
        return None
    return None if own is None or out is None else own[0] / out[0]


def _component(r: Reader, item: Any, path: str, units: Mapping[str, str]) -> Component | None:
    m = r.mapping(item, path, _COMPONENT_KEYS, ("id", "quantity"))
    if m is None:
        return None
    before = len(r.errors)
    cid = r.text(m, "id", path)
    q = r.quantity(m, "quantity", path, {du: Decimal(1) for du in _DU})
    product = r.text(m, "product", path)
    supplier = read_supplier(r, m, path)
    value = read_pcf(r, m, "pcf", path)
    if product is not None and ("supplier" in m or "pcf" in m):
        r.error(join(path, "product"), "an internal product takes no supplier or pcf")
    elif "product" not in m and "supplier" not in m and "pcf" not in m:
        r.error(join(path, "pcf"), "required value is missing (or give product or supplier)")
    if cid is None or q is None or len(r.errors) != before:
        return None
    amount, unit = q
    if product is not None:
        target = units.get(product)
        factor = None if target is None else u.declared_unit_factor(unit, target)
        if target is None:
            r.error(join(path, "product"), f"unknown product '{product}'")
            return None
        if factor is None:
            r.error(
                join(join(path, "quantity"), "unit"),
                f"unit '{unit}' does not match the declared unit '{target}' of product '{product}'",
            )
            return None
        return Component(cid, path, amount * factor, target, product_id=product)
    if value is not None and u.declared_unit_factor(unit, value.declared_unit) is None:
        r.error(
            join(join(path, "quantity"), "unit"),
            f"unit '{unit}' does not match the pcf declared unit '{value.declared_unit}'",
        )
        return None
    secondary = value is not None and value.source_id.startswith("secondary:")
    return Component(
        cid,
        path,
        amount,
        unit,
        supplier=supplier,
        inline=None if secondary else value,
        secondary=value if secondary else None,
    )


def read_pcf(r: Reader, m: Mapping[str, Any], key: str, path: str) -> SupplierValue | None:
    """An inline PCF: `{value, biogenic, unit, primary_data_share, source_id, version, ...}`."""
    if key not in m:
        return None
    here = join(path, key)
    keys = (
        "value",
        "biogenic",
        "unit",
        "primary_data_share",
        "source_id",
        "version",
        "data_type",
        "verified",
    )
    s = r.mapping(m[key], here, keys, ("value", "unit"))
    if s is None:
        return None
    before = len(r.errors)
    value = to_decimal(s.get("value"))
    if value is None or value < 0:
        r.error(join(here, "value"), "must be a non-negative number")
    biogenic = to_decimal(s.get("biogenic", 0))
    if biogenic is None:
        r.error(join(here, "biogenic"), "must be a finite number")
    unit = r.choice(s, "unit", here, tuple(_PCF_UNITS))
    share = r.fraction(s, "primary_data_share", here)
    data_type = r.choice(s, "data_type", here, ("primary", "secondary")) or "primary"
    source_id = r.text(s, "source_id", here) or f"{here}"
    if data_type == "secondary":
        source_id = f"secondary:{source_id}"
        share = Decimal(0)
    if value is None or biogenic is None or unit is None or len(r.errors) != before:
        return None
    return SupplierValue(
        source_id,
        r.text(s, "version", here) or "unversioned",
        pcf_kg_co2e=value,
        pcf_biogenic_kg_co2e=biogenic,
        declared_unit=_PCF_UNITS[unit],
        primary_data_share=share,
        verified=r.boolean(s, "verified", here, False),
    )


def bom_order(products: Sequence[Product]) -> tuple[list[str], tuple[int, ...]]:
    """Refs of the lines that close a cycle, and the products' indices with every internal
    component before its parent (iterative DFS post-order, no recursion limit)."""
    edges = {
        p.id: [(c.product_id, c.ref) for c in p.components if c.product_id is not None]
        for p in products
    }
    index = {p.id: i for i, p in enumerate(products)}
    state: dict[str, int] = {}
    refs: list[str] = []
    post: list[int] = []
    for start in edges:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(edges[start]))]
        while stack:
            node, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[node] = 2
                post.append(index[node])
                stack.pop()
                continue
            target, ref = step
            if target not in edges:
                continue
            if state.get(target) == 1:
                refs.append(join(ref, "product"))
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(edges[target])))
    return refs, tuple(post)
