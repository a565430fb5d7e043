"""Product store use cases (issue 5): import from JSON / CSV (all or nothing, every problem named
by line and field), listing, publication of footprint versions, and read access to what is
published (the AAS API repository, `get_submodel_json`, the environment export)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from typing import Any

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from aas_models import (
    REFERENCE_UNITS,
    Footprint,
    MappingError,
    ProductIdentity,
    StoredIdentifiable,
    environment,
    parse_submodel,
    to_catenax,
    to_pact,
)
from connector.context import NodeContext
from connector.outcome import Failure, Ok, bad_request, not_found
from connector.products import _ids
from connector.products._footprints import footprint_from_input
from connector.products._parse_import import Located, Parsed, parse_import
from connector.products._publish import (
    Finish,
    Publication,
    identity_of,
    latest_version,
    publish_in_session,
    store_shell,
)
from connector.products._repository import DatabaseRepository, published_changed
from connector.products.models import (
    BomLineRow,
    ProductRow,
    PublishedSubmodelRow,
)
from connector.products.schemas import ImportSummary, ProductIn, ProductView

# `(product_id) -> Finish`: signs the submodels an import publishes (set by the calculation
# feature when the node's identity is loaded).
IMPORT_SIGNER = "products.import_signer"
# `async (context) -> Any`, run after each successful import (recomputes composed products).
IMPORTED_HOOK = "products.imported"
log = logging.getLogger("carbonspace.products")

__all__ = [
    "DatabaseRepository",
    "Publication",
    "current_footprint_document",
    "export_environment",
    "get_submodel_json",
    "import_and_recompose",
    "import_file",
    "list_products",
    "publish_footprint",
    "replace_submodel_json",
]


async def import_file(
    context: NodeContext, content: bytes, filename: str = "products.json"
) -> Ok[ImportSummary] | Failure:
    """Import products, BOM lines and footprints; a file with any error stores nothing."""
    parsed = parse_import(content, filename)
    did, now = context.settings.node.did, context.clock.now()
    async with context.database.session() as session:
        known = await _known_products(session, parsed)
        errors = [*parsed.errors, *_check_references(parsed, known)]
        footprints = _build_footprints(parsed, known, did, now, errors)
        if errors:
            return _refused(tuple(errors))
        rows = await _store_products(session, parsed.products, did, now)
        known_rows = {**{r.id: r for r in await _rows(session, known)}, **rows}
        bom_count = await _replace_bom(session, parsed)
        published: list[str] = []
        signer = context.services.get(IMPORT_SIGNER)  # set by the calculation feature
        for where, product_id, footprint, publish in await _versioned(session, footprints):
            finish = signer(product_id) if signer is not None else None
            outcome = await publish_in_session(
                session, did, known_rows[product_id], footprint, {"import": where}, now, publish,
                finish,
            )  # fmt: skip
            if isinstance(outcome, Failure):
                return bad_request(
                    "import refused; nothing was stored", f"{where}: {outcome.detail}"
                )
            if publish:
                published.append(outcome.value.submodel_id)
        await session.commit()
    published_changed(context)
    return Ok(
        ImportSummary(
            products=len(parsed.products),
            bom_lines=bom_count,
            footprints=len(footprints),
            published=published,
        )
    )


async def import_and_recompose(
    context: NodeContext, content: bytes, filename: str = "products.json"
) -> Ok[ImportSummary] | Failure:
    """`import_file`, then the products composed from the store are recomputed (the import is
    stored either way: a failed recomputation is logged, not returned)."""
    outcome = await import_file(context, content, filename)
    imported = context.services.get(IMPORTED_HOOK)  # set by the calculation feature
    if isinstance(outcome, Ok) and imported is not None:
        try:
            await imported(context)
        except Exception:
            log.exception("recomputation after a products import failed")
    return outcome


def _refused(errors: tuple[str, ...]) -> Failure:
    return bad_request(f"import refused: {len(errors)} problem(s); nothing was stored", *errors)


async def _known_products(session: AsyncSession, parsed: Parsed) -> dict[str, str]:
    """Product id -> declared unit, from the file and (for the rest) the database."""
    units = {p.record.id: p.record.unit for p in parsed.products}
    wanted = {f.record.product for f in parsed.footprints} | {b.record.product for b in parsed.bom}
    missing = wanted - units.keys()
    if missing:
        result = await session.exec(select(ProductRow).where(col(ProductRow.id).in_(missing)))
        units.update({row.id: row.unit for row in result.all()})
    return units


def _check_references(parsed: Parsed, known: dict[str, str]) -> list[str]:
    errors: list[str] = []
    seen: set[str] = set()
    for located in parsed.products:
        record: ProductIn = located.record
        if record.id in seen:
            errors.append(f"{located.where}: product {record.id!r} appears twice")
        seen.add(record.id)
        if record.unit not in REFERENCE_UNITS:
            errors.append(f"{located.where}: unit {record.unit!r} not in {sorted(REFERENCE_UNITS)}")
    for located in (*parsed.bom, *parsed.footprints):
        if located.record.product not in known:
            errors.append(f"{located.where}: product {located.record.product!r} is unknown")
    return errors


def _build_footprints(
    parsed: Parsed, known: dict[str, str], did: str, now: Any, errors: list[str]
) -> list[tuple[str, str, Footprint, bool]]:
    built = []
    for located in parsed.footprints:
        record = located.record
        if record.product not in known:
            continue
        outcome = footprint_from_input(record, known[record.product], did, now)
        if isinstance(outcome, str):
            errors.append(f"{located.where}: {outcome}")
        else:
            built.append((located.where, record.product, outcome, record.publish))
    return built


async def _versioned(
    session: AsyncSession, footprints: list[tuple[str, str, Footprint, bool]]
) -> list[tuple[str, str, Footprint, bool]]:
    """Give each footprint the next version of its product (and its stable footprint id)."""
    next_version: dict[str, int] = {}
    out = []
    for where, product_id, footprint, publish in footprints:
        if product_id not in next_version:
            next_version[product_id] = await latest_version(session, product_id) + 1
        version = next_version[product_id]
        next_version[product_id] += 1
        versioned = replace(
            footprint,
            version=version,
            footprint_id=footprint_id_for(footprint.footprint_id, product_id, version),
        )
        out.append((where, product_id, versioned, publish))
    return out


def footprint_id_for(did: str, product_id: str, version: int) -> str:
    """A stable UUID per product version (PACT `id`)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{did}/{product_id}/v{version}"))


