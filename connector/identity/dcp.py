"""Decentralized Claims Protocol v1.0: self-issued ID tokens (Base §"Self-Issued ID Tokens"),
the access token in their `token` claim, the presentation query (Verifiable Presentation
Protocol §"Resolution API") and Verifiable Presentations as JWT (VC Data Model 1.1 §6.3.1).

The access token format is implementation-specific (DCP leaves it open): here it is a JWT the
holder signs for one verifier (`aud`), listing the `scope`s that verifier may query.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from connector.identity._jose import audience_matches, check_times, peek, verify_signature
from connector.identity.did import DCP_CONTEXT, DidResolver
from connector.identity.store import ReplayGuard
from connector.outcome import Failure, Ok, bad_request, unauthorized

ID_TOKEN_LIFETIME = timedelta(minutes=5)
TYPE_SCOPE = "org.eclipse.dspace.dcp.vc.type"
ID_SCOPE = "org.eclipse.dspace.dcp.vc.id"
VP_CONTEXT = "https://www.w3.org/2018/credentials/v1"


@dataclass(frozen=True)
class PresentationQuery:
    """A parsed `PresentationQueryMessage`: the credential types and ids asked for."""

    types: tuple[str, ...]
    ids: tuple[str, ...]
    scopes: tuple[str, ...]


def id_token_claims(
    issuer: str, audience: str, now: datetime, access_token: str | None = None
) -> dict[str, Any]:
    """Claims of a self-issued ID token: iss = sub = caller, aud = callee, fresh `jti`."""
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": issuer,
        "aud": audience,
        "jti": str(uuid.uuid4()),
        "iat": issued,
        "nbf": issued,
        "exp": issued + int(ID_TOKEN_LIFETIME.total_seconds()),
    }
    if access_token is not None:
        claims["token"] = access_token
    return claims


def access_token_claims(
    holder: str, verifier: str, scopes: Sequence[str], now: datetime
) -> dict[str, Any]:
    """Claims of the access token a verifier presents to the holder's credential service."""
    claims = id_token_claims(holder, verifier, now)
    claims["scope"] = " ".join(scopes)
    return claims


def bearer(authorization: str | None) -> Ok[str] | Failure:
    """The token of an `Authorization` header (`Bearer <jwt>`, or the bare JWT as DSP allows)."""
    if not authorization or not authorization.strip():
        return unauthorized("missing Authorization header")
    scheme, _, rest = authorization.strip().partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else authorization.strip()
    if not token or " " in token:
        return unauthorized("malformed Authorization header: expected 'Bearer <token>'")
    return Ok(token)


async def verify_id_token(
    resolver: DidResolver, replay: ReplayGuard, token: str, own_did: str, now: datetime
) -> Ok[dict[str, Any]] | Failure:
    """DCP v1.0 "Validating Self-Issued ID Tokens": iss = sub, aud = us, signature by the
    `capabilityInvocation` key of the `sub` DID, nbf/exp (lifetime <= 5 min), fresh `jti`."""
    peeked = peek(token)
    if isinstance(peeked, Failure):
        return peeked
    claims = peeked.value[1]
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer or claims.get("sub") != issuer:
        return unauthorized("malformed token: iss and sub must be the same DID")
    if not audience_matches(claims, own_did):
        return unauthorized(f"wrong audience: token is for {claims.get('aud')}, not {own_did}")
    verified = await verify_signature(resolver, token, issuer, "capabilityInvocation", peeked.value)
    if isinstance(verified, Failure):
        return verified
    problem = check_times(claims, now, "token") or _check_lifetime(claims)
    if problem is not None:
        return problem
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        return unauthorized("malformed token: jti is missing")
    expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    if not await replay.first_use(issuer, jti, expires_at, now):
        return unauthorized(f"replayed token: jti {jti} from {issuer} was already used")
    return Ok(claims)


def _check_lifetime(claims: Mapping[str, Any]) -> Failure | None:
    start = claims.get("iat", claims.get("nbf"))
    if not isinstance(start, int | float):
        return unauthorized("malformed token: iat is missing")
    if claims["exp"] - start > ID_TOKEN_LIFETIME.total_seconds():
        return unauthorized("token lifetime exceeds 5 minutes")
    return None


