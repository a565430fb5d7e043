"""Consumer side of EDR handling: store the EDR from a TransferStartMessage's DataAddress and
refresh it at the provider's token endpoint (OAuth 2 refresh_token grant, Tractus-X style)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from connector.outcome import Failure, Ok, Reason, bad_request
from connector.transfer.models import EdrRow, TransferRow
from connector.transfer.schemas import HTTP_ENDPOINT_TYPE, endpoint_properties

if TYPE_CHECKING:
    from connector.context import NodeContext
    from connector.db import Unit


def edr_from_address(row: TransferRow, address: Any, now: datetime) -> Ok[EdrRow] | Failure:
    """An EdrRow from a pull DataAddress (`endpoint` + `authorization` required)."""
    if not isinstance(address, dict):
        return bad_request("dataAddress: required for a pull transfer")
    properties = endpoint_properties(address)
    endpoint = address.get("endpoint")
    token = properties.get("authorization")
    if not isinstance(endpoint, str) or not token:
        return bad_request("dataAddress: endpoint and the authorization property are required")
    try:
        expires_in = int(properties.get("expiresIn", "300"))
    except ValueError:
        return bad_request("dataAddress: expiresIn must be a number of seconds")
    return Ok(
        EdrRow(
            transfer_id=row.id,
            agreement_id=row.agreement_id,
            asset_id=row.asset_id,
            provider_id=row.counterparty_id,
            endpoint=endpoint,
            endpoint_type=str(address.get("endpointType") or HTTP_ENDPOINT_TYPE),
            token=token,
            refresh_token=properties.get("refreshToken"),
            refresh_endpoint=properties.get("refreshEndpoint"),
            expires_at=now + timedelta(seconds=expires_in),
            created_at=now,
            updated_at=now,
        )
    )


async def store_edr(unit: Unit, edr: EdrRow) -> None:
    """Insert or replace the EDR of a transfer (a resumed transfer brings a new one)."""
    existing = await unit.get(EdrRow, edr.transfer_id, for_update=True)
    if existing is None:
        unit.add(edr)
        return
    for field in (
        "endpoint",
        "endpoint_type",
        "token",
        "refresh_token",
        "refresh_endpoint",
        "expires_at",
        "updated_at",
    ):
        setattr(existing, field, getattr(edr, field))
    await unit.save(existing)


async def refresh_edr(context: NodeContext, edr: EdrRow) -> Ok[EdrRow] | Failure:
    """Exchange the refresh token for a new access token at the provider."""
    if not edr.refresh_endpoint or not edr.refresh_token:
        return bad_request(f"the EDR of {edr.transfer_id} cannot be refreshed")
    form = {"grant_type": "refresh_token", "refresh_token": edr.refresh_token}
    try:
        response = await context.http.post(
            edr.refresh_endpoint, data=form, headers={"Authorization": f"Bearer {edr.token}"}
        )
    except httpx.HTTPError as exc:
        return Failure(Reason.UNAVAILABLE, f"EDR refresh failed: {type(exc).__name__}")
    if response.status_code != 200:
        return Failure(Reason.FORBIDDEN, f"EDR refresh refused ({response.status_code})")
    body = response.json()
    now = context.clock.now()
    async with context.database.session() as session:
        stored = await session.get(EdrRow, edr.transfer_id)
        if stored is None:
            return bad_request(f"no EDR for transfer process {edr.transfer_id}")
        stored.token = str(body["access_token"])
        stored.refresh_token = str(body.get("refresh_token") or stored.refresh_token)
        stored.expires_at = now + timedelta(seconds=int(body.get("expires_in", 300)))
        stored.updated_at = now
        session.add(stored)
        await session.commit()
    return Ok(stored)
