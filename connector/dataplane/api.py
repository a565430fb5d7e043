"""Data-plane surfaces: `/api/public` (the AAS API behind EDRs, built by
`connector.products.aas_api.build_aas_router` with our guard, plus the EDR token refresh) and
the owner's audit-log listing/export under `/api/management/audit`."""

from __future__ import annotations

import importlib.util
import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from connector.context import NodeContext, get_context
from connector.dataplane._audit import EXPORT_FIELDS, export_audit, list_audit
from connector.dataplane._guard import check_grant, data_plane_guard, verify_token
from connector.dataplane._tokens import PUBLIC_PATH, REFRESH_USE, issue_edr
from connector.errors import failure_response
from connector.outcome import Failure, bad_request

data_router = APIRouter(tags=["data plane"])
management_router = APIRouter(prefix="/api/management/audit", tags=["audit"])


@data_router.post(PUBLIC_PATH + "/token")
async def refresh_token(request: Request, context: NodeContext = Depends(get_context)) -> Response:
    """OAuth 2 `refresh_token` grant: a new access token for a still-valid transfer."""
    form = await _form(request)
    if form.get("grant_type") != "refresh_token" or not form.get("refresh_token"):
        return failure_response(
            request, bad_request("grant_type=refresh_token and refresh_token are required")
        )
    granted = await verify_token(context, form["refresh_token"], REFRESH_USE)
    if isinstance(granted, Failure):
        return failure_response(request, granted)
    grant = granted.value
    problem = await check_grant(context, grant, "token", None)
    if problem is not None:
        return failure_response(request, problem)
    from connector.assets.models import AssetRow

    async with context.database.session() as session:
        asset = await session.get(AssetRow, grant.asset_id)
    edr = issue_edr(
        context,
        consumer_id=grant.participant_id,
        transfer_id=grant.transfer_id,
        agreement_id=grant.agreement_id,
        asset_id=grant.asset_id,
        data_address=dict(asset.data_address) if asset else {},
    )
    return JSONResponse(
        {
            "access_token": edr.token,
            "token_type": "bearer",
            "expires_in": edr.expires_in_s,
            "refresh_token": edr.refresh_token,
        }
    )


async def _form(request: Request) -> dict[str, str]:
    raw = (await request.body()).decode("utf-8", errors="replace")
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(raw)
        except ValueError:
            return {}
        return (
            {k: v for k, v in body.items() if isinstance(v, str)} if isinstance(body, dict) else {}
        )
    return {key: values[0] for key, values in parse_qs(raw).items()}


if importlib.util.find_spec("connector.products.aas_api") is not None:
    from connector.products.aas_api import build_aas_router

    data_router.include_router(build_aas_router(PUBLIC_PATH, data_plane_guard))


@management_router.get("")
async def audit_log(
    request: Request,
    participant_id: str | None = None,
    agreement_id: str | None = None,
    asset_id: str | None = None,
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=1000),
    context: NodeContext = Depends(get_context),
) -> Response:
    """The data-plane audit log, newest first."""
    filters = {
        key: value
        for key, value in (
            ("participant_id", participant_id),
            ("agreement_id", agreement_id),
            ("asset_id", asset_id),
        )
        if value
    }
    rows = await list_audit(context, filters, offset, limit)
    if isinstance(rows, Failure):
        return failure_response(request, rows)
    return JSONResponse([_entry(row) for row in rows.value])


def _entry(row: Any) -> dict[str, Any]:
    entry = {field: getattr(row, field) for field in EXPORT_FIELDS}
    entry["at"] = row.at.isoformat()
    return entry


@management_router.get("/export")
async def audit_export(
    request: Request,
    fmt: str = Query("jsonl", alias="format"),
    context: NodeContext = Depends(get_context),
) -> Response:
    """The whole log as JSON lines or CSV."""
    exported = await export_audit(context, fmt)
    if isinstance(exported, Failure):
        return failure_response(request, exported)
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return PlainTextResponse(exported.value, media_type=media)
