"""EDR issuance (HTTP pull): the endpoint for the agreed asset and a signed, audience-bound,
short-lived access token tied to the transfer and the agreement, plus a refresh token
(Tractus-X EDR style). Tokens are JWTs signed with the node key (`identity.sign_jwt`)."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connector.context import NodeContext

ACCESS_TTL_S = 300
REFRESH_TTL_S = 86_400
PUBLIC_PATH = "/api/public"
ACCESS_USE = "edr-access"
REFRESH_USE = "edr-refresh"


@dataclass(frozen=True)
class IssuedEdr:
    """What goes into the TransferStartMessage's DataAddress."""

    endpoint: str
    token: str
    refresh_token: str
    refresh_endpoint: str
    expires_in_s: int

    def properties(self) -> dict[str, str]:
        return {
            "authorization": self.token,
            "authType": "bearer",
            "refreshToken": self.refresh_token,
            "refreshEndpoint": self.refresh_endpoint,
            "expiresIn": str(self.expires_in_s),
        }


def b64url(identifier: str) -> str:
    """AAS API Part 2 identifier encoding: base64url without padding."""
    return base64.urlsafe_b64encode(identifier.encode()).decode().rstrip("=")


def endpoint_for(context: NodeContext, data_address: dict[str, Any]) -> str:
    """The asset's own resource on the public data plane (a footprint asset: its submodel)."""
    base = context.settings.node.url + PUBLIC_PATH
    submodel_id = data_address.get("submodelId")
    if data_address.get("type") == "AasSubmodel" and isinstance(submodel_id, str):
        return f"{base}/submodels/{b64url(submodel_id)}"
    return base


def token_claims(
    context: NodeContext,
    *,
    use: str,
    consumer_id: str,
    transfer_id: str,
    agreement_id: str,
    asset_id: str,
    ttl_s: int,
) -> dict[str, Any]:
    now = context.clock.now()
    return {
        "aud": consumer_id,
        "sub": consumer_id,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
        "jti": uuid.uuid4().hex,
        "token_use": use,
        "transfer_id": transfer_id,
        "agreement_id": agreement_id,
        "asset_id": asset_id,
    }


def issue_edr(
    context: NodeContext,
    *,
    consumer_id: str,
    transfer_id: str,
    agreement_id: str,
    asset_id: str,
    data_address: dict[str, Any],
) -> IssuedEdr:
    """Sign a fresh access + refresh token pair for a started transfer."""
    identity = context.service("identity")
    common = {
        "consumer_id": consumer_id,
        "transfer_id": transfer_id,
        "agreement_id": agreement_id,
        "asset_id": asset_id,
    }
    access = identity.sign_jwt(token_claims(context, use=ACCESS_USE, ttl_s=ACCESS_TTL_S, **common))
    refresh = identity.sign_jwt(
        token_claims(context, use=REFRESH_USE, ttl_s=REFRESH_TTL_S, **common)
    )
    return IssuedEdr(
        endpoint=endpoint_for(context, data_address),
        token=access,
        refresh_token=refresh,
        refresh_endpoint=context.settings.node.url + PUBLIC_PATH + "/token",
        expires_in_s=ACCESS_TTL_S,
    )
