"""Verified credentials handed to the policy engine as `policies.CredentialClaim`."""

from __future__ import annotations

from connector.identity.credentials import VerifiedCredential
from policies import CredentialClaim

__all__ = ["CredentialClaim", "to_claim"]


def to_claim(credential: VerifiedCredential) -> CredentialClaim:
    """The policy engine's view of one verified credential."""
    return CredentialClaim(
        types=frozenset(credential.types),
        issuer=credential.issuer,
        subject_id=credential.subject,
        claims=dict(credential.subject_fields),
        issued_at=credential.issued_at,
        expires_at=credential.expires_at,
        id=credential.id,
    )