async def _store_products(
    session: AsyncSession, products: tuple[Located, ...], did: str, now: Any
) -> dict[str, ProductRow]:
    rows: dict[str, ProductRow] = {}
    for located in products:
        record: ProductIn = located.record
        row = await session.get(ProductRow, record.id)
        if row is None:
            row = ProductRow(id=record.id, created_at=now, updated_at=now, name="", unit="",
                             global_asset_id="")  # fmt: skip
        row.name, row.unit, row.cn_code = record.name, record.unit, record.cn_code
        row.description = record.description
        row.global_asset_id = record.global_asset_id or _ids.default_global_asset_id(did, record.id)
        row.updated_at = now
        session.add(row)
        rows[record.id] = row
    await session.flush()
    for row in rows.values():
        current = await session.get(PublishedSubmodelRow, _ids.submodel_id(did, row.id))
        await store_shell(
            session, row, _ids.shell_id(did, row.id), current.id if current else None, now
        )
    return rows


async def _rows(session: AsyncSession, known: dict[str, str]) -> list[ProductRow]:
    result = await session.exec(select(ProductRow).where(col(ProductRow.id).in_(list(known))))
    return list(result.all())


async def _replace_bom(session: AsyncSession, parsed: Parsed) -> int:
    """The file's BOM lines replace the stored lines of the products they belong to."""
    by_product: dict[str, list[Any]] = {}
    for located in parsed.bom:
        by_product.setdefault(located.record.product, []).append(located.record)
    for product_id, lines in by_product.items():
        await session.exec(delete(BomLineRow).where(col(BomLineRow.product_id) == product_id))
        for number, line in enumerate(lines, start=1):
            session.add(
                BomLineRow(
                    product_id=product_id,
                    line_no=number,
                    component_product_id=line.component,
                    quantity=str(line.quantity),
                    unit=line.unit,
                    supplier_participant=line.supplier,
                    supplier_product_id=line.supplier_product_id,
                )
            )
    return len(parsed.bom)


async def list_products(context: NodeContext) -> list[ProductView]:
    """All products with their BOM lines and publication state, sorted by id."""
    did = context.settings.node.did
    async with context.database.session() as session:
        products = (await session.exec(select(ProductRow).order_by(col(ProductRow.id)))).all()
        lines = (await session.exec(select(BomLineRow).order_by(col(BomLineRow.line_no)))).all()
        published = {
            r.product_id: r for r in (await session.exec(select(PublishedSubmodelRow))).all()
        }
    views = []
    for product in products:
        current = published.get(product.id)
        views.append(
            ProductView(
                id=product.id,
                name=product.name,
                cn_code=product.cn_code,
                unit=product.unit,
                global_asset_id=product.global_asset_id,
                shell_id=_ids.shell_id(did, product.id),
                submodel_id=current.id if current else None,
                asset_id=current.asset_id if current else None,
                latest_version=current.version if current else None,
                bom=[_bom_view(line) for line in lines if line.product_id == product.id],
            )
        )
    return views


