"""The data-plane guard: every `/api/public` call must carry a valid EDR access token, and is
re-checked against its transfer (STARTED, ours, same consumer), its agreement (not revoked,
policy allows `data.access` now) and the agreed asset (the identifier asked for belongs to it).
Every call, allowed or refused, is appended to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jwt
from fastapi import Request

from connector.dataplane._audit import append, audit_row
from connector.dataplane._tokens import ACCESS_USE
from connector.outcome import Failure, Ok, forbidden, unauthorized

if TYPE_CHECKING:
    from connector.context import NodeContext


@dataclass(frozen=True)
class Caller:
    """The consumer behind a data-plane token (`credentials` are not presented here)."""

    did: str
    credentials: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Grant:
    """What a verified access token lets through."""

    participant_id: str
    transfer_id: str
    agreement_id: str
    asset_id: str


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if token and scheme.lower() == "bearer":
        return token.strip()
    return header.strip() or None


async def verify_token(
    context: NodeContext, token: str | None, use: str = ACCESS_USE
) -> Ok[Grant] | Failure:
    """Signature by this node, audience = the transfer's consumer, not expired, right use."""
    if not token:
        return unauthorized("an EDR access token is required (Authorization header)")
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return unauthorized("the token is not a JWT")
    audience = unverified.get("aud")
    if not isinstance(audience, str):
        return unauthorized("the token has no audience")
    identity = context.service("identity")
    verified = await identity.verify_jwt(token, context.settings.node.did, audience)
    if isinstance(verified, Failure):
        return unauthorized(f"invalid token: {verified.detail}")
    claims = verified.value
    if claims.get("token_use") != use:
        return unauthorized(f"the token is not an {use} token")
    fields = ("transfer_id", "agreement_id", "asset_id")
    if not all(isinstance(claims.get(name), str) for name in fields):
        return unauthorized("the token does not name a transfer, agreement and asset")
    return Ok(Grant(audience, claims["transfer_id"], claims["agreement_id"], claims["asset_id"]))


async def check_grant(
    context: NodeContext, grant: Grant, kind: str, identifier: str | None
) -> Failure | None:
    """Transfer running, agreement valid and within policy, identifier of the agreed asset."""
    from connector.assets.models import AssetRow
    from connector.negotiation import DATA_ACCESS, AgreementRow
    from connector.transfer import TransferRow, TransferState, agreement_problem

    database = context.database
    transfer = await database.get(TransferRow, grant.transfer_id)
    agreement = await database.get(AgreementRow, grant.agreement_id)
    asset = await database.get(AssetRow, grant.asset_id)
    if transfer is None or transfer.counterparty_id != grant.participant_id:
        return forbidden("the transfer of this token is unknown")
    if transfer.state != TransferState.STARTED:
        return forbidden(f"the transfer is {transfer.state}")
    if agreement is None or agreement.id != transfer.agreement_id:
        return forbidden("the agreement of this token is unknown")
    problem = agreement_problem(context, Caller(grant.participant_id), agreement, DATA_ACCESS)
    if problem is not None:
        return forbidden(problem)
    if not _belongs(asset.data_address if asset else {}, grant.asset_id, kind, identifier):
        return forbidden(f"{kind} {identifier} is not part of the agreed asset {grant.asset_id}")
    return None


def _belongs(
    data_address: dict[str, Any], asset_id: str, kind: str, identifier: str | None
) -> bool:
    if identifier is None:
        return True
    submodel = data_address.get("submodelId")
    shell = data_address.get("shellId") or data_address.get("aasId")
    if kind.startswith("submodel"):
        return identifier in (submodel, asset_id)
    if kind.startswith("shell"):
        return identifier == shell
    return identifier in (submodel, shell, asset_id)


async def data_plane_guard(request: Request, kind: str, identifier: str | None) -> Failure | None:
    """The guard handed to `build_aas_router`: None allows the call, a Failure refuses it."""
    context: NodeContext = request.app.state.node
    granted = await verify_token(context, bearer_token(request))
    failure = granted if isinstance(granted, Failure) else None
    grant = granted.value if isinstance(granted, Ok) else None
    if grant is not None:
        failure = await check_grant(context, grant, kind, identifier)
    status = 200 if failure is None else failure.status
    async with context.database.session() as session:
        await append(
            session,
            audit_row(
                context,
                participant_id=grant.participant_id if grant else "(unauthenticated)",
                agreement_id=grant.agreement_id if grant else None,
                transfer_id=grant.transfer_id if grant else None,
                asset_id=grant.asset_id if grant else None,
                method=request.method,
                path=request.url.path[:2048],
                kind=kind,
                identifier=identifier,
                outcome="allowed" if failure is None else "denied",
                status=status,
                reason=failure.detail[:2000] if failure else None,
            ),
        )
        await session.commit()
    return failure
