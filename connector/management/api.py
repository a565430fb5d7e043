"""Management API routers: the EDC Management API v3 under `/api/management/v3/...` (assets,
policy definitions, contract definitions, catalog, negotiations, agreements, transfers, EDRs),
carbonspace additions (`/v3/policytemplates`, `/fetch`), and `GET /api/management/node`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from connector.context import NodeContext, get_context
from connector.management._catalog_api import router as catalog_router
from connector.management._process_api import router as process_router
from connector.management._provider_api import router as provider_router

management_router = APIRouter(prefix="/api/management", tags=["management"])
management_router.include_router(provider_router)
management_router.include_router(catalog_router)
management_router.include_router(process_router)


@management_router.get("/node")
async def describe_node(context: NodeContext = Depends(get_context)) -> dict[str, Any]:
    """The node's identity and endpoints, for operators and scripts."""
    settings = context.settings
    base = settings.node.url
    return {
        "name": settings.node.name,
        "did": settings.node.did,
        "url": base,
        "dspEndpoint": f"{base}/api/dsp",
        "database": context.database.engine.dialect.name,
        "trustedAuthorities": list(settings.trust.authorities),
    }
