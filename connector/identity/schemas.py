"""Wire shapes of the identity management and whoami endpoints (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from connector.identity.credentials import VerifiedCredential
from connector.identity.models import CredentialRow


class _Wire(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True, frozen=True
    )


class TokenRequest(_Wire):
    audience: str = Field(min_length=9, max_length=512, pattern=r"^did:")


class TokenResponse(_Wire):
    audience: str
    authorization: str


class PeerView(_Wire):
    did: str
    did_document: dict[str, Any]
    credential_service: str | None
    dsp_endpoint: str | None


class AddCredentialRequest(_Wire):
    credential: str = Field(min_length=10, max_length=64_000, description="A VC-JWT")


class CredentialView(_Wire):
    id: str
    type: str
    issuer: str
    subject: str
    issued_at: datetime
    expires_at: datetime
    credential_subject: dict[str, Any]

    @classmethod
    def of_row(cls, row: CredentialRow) -> CredentialView:
        return cls(
            id=row.id,
            type=row.credential_type,
            issuer=row.issuer,
            subject=row.subject,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            credential_subject=row.subject_fields,
        )

    @classmethod
    def of_credential(cls, credential: VerifiedCredential) -> CredentialView:
        return cls(
            id=credential.id,
            type=credential.credential_type,
            issuer=credential.issuer,
            subject=credential.subject,
            issued_at=credential.issued_at,
            expires_at=credential.expires_at,
            credential_subject=dict(credential.subject_fields),
        )


class ClaimView(_Wire):
    id: str | None
    types: list[str]
    issuer: str
    claims: dict[str, Any]
    expires_at: datetime | None


class ParticipantView(_Wire):
    did: str
    credentials: list[ClaimView]

    @classmethod
    def of(cls, participant: Any) -> ParticipantView:
        return cls(
            did=participant.did,
            credentials=[
                ClaimView(
                    id=c.id,
                    types=sorted(c.types),
                    issuer=c.issuer,
                    claims=dict(c.claims),
                    expires_at=c.expires_at,
                )
                for c in participant.credentials
            ],
        )