async def verify_access_token(
    resolver: DidResolver, token: object, own_did: str, verifier: str, now: datetime
) -> Ok[tuple[str, ...]] | Failure:
    """Our own access token, presented back by `verifier`: signed by us, for that verifier,
    not expired. Returns the scopes it grants."""
    if not isinstance(token, str) or not token:
        return unauthorized("token claim with an access token is required")
    verified = await verify_signature(resolver, token, own_did, "capabilityInvocation")
    if isinstance(verified, Failure):
        return unauthorized(f"access token: {verified.detail}")
    claims = verified.value
    if claims.get("iss") != own_did:
        return unauthorized("access token was not issued by this credential service")
    if not audience_matches(claims, verifier):
        return unauthorized(f"access token was issued to {claims.get('aud')}, not {verifier}")
    problem = check_times(claims, now, "access token")
    if problem is not None:
        return problem
    scope = claims.get("scope", "")
    return Ok(tuple(str(scope).split()) if isinstance(scope, str) else ())


def query_message(scopes: Sequence[str]) -> dict[str, Any]:
    """A `PresentationQueryMessage` asking for credentials by scope."""
    return {"@context": [DCP_CONTEXT], "type": "PresentationQueryMessage", "scope": list(scopes)}


def type_scopes(credential_types: Sequence[str]) -> list[str]:
    return [f"{TYPE_SCOPE}:{credential_type}" for credential_type in credential_types]


def parse_query(body: object) -> Ok[PresentationQuery] | Failure:
    """Validate a `PresentationQueryMessage`; only `scope` queries are supported."""
    if not isinstance(body, dict):
        return bad_request("PresentationQueryMessage: body must be a JSON object")
    context = body.get("@context")
    if not isinstance(context, list) or DCP_CONTEXT not in context:
        return bad_request(f"PresentationQueryMessage: @context must contain {DCP_CONTEXT}")
    if body.get("type") != "PresentationQueryMessage":
        return bad_request("PresentationQueryMessage: type must be PresentationQueryMessage")
    scopes = body.get("scope")
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        return bad_request("PresentationQueryMessage: scope must be an array of strings")
    types, ids = [], []
    for scope in scopes:
        alias, _, value = scope.partition(":")
        if alias == TYPE_SCOPE and value:
            types.append(value)
        elif alias == ID_SCOPE and value:
            ids.append(value)
        else:
            return bad_request(f"PresentationQueryMessage: unsupported scope {scope!r}")
    return Ok(PresentationQuery(tuple(types), tuple(ids), tuple(scopes)))


def presentation_claims(
    holder: str, verifier: str, vc_jwts: Sequence[str], now: datetime
) -> dict[str, Any]:
    """Claims of a VP-JWT for `verifier` holding the given VC-JWTs."""
    claims = id_token_claims(holder, verifier, now)
    claims["vp"] = {
        "@context": [VP_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": holder,
        "verifiableCredential": list(vc_jwts),
    }
    return claims


def response_message(presentations: Sequence[str]) -> dict[str, Any]:
    return {
        "@context": [DCP_CONTEXT],
        "type": "PresentationResponseMessage",
        "presentation": list(presentations),
    }


async def verify_presentation(
    resolver: DidResolver, vp_jwt: object, holder: str, own_did: str, now: datetime
) -> Ok[list[str]] | Failure:
    """A VP-JWT from `holder` for us: signature (holder's authentication key), iss, aud, time.
    Returns the VC-JWTs it holds."""
    if not isinstance(vp_jwt, str):
        return unauthorized("malformed presentation: only VP-JWT strings are accepted")
    verified = await verify_signature(resolver, vp_jwt, holder, "authentication")
    if isinstance(verified, Failure):
        return unauthorized(f"presentation: {verified.detail}")
    claims = verified.value
    if claims.get("iss") != holder:
        return unauthorized(f"presentation was issued by {claims.get('iss')}, not {holder}")
    if not audience_matches(claims, own_did):
        return unauthorized(f"wrong audience: presentation is for {claims.get('aud')}")
    problem = check_times(claims, now, "presentation")
    if problem is not None:
        return problem
    vp = claims.get("vp")
    credentials = vp.get("verifiableCredential") if isinstance(vp, dict) else None
    if not isinstance(credentials, list) or not all(isinstance(c, str) for c in credentials):
        return unauthorized("malformed presentation: vp.verifiableCredential must list VC-JWTs")
    return Ok(credentials)
