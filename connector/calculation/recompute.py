"""Recompute the node's products from its own installation data plus the supplier values it
received, and publish what changed (issue 7, items 2 and 3).

Per product: the supplier lines it depends on, the received values usable for it (not stale
-> still used but counted; a value whose lineage contains this very product is a cross-company
cycle and is never used), one calc run, the figures, the tier profile and the provenance. When
the inputs hash differs from the last computation, a new CarbonFootprint version is published,
signed, and the consumers holding an agreement for it are notified.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlmodel import select

from calc import CalcError, CalcInput, CalcResult, SupplierKey, compute
from connector.calculation._breakdown import (
    ProductFigures,
    Profile,
    num,
    pcf_lines,
    product_figures,
    see_lines,
)
from connector.calculation._publication import publish_product
from connector.calculation.defaults import shipped_default_values
from connector.calculation.installation import parse_document
from connector.calculation.models import ComputedFootprintRow, InstallationFileRow
from connector.calculation.store_bom import STORE_SOURCE, store_document, store_problem
from connector.context import NodeContext
from connector.outcome import Failure, Ok, not_found
from connector.products import internal_component_lines, product_bom, products_with_supplier
from connector.upstream._lines import UpstreamLine, items_of_product, upstream_lines
from connector.upstream._provenance import PrecursorSource, Provenance, lineage_hash
from connector.upstream._values import supplier_value
from connector.upstream.models import ReceivedFootprintRow


@dataclass(frozen=True)
class Source:
    """What products are computed from: an imported installation file, or a product-store
    product's bill of materials composed in memory (`installation_id` = `product-store`)."""

    installation_id: str
    model: CalcInput
    links: Mapping[str, str]
    sha256: str


@dataclass(frozen=True)
class ProductComputation:
    product_id: str
    version: int
    published: bool
    result: dict[str, Any]
    breakdown: dict[str, Any]
    problems: tuple[str, ...] = field(default=())


LOCK_KEY = "calculation.recompute_lock"


def _lock(context: NodeContext) -> asyncio.Lock:
    """One recomputation at a time per node: a notification-driven refresh and an operator's
    resolve must not publish the same version twice."""
    lock: asyncio.Lock = context.services.setdefault(LOCK_KEY, asyncio.Lock())
    return lock


async def recompute_installation(
    context: NodeContext, installation_id: str, only: Sequence[str] | None = None
) -> Ok[tuple[ProductComputation, ...]] | Failure:
    """Recompute (and publish when changed) every product linked to the installation."""
    async with _lock(context):
        return await _recompute_installation(context, installation_id, only)


async def _recompute_installation(
    context: NodeContext, installation_id: str, only: Sequence[str] | None
) -> Ok[tuple[ProductComputation, ...]] | Failure:
    async with context.database.session() as session:
        row = await session.get(InstallationFileRow, installation_id)
    if row is None:
        return not_found(f"installation {installation_id} is not imported")
    parsed = parse_document(row.document)
    if isinstance(parsed, Failure):
        return parsed
    source = Source(row.installation_id, parsed.value, row.links, row.sha256)
    by_key = await _received(context)
    products = sorted(set(row.links.values()))
    done = []
    for product_id in products if only is None else [p for p in products if p in only]:
        done.append(await _recompute_product(context, source, product_id, by_key))
    return Ok(tuple(done))


async def _received(context: NodeContext) -> dict[tuple[str, str], ReceivedFootprintRow]:
    async with context.database.session() as session:
        received = (await session.exec(select(ReceivedFootprintRow))).all()
    return {(r.supplier_did, r.supplier_product_id): r for r in received}


async def recompute_store_product(
    context: NodeContext, product_id: str
) -> Ok[ProductComputation] | Failure:
    """Compose (and publish when changed) a product kept only in the product store from its
    bill of materials (`store_bom`); problems name the product-store BOM lines. When its value
    changed, the store-composed products using it as a component of ours (directly or through
    others) are composed again too, components before the products using them."""
    done = await _compose_store_product(context, product_id)
    if isinstance(done, Ok) and done.value.published:
        for user in await _store_users(context, product_id):
            await _compose_store_product(context, user)
    return done


