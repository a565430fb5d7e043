"""Upstream routes (issue 7, items 4 and 6).

Public (protocol port): `POST /api/notifications/footprint-updated`, a supplier telling us it
published a new version (DCP-authenticated like every DSP call; outside the DSP namespace
because DSP 2025-1 defines no such message). Management: resolve a product now, list the
received supplier values with their stale flags.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlmodel import select

from connector.context import NodeContext, get_context
from connector.errors import failure_response
from connector.outcome import Failure, unauthorized
from connector.upstream.models import ReceivedFootprintRow
from connector.upstream.processors import NotifyProcessor, RefreshProcessor
from connector.upstream.propagation import (
    NOTIFICATION_PATH,
    NOTIFY_KIND,
    REFRESH_KIND,
    accept_notification,
)
from connector.upstream.schemas import FootprintUpdated, ResolveRequest
from connector.upstream.service import resolve_product
from connector.work import register_processor

public_router = APIRouter(tags=["upstream"])
management_router = APIRouter(prefix="/api/management/upstream", tags=["upstream"])


async def on_startup(context: NodeContext) -> None:
    register_processor(context, NOTIFY_KIND, NotifyProcessor())
    register_processor(context, REFRESH_KIND, RefreshProcessor())


@public_router.post(NOTIFICATION_PATH, status_code=202)
async def footprint_updated(
    request: Request,
    notice: FootprintUpdated,
    authorization: str | None = Header(default=None),
    context: NodeContext = Depends(get_context),
) -> Any:
    """A supplier announces a new footprint version; we refresh what depends on it."""
    caller = await context.service("identity").authenticate(authorization)
    if isinstance(caller, Failure):
        return failure_response(request, caller)
    if caller.value.did != notice.publisher:
        failure = unauthorized(f"publisher {notice.publisher} is not the caller {caller.value.did}")
        return failure_response(request, failure)
    outcome = await accept_notification(
        context, notice.publisher, notice.product_id, notice.asset_id, notice.version
    )
    if isinstance(outcome, Failure):
        return failure_response(request, outcome)
    status = 202 if outcome.value == "accepted" else 200
    return JSONResponse({"status": outcome.value}, status_code=status)


@management_router.post("/resolve/{product_id}")
async def resolve(
    request: Request,
    product_id: str,
    body: ResolveRequest | None = Body(default=None),
    stream: bool = Query(default=False),
    context: NodeContext = Depends(get_context),
) -> Any:
    """Resolve the product's supplier lines now; the same JSON as `carbonspace resolve --json`.

    `?stream=true` answers NDJSON progress events (`lines`, one `line` per supplier line as it
    completes) and ends with the `report` event (or `error`)."""
    concurrency = body.concurrency if body is not None else 8
    if stream:
        return StreamingResponse(
            _resolve_events(context, product_id, concurrency), media_type="application/x-ndjson"
        )
    report = await resolve_product(context, product_id, concurrency=concurrency)
    if isinstance(report, Failure):
        return failure_response(request, report)
    return report.value.to_json()


async def _resolve_events(
    context: NodeContext, product_id: str, concurrency: int
) -> AsyncIterator[bytes]:
    events: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()

    async def run() -> None:
        try:
            report = await resolve_product(
                context,
                product_id,
                concurrency=concurrency,
                on_lines=lambda n: events.put_nowait({"event": "lines", "total": n}),
                on_line=lambda o: events.put_nowait({"event": "line", **o.to_json()}),
            )
            if isinstance(report, Failure):
                events.put_nowait({"event": "error", "detail": report.detail})
            else:
                events.put_nowait({"event": "report", "report": report.value.to_json()})
        finally:
            events.put_nowait(None)

    task = asyncio.create_task(run())
    while (event := await events.get()) is not None:
        yield (json.dumps(event) + "\n").encode()
    await task


@management_router.get("/received")
async def received(context: NodeContext = Depends(get_context)) -> list[dict[str, Any]]:
    """Every supplier value we hold, with its agreement, version and stale flag."""
    async with context.database.session() as session:
        rows = (await session.exec(select(ReceivedFootprintRow))).all()
    return [
        received_json(row)
        for row in sorted(rows, key=lambda r: (r.supplier_did, r.supplier_product_id))
    ]


def received_json(row: ReceivedFootprintRow) -> dict[str, Any]:
    return {
        "supplier": row.supplier_did,
        "supplierProductId": row.supplier_product_id,
        "assetId": row.asset_id,
        "version": row.version,
        "announcedVersion": row.announced_version or None,
        "agreementId": row.agreement_id,
        "submodelHash": row.submodel_hash,
        "stale": row.stale,
        "staleReason": row.stale_reason or None,
        "value": {k: v for k, v in row.value.items() if not k.startswith("tiers_")},
        "receivedAt": row.received_at.isoformat(),
    }
