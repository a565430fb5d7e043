"""Read access to a product's bill of materials for the upstream resolver (issue 7): the BOM
lines as imported, the product's own imported footprint and the current footprints of the
component products the node keeps itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import col, select

from aas_models import Footprint
from connector.context import NodeContext
from connector.products._records import record_to_footprint
from connector.products.models import BomLineRow, FootprintRow, ProductRow


@dataclass(frozen=True)
class BomLine:
    """One imported BOM line: `quantity` (exact decimal text) of `component` in `unit` per
    declared unit of the product; supplier lines name the supplier's DID and product id."""

    line_no: int
    component: str
    quantity: str
    unit: str
    supplier: str | None = None
    supplier_product_id: str | None = None


@dataclass(frozen=True)
class ProductBom:
    """A product of the store with its BOM. `imported` is its latest footprint imported by the
    operator (not one the node composed); `components` the latest footprint of each component
    that is itself a product of this store."""

    product_id: str
    name: str
    unit: str
    lines: tuple[BomLine, ...]
    imported: Footprint | None = None
    components: Mapping[str, Footprint] = field(default_factory=dict)

    @property
    def supplier_lines(self) -> tuple[BomLine, ...]:
        return tuple(x for x in self.lines if x.supplier and x.supplier_product_id)


async def product_bom(context: NodeContext, product_id: str) -> ProductBom | None:
    """The product's BOM as stored, or None when the product is not in the store."""
    async with context.database.session() as session:
        product = await session.get(ProductRow, product_id)
        if product is None:
            return None
        statement = select(BomLineRow).where(col(BomLineRow.product_id) == product_id)
        rows = sorted((await session.exec(statement)).all(), key=lambda r: r.line_no)
        wanted = {product_id, *(r.component_product_id for r in rows)}
        footprints = (
            await session.exec(select(FootprintRow).where(col(FootprintRow.product_id).in_(wanted)))
        ).all()
    latest: dict[str, FootprintRow] = {}
    imported: FootprintRow | None = None
    for row in sorted(footprints, key=lambda r: r.version):
        latest[row.product_id] = row
        if row.product_id == product_id and "import" in row.provenance:
            imported = row
    return ProductBom(
        product_id=product.id,
        name=product.name,
        unit=product.unit,
        lines=tuple(_line(r) for r in rows),
        imported=None if imported is None else record_to_footprint(imported.record),
        components={
            pid: record_to_footprint(row.record) for pid, row in latest.items() if pid != product_id
        },
    )


def _line(row: BomLineRow) -> BomLine:
    return BomLine(
        row.line_no,
        row.component_product_id,
        row.quantity,
        row.unit,
        row.supplier_participant,
        row.supplier_product_id,
    )


async def products_with_supplier(
    context: NodeContext, supplier_did: str | None = None, supplier_product_id: str | None = None
) -> list[str]:
    """Ids of the store products with a BOM line on that supplier product (on any supplier
    product when not given), sorted."""
    statement = select(BomLineRow.product_id).where(
        col(BomLineRow.supplier_participant).is_not(None),
        col(BomLineRow.supplier_product_id).is_not(None),
    )
    if supplier_did is not None:
        statement = statement.where(col(BomLineRow.supplier_participant) == supplier_did)
    if supplier_product_id is not None:
        statement = statement.where(col(BomLineRow.supplier_product_id) == supplier_product_id)
    async with context.database.session() as session:
        found = set((await session.exec(statement)).all())
    return sorted(found)


async def internal_component_lines(context: NodeContext) -> list[tuple[str, str]]:
    """(product id, component product id) of every store BOM line on a component of our own
    (no supplier): which of our products use which others."""
    statement = select(BomLineRow.product_id, BomLineRow.component_product_id).where(
        col(BomLineRow.supplier_participant).is_(None)
    )
    async with context.database.session() as session:
        return [(product, component) for product, component in (await session.exec(statement))]