async def _compose_store_product(
    context: NodeContext, product_id: str
) -> Ok[ProductComputation] | Failure:
    async with _lock(context):
        bom = await product_bom(context, product_id)
        if bom is None:
            return not_found(f"product {product_id} is not in the product store")
        document, problems = store_document(bom)
        parsed = parse_document(document) if document is not None else None
        if isinstance(parsed, Failure):
            problems = (parsed.detail, *parsed.details)
        if parsed is None or isinstance(parsed, Failure):
            async with context.database.session() as session:
                stored = await session.get(ComputedFootprintRow, product_id)
            named = tuple(store_problem(product_id, bom, p) for p in problems)
            return Ok(ProductComputation(product_id, stored.version if stored else 0, False,
                                         {}, {}, named))  # fmt: skip
        digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
        source = Source(STORE_SOURCE, parsed.value, {product_id: product_id}, digest)
        done = await _recompute_product(context, source, product_id, await _received(context))
    named = tuple(store_problem(product_id, bom, p) for p in done.problems)
    return Ok(replace(done, problems=named))


async def _recompute_product(
    context: NodeContext,
    source: Source,
    product_id: str,
    received: Mapping[tuple[str, str], ReceivedFootprintRow],
) -> ProductComputation:
    did = context.settings.node.did
    model = source.model
    items = items_of_product(source.links, product_id)
    lines = upstream_lines(model, items)
    own = lineage_hash(did, product_id)
    used = {
        (line.supplier_did, line.supplier_product_id): r
        for line in lines
        if (r := received.get((line.supplier_did, line.supplier_product_id))) is not None
        and own not in r.lineage
    }
    values = {
        SupplierKey(*key): supplier_value(*key, r.version, r.value) for key, r in used.items()
    }
    result = compute(model, shipped_default_values(), values)
    if isinstance(result, list):
        return _failed(product_id, result)
    figures = product_figures(result, items)
    breakdown, pcf_tiers, see_tiers = _breakdown(result, figures, lines, used)
    provenance = Provenance(
        did,
        product_id,
        tuple(
            PrecursorSource(k[0], k[1], r.version, r.submodel_hash) for k, r in sorted(used.items())
        ),
        frozenset({own, *(h for r in used.values() for h in r.lineage)}),
        default_lines=len(breakdown["flags"]["default"]),
        stale_lines=len(breakdown["flags"]["stale"]),
        pcf_tiers=tuple(num(x) for x in pcf_tiers),
        see_tiers=tuple(num(x) for x in see_tiers),
    )
    summary = figures.to_json()
    digest = _inputs_hash(source.sha256, provenance, summary)
    return await _store_and_publish(
        context, source, product_id, figures, summary, breakdown, provenance, digest
    )


def _failed(product_id: str, errors: list[CalcError]) -> ProductComputation:
    return ProductComputation(product_id, 0, False, {}, {}, tuple(str(e) for e in errors))


def _breakdown(
    result: CalcResult,
    figures: ProductFigures,
    lines: Sequence[UpstreamLine],
    used: Mapping[tuple[str, str], ReceivedFootprintRow],
) -> tuple[dict[str, Any], Profile, Profile]:
    profiles_pcf = {
        k: tuple(Decimal(x) for x in r.value.get("tiers_pcf", [])) for k, r in used.items()
    }
    profiles_see = {
        k: tuple(Decimal(x) for x in r.value.get("tiers_see", [])) for k, r in used.items()
    }
    out: dict[str, Any] = {"precursors": {}, "tiers": {}}
    pcf_profile: Profile = ()
    see_profile: Profile = ()
    if figures.pcf is not None:
        out["precursors"]["pcf"], pcf_profile = pcf_lines(figures.pcf, profiles_pcf)
        out["tiers"]["pcfKgCo2e"] = [num(x) for x in pcf_profile]
    if figures.good is not None:
        out["precursors"]["see"], see_profile = see_lines(result, figures.good, profiles_see)
        out["tiers"]["seeTCo2ePerT"] = [num(x) for x in see_profile]
    missing = [
        f"{line.supplier_did}#{line.supplier_product_id}"
        for line in lines
        if (line.supplier_did, line.supplier_product_id) not in used
    ]
    stale = [f"{k[0]}#{k[1]}: {r.stale_reason}" for k, r in sorted(used.items()) if r.stale]
    out["flags"] = {"default": missing, "stale": stale}
    out["notes"] = list(result.notes)
    return out, pcf_profile, see_profile


def _inputs_hash(file_sha: str, provenance: Provenance, summary: dict[str, Any]) -> str:
    text = json.dumps([file_sha, provenance.to_json(), summary], sort_keys=True)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


