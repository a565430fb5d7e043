"""Which supplier products a product of ours depends on (issue 7, item 1).

A product is linked to goods of the installation file (CBAM processes, CALC.md section 9) and/or
to BOM products (PCF, section 14). Its upstream lines are the purchased precursors and supplier
components reachable from those items through own processes and internal BOM products, and the
supplier lines of its bill of materials in the product store (`carbonspace products import`);
a supplier product named in both sources is one line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from calc import CalcInput
from connector.calculation.store_bom import line_ref
from connector.products import ProductBom

# calc exports no names for its process / product records: typed as Any here.
Process = Any
Product = Any


@dataclass(frozen=True)
class UpstreamLine:
    """One supplier product we need a value for, with the input paths that use it."""

    supplier_did: str
    supplier_product_id: str
    refs: tuple[str, ...]


def items_of_product(links: Mapping[str, str], product_id: str) -> tuple[str, ...]:
    """The file item ids (good or BOM product ids) linked to our `product_id`."""
    return tuple(sorted(item for item, linked in links.items() if linked == product_id))


def upstream_lines(calc_input: CalcInput, item_ids: tuple[str, ...]) -> tuple[UpstreamLine, ...]:
    """Supplier lines reachable from the given goods / BOM products, sorted, deduplicated."""
    processes = {p.id: p for p in calc_input.processes}
    products = {p.id: p for p in calc_input.products}
    found: dict[tuple[str, str], list[str]] = {}
    seen_processes: set[str] = set()
    seen_products: set[str] = set()
    for item in item_ids:
        for process in calc_input.processes:
            if any(good.id == item for good in process.goods):
                _walk_process(process, processes, seen_processes, found)
        if item in products:
            _walk_product(products[item], products, seen_products, found)
    return tuple(
        UpstreamLine(did, product, tuple(sorted(refs)))
        for (did, product), refs in sorted(found.items())
    )


def _walk_process(
    process: Process,
    processes: Mapping[str, Process],
    seen: set[str],
    found: dict[tuple[str, str], list[str]],
) -> None:
    stack = [process]
    while stack:
        current = stack.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        for precursor in current.precursors:
            if precursor.supplier is not None:
                key = (precursor.supplier.participant_id, precursor.supplier.product_id)
                found.setdefault(key, []).append(precursor.ref)
            if precursor.from_process is not None and precursor.from_process in processes:
                stack.append(processes[precursor.from_process])


def _walk_product(
    product: Product,
    products: Mapping[str, Product],
    seen: set[str],
    found: dict[tuple[str, str], list[str]],
) -> None:
    stack = [product]
    while stack:
        current = stack.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        for component in current.components:
            if component.supplier is not None:
                key = (component.supplier.participant_id, component.supplier.product_id)
                found.setdefault(key, []).append(component.ref)
            if component.product_id is not None and component.product_id in products:
                stack.append(products[component.product_id])


def store_lines(product_id: str, bom: ProductBom | None) -> tuple[UpstreamLine, ...]:
    """The supplier lines of a product-store BOM (one per supplier product, refs merged)."""
    found: dict[tuple[str, str], list[str]] = {}
    for line in bom.supplier_lines if bom is not None else ():
        key = (str(line.supplier), str(line.supplier_product_id))
        found.setdefault(key, []).append(line_ref(product_id, line.line_no))
    return tuple(UpstreamLine(did, pid, tuple(refs)) for (did, pid), refs in sorted(found.items()))


def merge_lines(
    file_lines: tuple[UpstreamLine, ...], stored: tuple[UpstreamLine, ...]
) -> tuple[tuple[UpstreamLine, ...], tuple[UpstreamLine, ...]]:
    """An installation file's lines with the product store's: a supplier product named in both
    is one line (resolved once, refs of both); (merged lines, store lines the file lacks)."""
    by_key = {(x.supplier_did, x.supplier_product_id): x for x in stored}
    merged = []
    for line in file_lines:
        extra = by_key.pop((line.supplier_did, line.supplier_product_id), None)
        merged.append(line if extra is None else replace(line, refs=line.refs + extra.refs))
    return tuple(merged), tuple(by_key[key] for key in sorted(by_key))
