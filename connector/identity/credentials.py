"""W3C Verifiable Credentials as JWT (VC Data Model 1.1 §6.3.1 "JWT encoding"): issuing the
data-space credentials and verifying them (signature against the issuer's DID document, issuer
trusted, within `nbf`/`exp`, subject = the presenting participant).

Credential subjects carry the fields the policy engine reads: `holderIdentifier` always, and for
framework credentials `contractTemplate` and `contractVersion` (as Catena-X framework credentials
do; see docs/policies.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from connector.identity._jose import check_times, peek, sign, verify_signature
from connector.identity.did import DidResolver
from connector.identity.keys import SigningKey
from connector.outcome import Failure, Ok, unauthorized

VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
CARBONSPACE_CONTEXT = "https://w3id.org/carbonspace/credentials/v1"
MEMBERSHIP_CREDENTIAL = "MembershipCredential"
PCF_FRAMEWORK_CREDENTIAL = "PcfFrameworkCredential"
CREDENTIAL_TYPES: tuple[str, ...] = (MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL)
PCF_CONTRACT_TEMPLATE = "https://w3id.org/carbonspace/frameworks/pcf"
PCF_CONTRACT_VERSION = "1.0"


@dataclass(frozen=True)
class VerifiedCredential:
    """A credential whose signature, issuer, validity window and subject were checked."""

    id: str
    credential_type: str
    types: tuple[str, ...]
    issuer: str
    subject: str
    issued_at: datetime
    expires_at: datetime
    subject_fields: Mapping[str, Any] = field(default_factory=dict)


def subject_fields(
    credential_type: str,
    subject_did: str,
    holder_identifier: str | None = None,
    contract_version: str = PCF_CONTRACT_VERSION,
) -> dict[str, Any]:
    """The `credentialSubject` of a data-space credential (without `id`)."""
    if credential_type not in CREDENTIAL_TYPES:
        raise ValueError(f"type: must be one of {', '.join(CREDENTIAL_TYPES)}")
    fields: dict[str, Any] = {"holderIdentifier": holder_identifier or subject_did}
    if credential_type == MEMBERSHIP_CREDENTIAL:
        fields["memberOf"] = "carbonspace"
        fields["status"] = "active"
    else:
        fields["contractTemplate"] = PCF_CONTRACT_TEMPLATE
        fields["contractVersion"] = contract_version
    return fields


def issue_vc_jwt(
    key: SigningKey,
    issuer_did: str,
    subject_did: str,
    credential_type: str,
    fields: Mapping[str, Any],
    issued_at: datetime,
    valid_for: timedelta,
) -> str:
    """Sign a VC-JWT: `iss`, `sub`, `jti`, `nbf`, `iat`, `exp` and the `vc` claim."""
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    expires_at = issued_at + valid_for
    vc = {
        "@context": [VC_CONTEXT, CARBONSPACE_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", credential_type],
        "issuer": issuer_did,
        "issuanceDate": _iso(issued_at),
        "expirationDate": _iso(expires_at),
        "credentialSubject": {"id": subject_did, **fields},
    }
    claims = {
        "iss": issuer_did,
        "sub": subject_did,
        "jti": credential_id,
        "nbf": int(issued_at.timestamp()),
        "iat": int(issued_at.timestamp()),
        "exp": int(expires_at.timestamp()),
        "vc": vc,
    }
    return sign(key, issuer_did, claims)


def parse_vc_jwt(vc_jwt: str) -> Ok[VerifiedCredential] | Failure:
    """The credential's fields, checked for shape only (no signature, trust or time check)."""
    peeked = peek(vc_jwt)
    if isinstance(peeked, Failure):
        return peeked
    claims = peeked.value[1]
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        return unauthorized("malformed credential: no vc claim")
    types = vc.get("type")
    subject = vc.get("credentialSubject")
    issuer, sub, jti = claims.get("iss"), claims.get("sub"), claims.get("jti") or vc.get("id")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        return unauthorized("malformed credential: vc.type lacks VerifiableCredential")
    if not isinstance(subject, dict) or not isinstance(subject.get("id"), str):
        return unauthorized("malformed credential: vc.credentialSubject.id is missing")
    if not all(isinstance(v, str) and v for v in (issuer, sub, jti)):
        return unauthorized("malformed credential: iss, sub and jti are required strings")
    if sub != subject["id"]:
        return unauthorized("malformed credential: sub differs from credentialSubject.id")
    exp, nbf = claims.get("exp"), claims.get("nbf", claims.get("iat"))
    if not isinstance(exp, int | float) or not isinstance(nbf, int | float):
        return unauthorized("malformed credential: exp and nbf are required numbers")
    specific = [str(t) for t in types if t != "VerifiableCredential"]
    return Ok(
        VerifiedCredential(
            id=str(jti),
            credential_type=specific[0] if specific else "VerifiableCredential",
            types=tuple(str(t) for t in types),
            issuer=str(issuer),
            subject=str(sub),
            issued_at=datetime.fromtimestamp(nbf, UTC),
            expires_at=datetime.fromtimestamp(exp, UTC),
            subject_fields={k: v for k, v in subject.items() if k != "id"},
        )
    )


async def verify_vc_jwt(
    resolver: DidResolver,
    vc_jwt: str,
    trusted_issuers: tuple[str, ...],
    holder_did: str,
    now: datetime,
) -> Ok[VerifiedCredential] | Failure:
    """Shape, trusted issuer, subject = holder, signature (issuer's assertionMethod), time."""
    parsed = parse_vc_jwt(vc_jwt)
    if isinstance(parsed, Failure):
        return parsed
    credential = parsed.value
    if credential.issuer not in trusted_issuers:
        return unauthorized(f"untrusted issuer {credential.issuer} of credential {credential.id}")
    if credential.subject != holder_did:
        return unauthorized(
            f"credential {credential.id} is about {credential.subject}, not {holder_did}"
        )
    verified = await verify_signature(resolver, vc_jwt, credential.issuer, "assertionMethod")
    if isinstance(verified, Failure):
        return unauthorized(f"credential {credential.id}: {verified.detail}")
    problem = check_times(verified.value, now, f"credential {credential.id}")
    if problem is not None:
        return problem
    return Ok(credential)


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
