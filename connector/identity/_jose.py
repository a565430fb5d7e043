"""JWS/JWT signing and verification against DID documents (RFC 7515, RFC 7519).

Signatures are checked by pyjwt with the key the signer's DID document names; time claims are
checked here against the node's injected clock, so expiry is testable without sleeping.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import jwt
from jwt.algorithms import get_default_algorithms
from jwt.exceptions import InvalidTokenError
from jwt.utils import base64url_decode

from connector.identity.did import DidResolver, verification_key
from connector.identity.keys import SigningKey
from connector.outcome import Failure, Ok, unauthorized

LEEWAY_S = 10
"""Allowed clock skew between nodes, in seconds (DCP v1.0 permits leeway)."""

_ALGORITHMS = ("EdDSA", "ES256")


def sign(key: SigningKey, did: str, claims: Mapping[str, Any], typ: str = "JWT") -> str:
    """A compact JWS over `claims` with `kid` = the DID verification method id."""
    headers = {"kid": f"{did}#{key.key_id}", "typ": typ}
    return jwt.encode(dict(claims), key.private_key, algorithm=key.alg, headers=headers)


def sign_detached(key: SigningKey, did: str, payload: bytes) -> str:
    """A JWS with detached payload (RFC 7515 Appendix F): `header..signature`."""
    headers = {"kid": f"{did}#{key.key_id}"}
    return jwt.api_jws.encode(
        payload, key.private_key, algorithm=key.alg, headers=headers, is_payload_detached=True
    )


def peek(token: str) -> Ok[tuple[dict[str, Any], dict[str, Any]]] | Failure:
    """Header and claims without verifying anything; a malformed token is a Failure.
    Parsed here in one pass (every inbound DSP call peeks, then verifies, its ID token)."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3 or not all(parts):
        return unauthorized("malformed token: not a compact JWS with a JSON payload")
    try:
        header = json.loads(base64url_decode(parts[0].encode("ascii")))
        claims = json.loads(base64url_decode(parts[1].encode("ascii")))
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        return unauthorized("malformed token: not a compact JWS with a JSON payload")
    if not isinstance(header, dict):
        return unauthorized("malformed token: header is not a JSON object")
    if "crit" in header:  # RFC 7515 §4.1.11: we understand no extension, so we must refuse
        return unauthorized("unsupported token: critical header extensions are not understood")
    if not isinstance(claims, dict):
        return unauthorized("malformed token: claims are not a JSON object")
    return Ok((header, claims))


async def verify_signature(
    resolver: DidResolver,
    token: str,
    signer_did: str,
    relationship: str,
    peeked: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> Ok[dict[str, Any]] | Failure:
    """Verify `token`'s signature with `signer_did`'s key for `relationship`; the claims.
    `peeked` is the token's already parsed (header, claims), to spare a second parse."""
    if peeked is None:
        parsed = peek(token)
        if isinstance(parsed, Failure):
            return parsed
        peeked = parsed.value
    header, claims = peeked
    key = await _key_for(resolver, header, signer_did, relationship)
    if isinstance(key, Failure):
        return key
    algorithm, public_key = key.value
    signing_input, _, signature = token.rpartition(".")
    try:
        valid = _VERIFIERS[algorithm].verify(
            signing_input.encode("ascii"), public_key, base64url_decode(signature.encode("ascii"))
        )
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        valid = False
    if not valid:
        return unauthorized(f"invalid signature: token is not signed by {signer_did}")
    return Ok(claims)


async def verify_detached(
    resolver: DidResolver, jws: str, payload: bytes, signer_did: str
) -> Ok[dict[str, Any]] | Failure:
    """Verify a detached JWS over `payload`; the protected header on success."""
    try:
        header = jwt.get_unverified_header(jws)
    except (InvalidTokenError, ValueError, TypeError):
        return unauthorized("malformed signature: not a compact JWS")
    key = await _key_for(resolver, header, signer_did, "assertionMethod")
    if isinstance(key, Failure):
        return key
    algorithm, public_key = key.value
    try:
        jwt.api_jws.decode_complete(
            jws, public_key, algorithms=[algorithm], detached_payload=payload
        )
    except InvalidTokenError:
        return unauthorized(f"invalid signature: payload is not signed by {signer_did}")
    return Ok(header)


async def _key_for(
    resolver: DidResolver, header: Mapping[str, Any], signer_did: str, relationship: str
) -> Ok[tuple[str, Any]] | Failure:
    document = await resolver.resolve(signer_did)
    if isinstance(document, Failure):
        return document
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        return unauthorized("malformed token: kid is not a string")
    found = verification_key(document.value, kid, relationship)
    if isinstance(found, Failure):
        return found
    jwk = found.value
    algorithm = jwk.algorithm_name
    if algorithm not in _ALGORITHMS or header.get("alg") != algorithm:
        return unauthorized(f"token alg {header.get('alg')!r} does not match {signer_did}'s key")
    return Ok((algorithm, jwk.key))


_VERIFIERS: dict[str, Any] = {name: get_default_algorithms()[name] for name in _ALGORITHMS}


def check_times(claims: Mapping[str, Any], now: datetime, what: str) -> Failure | None:
    """`exp` is required and in the future, `nbf` (if any) has passed, allowing `LEEWAY_S`."""
    instant = now.timestamp()
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return unauthorized(f"malformed {what}: exp is missing or not a number")
    if instant >= exp + LEEWAY_S:
        return unauthorized(f"expired {what}: exp {int(exp)} is in the past")
    nbf = claims.get("nbf")
    if nbf is not None:
        if not isinstance(nbf, int | float) or isinstance(nbf, bool):
            return unauthorized(f"malformed {what}: nbf is not a number")
        if instant + LEEWAY_S < nbf:
            return unauthorized(f"{what} not yet valid: nbf {int(nbf)} is in the future")
    return None


def audience_matches(claims: Mapping[str, Any], audience: str) -> bool:
    """`aud` equals `audience` or is a list that contains it (RFC 7519 §4.1.3)."""
    aud = claims.get("aud")
    return aud == audience or (isinstance(aud, list) and audience in aud)