def _bom_view(line: BomLineRow) -> dict[str, Any]:
    view: dict[str, Any] = {
        "component": line.component_product_id,
        "quantity": line.quantity,
        "unit": line.unit,
    }
    if line.supplier_participant:
        view["supplier"] = line.supplier_participant
        view["supplierProductId"] = line.supplier_product_id
    return view


async def publish_footprint(
    context: NodeContext,
    product_id: str,
    footprint: Footprint,
    *,
    provenance: dict[str, Any] | None = None,
    product: ProductIdentity | None = None,
    finish: Finish | None = None,
) -> Ok[Publication] | Failure:
    """Publish a new footprint version of `product_id` (version 0 = the next one) as a new
    CarbonFootprint submodel version, refresh the shell and register the catalog asset.

    A product not in the store is created from `product` (else not found). `finish` maps the
    submodel JSON to what is stored and served (e.g. signs it) in the same transaction."""
    did, now = context.settings.node.did, context.clock.now()
    async with context.database.session() as session:
        row = await session.get(ProductRow, product_id)
        if row is None and product is None:
            return not_found(f"product {product_id!r} is not in the product store")
        if row is None and product is not None:
            row = _new_product_row(product_id, product, footprint.declared_unit, now)
            session.add(row)
            await session.flush()
        assert row is not None
        if footprint.version == 0:
            version = await latest_version(session, product_id) + 1
            footprint = replace(
                footprint, version=version, footprint_id=footprint_id_for(did, product_id, version)
            )
        outcome = await publish_in_session(
            session, did, row, footprint, provenance or {}, now, finish=finish
        )
        if isinstance(outcome, Ok):
            await session.commit()
            published_changed(context)
        return outcome


def _new_product_row(product_id: str, product: ProductIdentity, unit: str, now: Any) -> ProductRow:
    return ProductRow(
        id=product_id,
        name=product.name,
        cn_code=product.cn_code,
        unit=unit,
        global_asset_id=product.global_asset_id,
        description=product.description,
        created_at=now,
        updated_at=now,
    )


async def replace_submodel_json(
    context: NodeContext, submodel_id: str, version: int, json_text: str
) -> Ok[None] | Failure:
    """Replace the stored JSON of the current version (e.g. by its signed form)."""
    async with context.database.session() as session:
        row = await session.get(PublishedSubmodelRow, submodel_id)
        if row is None or row.version != version:
            return not_found(f"submodel {submodel_id!r} version {version} is not the current one")
        row.json_text = json_text
        session.add(row)
        await session.commit()
    published_changed(context)
    return Ok(None)


async def get_submodel_json(context: NodeContext, submodel_id: str) -> str | None:
    """The AAS JSON of the current version of a published submodel, or None."""
    async with context.database.session() as session:
        row = await session.get(PublishedSubmodelRow, submodel_id)
        return row.json_text if row is not None else None


async def current_footprint_document(
    context: NodeContext, product_id: str, format: str
) -> Ok[dict[str, Any]] | Failure:
    """The product's published footprint as PACT v3 (`pact`) or Catena-X PCF 9 (`catenax`)."""
    if format not in ("pact", "catenax"):
        return bad_request(f"format: {format!r} must be pact or catenax")
    did = context.settings.node.did
    async with context.database.session() as session:
        product = await session.get(ProductRow, product_id)
        current = await session.get(PublishedSubmodelRow, _ids.submodel_id(did, product_id))
    if product is None or current is None:
        return not_found(f"product {product_id!r} has no published footprint")
    footprint = parse_submodel(StoredIdentifiable(current.id, current.json_text).submodel())
    identity = replace(
        identity_of(product),
        company_name=context.settings.node.name,
        company_ids=(f"urn:carbonspace:participant:{_ids.node_part(did)}",),
    )
    try:
        document = (to_pact if format == "pact" else to_catenax)(footprint, identity)
    except MappingError as exc:
        return bad_request(f"footprint of {product_id} cannot be written as {format}: {exc}")
    return Ok(document)


async def export_environment(context: NodeContext) -> dict[str, Any]:
    """Every shell and current submodel as an AAS JSON environment (with the template CDs)."""
    repository = DatabaseRepository(context)
    shells = [item.data for item in await repository.shells()]
    submodels = [item.data for item in await repository.submodels()]
    return environment(shells, submodels, include_concept_descriptions=True)