async def _store_and_publish(
    context: NodeContext,
    source: Source,
    product_id: str,
    figures: ProductFigures,
    summary: dict[str, Any],
    breakdown: dict[str, Any],
    provenance: Provenance,
    digest: str,
) -> ProductComputation:
    async with context.database.session() as session:
        stored = await session.get(ComputedFootprintRow, product_id)
    if stored is not None and stored.inputs_hash == digest:
        return ProductComputation(product_id, stored.version, False, summary, breakdown)
    published = await publish_product(context, source.model, product_id, figures, provenance)
    if isinstance(published, Failure):
        return ProductComputation(
            product_id,
            stored.version if stored else 0,
            False,
            summary,
            breakdown,
            (published.detail, *published.details),
        )
    submodel_id, version = published.value
    async with context.database.session() as session:
        current = await session.get(ComputedFootprintRow, product_id) or ComputedFootprintRow(
            product_id=product_id,
            installation_id=source.installation_id,
            inputs_hash="",
            result={},
            breakdown={},
            computed_at=context.clock.now(),
        )
        current.version, current.inputs_hash = version, digest
        current.installation_id = source.installation_id
        current.result, current.breakdown = summary, breakdown
        current.published_submodel_id = submodel_id
        current.computed_at = context.clock.now()
        session.add(current)
        await session.commit()
    return ProductComputation(product_id, version, True, summary, breakdown)


async def recompute_store_products(context: NodeContext) -> tuple[ProductComputation, ...]:
    """Recompute every product composed from the product store, e.g. after a products import:
    each once, the components of ours before the products using them."""
    composed = await _store_composed(context)
    components = await _components_of_ours(context)
    done = []
    for product_id in components_first(composed, components):
        computed = await _compose_store_product(context, product_id)
        if isinstance(computed, Ok):
            done.append(computed.value)
    return tuple(done)


async def _store_composed(context: NodeContext) -> set[str]:
    """Products composed from the product store: a BOM naming a supplier, and no installation
    file linking them (a file computes those)."""
    linked = _file_computed(await _installation_files(context))
    return {product for product in await products_with_supplier(context) if product not in linked}


async def _installation_files(context: NodeContext) -> Sequence[InstallationFileRow]:
    async with context.database.session() as session:
        return (await session.exec(select(InstallationFileRow))).all()


def _file_computed(rows: Sequence[InstallationFileRow]) -> set[str]:
    """The products installation files compute (the product store composes none of them)."""
    return {product for row in rows for product in row.links.values()}


async def _components_of_ours(context: NodeContext) -> dict[str, set[str]]:
    """Product id -> the products of ours its store BOM uses (lines naming no supplier)."""
    components: dict[str, set[str]] = {}
    for product, component in await internal_component_lines(context):
        components.setdefault(product, set()).add(component)
    return components


async def _store_users(context: NodeContext, product_id: str) -> list[str]:
    """The store-composed products that use `product_id` as a component of ours, directly or
    through others of them, components first."""
    composed = await _store_composed(context)
    components = await _components_of_ours(context)
    users: dict[str, set[str]] = {}
    for product in composed:
        for component in components.get(product, ()):
            users.setdefault(component, set()).add(product)
    found: set[str] = set()
    todo = [product_id]
    while todo:
        for user in users.get(todo.pop(), ()):
            if user not in found and user != product_id:
                found.add(user)
                todo.append(user)
    return components_first(found, components)


def components_first(products: Iterable[str], components: Mapping[str, set[str]]) -> list[str]:
    """`products` in an order where each comes after those of them it uses, directly or through
    others of them (ties by id); a cycle of our own products is cut where it closes."""
    wanted = set(products)
    order: list[str] = []
    seen: set[str] = set()

    def visit(product: str) -> None:
        if product in seen:
            return
        seen.add(product)
        for component in sorted(components.get(product, ())):
            if component in wanted:
                visit(component)
        order.append(product)

    for product in sorted(wanted):
        visit(product)
    return order


async def products_using(
    context: NodeContext, supplier_did: str, product_id: str
) -> list[tuple[str, str]]:
    """(installation id, product id) of our products with a line on that supplier product: in
    an installation file, or (`product-store`) in the BOM of a product no file computes."""
    found = []
    rows = await _installation_files(context)
    linked = _file_computed(rows)
    for product in await products_with_supplier(context, supplier_did, product_id):
        if product not in linked:
            found.append((STORE_SOURCE, product))
    for row in rows:
        parsed = parse_document(row.document)
        if isinstance(parsed, Failure):
            continue
        for product in sorted(set(row.links.values())):
            lines = upstream_lines(parsed.value, items_of_product(row.links, product))
            if any(
                line.supplier_did == supplier_did and line.supplier_product_id == product_id
                for line in lines
            ):
                found.append((row.installation_id, product))
    return found
