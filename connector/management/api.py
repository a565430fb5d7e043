"""Management API routers: the EDC Management API v3 under `/api/management/v3/...` (assets,
policy definitions, contract definitions, catalog, negotiations, agreements, transfers, EDRs),
carbonspace additions (`/v3/policytemplates`, `/fetch`), and `GET /api/management/node`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from connector.context import NodeContext, get_context
from connector.management._catalog_api import router as catalog_router
from connector.management._edr_chain import KIND as EDR_CHAIN
from connector.management._edr_chain import EdrChainProcessor
from connector.management._process_api import router as process_router
from connector.management._provider_api import router as provider_router
from connector.management._retirement_api import router as retirement_router
from connector.work import register_processor

management_router = APIRouter(prefix="/api/management", tags=["management"])
# FastAPI tries routes in this order, so the routes scripts poll (negotiation, transfer and
# EDR state) come first. No two of these routers share a path under one method, so the order
# changes no route's meaning.
management_router.include_router(process_router)
management_router.include_router(provider_router)
management_router.include_router(catalog_router)
management_router.include_router(retirement_router)


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


@management_router.get("/check/{probe}")
async def check(probe: str, context: NodeContext = Depends(get_context)) -> JSONResponse:
    """EDC's health probes under the management base (`health`, `liveness`, `readiness`,
    `startup`): `isSystemHealthy` is the database answering."""
    if probe not in ("health", "liveness", "readiness", "startup"):
        return JSONResponse(
            [
                {
                    "message": f"no probe {probe!r}",
                    "type": "ObjectNotFound",
                    "path": None,
                    "invalidValue": None,
                }
            ],
            status_code=404,
        )
    healthy = await context.database.ping()
    body = {
        "isSystemHealthy": healthy,
        "componentResults": [{"component": "database", "isHealthy": healthy, "failure": None}],
    }
    return JSONResponse(body, status_code=200 if healthy else 503)


async def on_startup(context: NodeContext) -> None:
    """Register the `POST /v3/edrs` chain's work processor (before the work loop starts)."""
    register_processor(context, EDR_CHAIN, EdrChainProcessor())
