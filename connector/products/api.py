"""Product store routes (issue 5), management surface (X-Api-Key enforced by the app):

- `POST /api/management/products/import`: a products file (JSON, or CSV with `Content-Type:
  text/csv`); refused whole with one EDC error entry per problem (line and field) and nothing
  stored;
- `GET /api/management/products`: products, BOM lines and publication state;
- `GET /api/management/products/{id}/footprint?format=pact|catenax`: the current footprint in
  PACT v3 or Catena-X PCF 9.0.0 shape;
- `/api/aas/...`: the AAS API Part 2 (read) over the published shells and submodels.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from connector.context import NodeContext, get_context
from connector.errors import failure_response
from connector.outcome import Failure
from connector.products._cache import SubmodelCache
from connector.products.aas_api import build_aas_router
from connector.products.service import (
    current_footprint_document,
    import_and_recompose,
    list_products,
)

AAS_PATH = "/api/aas"

management_router = APIRouter()
_products = APIRouter(prefix="/api/management/products", tags=["products"])


@_products.post("/import")
async def import_products(request: Request, context: NodeContext = Depends(get_context)) -> Any:
    """Import products, BOM lines and footprints; publishes the footprints."""
    content = await request.body()
    csv = request.headers.get("content-type", "").startswith("text/csv")
    outcome = await import_and_recompose(context, content, "upload.csv" if csv else "upload.json")
    if isinstance(outcome, Failure):
        return failure_response(request, outcome)
    return JSONResponse(outcome.value.model_dump(by_alias=True))


@_products.get("")
async def products(context: NodeContext = Depends(get_context)) -> Any:
    views = await list_products(context)
    return [view.model_dump(by_alias=True) for view in views]


@_products.get("/{product_id}/footprint")
async def footprint(
    request: Request,
    product_id: str,
    format: str = "pact",
    context: NodeContext = Depends(get_context),
) -> Any:
    """The product's current footprint as a PACT ProductFootprint or a Catena-X PCF aspect."""
    outcome = await current_footprint_document(context, product_id, format)
    if isinstance(outcome, Failure):
        return failure_response(request, outcome)
    return JSONResponse(outcome.value)


management_router.include_router(_products)
management_router.include_router(build_aas_router(AAS_PATH))


async def on_startup(context: NodeContext) -> None:
    """The AAS API's submodel cache (cleared by every publication in this process)."""
    context.services["products"] = SubmodelCache()
