"""`/health` (database reachable, migrations current) and `/metrics` (Prometheus text)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from connector.context import NodeContext, get_context
from connector.db import current_revision, head_revision

public_router = APIRouter(tags=["observability"])


@public_router.get("/health")
async def health(context: NodeContext = Depends(get_context)) -> JSONResponse:
    """200 when the database answers and is at the newest migration, else 503."""
    database_up = await context.database.ping()
    current = await current_revision(context.database) if database_up else None
    head = head_revision()
    healthy = database_up and current == head
    body = {
        "status": "UP" if healthy else "DOWN",
        "node": context.settings.node.did,
        "database": {"reachable": database_up, "dialect": context.database.engine.dialect.name},
        "migrations": {"current": current, "head": head},
    }
    return JSONResponse(body, status_code=200 if healthy else 503)


@public_router.get("/metrics")
async def metrics(context: NodeContext = Depends(get_context)) -> Response:
    return Response(context.metrics.render(), media_type="text/plain; version=0.0.4")
