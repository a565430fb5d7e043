"""Installation data routes (issue 7, item 2), management surface:

- `POST /api/management/installations` with `{"document": <calc input file>, "links":
  {"<good or BOM product id>": "<product id>"}}`: validate, store, recompute, publish; a bad file
  is refused whole (400, one EDC error entry per problem, each naming its path);
- `GET /api/management/installations`: what is imported and how goods link to products;
- `GET /api/management/installations/products/{product_id}`: the latest computation of a
  product (figures, breakdown by precursor and tier, default / stale flags).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from connector.calculation._publication import import_signer
from connector.calculation.installation import import_installation, list_installations
from connector.calculation.models import ComputedFootprintRow
from connector.calculation.recompute import recompute_installation, recompute_store_products
from connector.context import NodeContext, get_context
from connector.errors import failure_response
from connector.outcome import Failure, not_found
from connector.products.service import IMPORT_SIGNER, IMPORTED_HOOK

management_router = APIRouter(prefix="/api/management/installations", tags=["installations"])


class InstallationImport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    document: dict[str, Any]
    links: dict[str, str] = Field(default_factory=dict)


@management_router.post("", status_code=201)
async def import_file(
    request: Request, body: InstallationImport, context: NodeContext = Depends(get_context)
) -> Any:
    """Import (or replace) one installation file, then recompute its products."""
    imported = await import_installation(context, body.document, body.links)
    if isinstance(imported, Failure):
        return failure_response(request, imported)
    recomputed = await recompute_installation(context, imported.value.installation_id)
    products = (
        []
        if isinstance(recomputed, Failure)
        else [
            {
                "productId": c.product_id,
                "version": c.version,
                "published": c.published,
                "result": c.result,
                "problems": list(c.problems),
            }
            for c in recomputed.value
        ]
    )
    return {
        "installationId": imported.value.installation_id,
        "links": imported.value.links,
        "replaced": imported.value.replaced,
        "products": products,
    }


@management_router.get("")
async def installations(context: NodeContext = Depends(get_context)) -> list[dict[str, Any]]:
    return [
        {
            "installationId": row.installation_id,
            "links": row.links,
            "sha256": row.sha256,
            "importedAt": row.imported_at.isoformat(),
        }
        for row in await list_installations(context)
    ]


@management_router.get("/products/{product_id}")
async def product(
    request: Request, product_id: str, context: NodeContext = Depends(get_context)
) -> Any:
    async with context.database.session() as session:
        row = await session.get(ComputedFootprintRow, product_id)
    if row is None:
        return failure_response(request, not_found(f"product {product_id} is not computed"))
    return {
        "productId": row.product_id,
        "installationId": row.installation_id,
        "version": row.version,
        "result": row.result,
        "breakdown": row.breakdown,
        "computedAt": row.computed_at.isoformat(),
    }


async def on_startup(context: NodeContext) -> None:
    """Hooks of the product store: footprints it imports are published signed (in the import
    transaction), and the products composed from it are recomputed after each import."""
    if "identity" in context.services:
        context.services[IMPORT_SIGNER] = import_signer(context)
    context.services[IMPORTED_HOOK] = recompute_store_products
