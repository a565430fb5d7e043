"""Management API routers. Feature routers for assets, policies, contracts, negotiations,
transfers and EDRs are included here; `GET /api/management/node` describes the node."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from connector.context import NodeContext, get_context

management_router = APIRouter(prefix="/api/management", tags=["management"])


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
