"""Context documents (CLI, fixtures) and the evaluation context's own rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from policies import AgreementInfo, ContextError, CredentialClaim, parse_context

DOC: dict[str, Any] = {
    "participantId": "did:web:a",
    "now": "2026-06-01T12:00:00Z",
    "purpose": "pcf",
    "agreement": {"id": "urn:uuid:1", "signedAt": "2026-05-01T00:00:00+02:00"},
    "partnerGroups": {"g": ["did:web:a", "BPNL000000000002"]},
    "credentials": [
        {
            "id": "urn:vc:1",
            "type": "MembershipCredential",
            "issuer": {"id": "did:web:auth"},
            "credentialSubject": {"id": "did:web:a", "holderIdentifier": "BPNL000000000002"},
            "issuanceDate": "2026-01-01T00:00:00Z",
            "expirationDate": "2027-01-01T00:00:00Z",
        }
    ],
}


def test_context_document_when_complete_reads_every_field() -> None:
    ctx = parse_context(DOC)
    assert ctx.participant_id == "did:web:a"
    assert ctx.now == datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert ctx.purpose == "pcf"
    assert ctx.agreement == AgreementInfo("urn:uuid:1", datetime(2026, 4, 30, 22, tzinfo=UTC))
    assert dict(ctx.partner_groups) == {"g": frozenset({"did:web:a", "BPNL000000000002"})}
    assert ctx.credentials == (
        CredentialClaim(
            frozenset({"MembershipCredential"}),
            "did:web:auth",
            "did:web:a",
            {"holderIdentifier": "BPNL000000000002"},
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2027, 1, 1, tzinfo=UTC),
            "urn:vc:1",
        ),
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"participantId": None}, "participantId"),
        ({"now": "yesterday"}, "now"),
        ({"now": "2026-06-01T12:00:00"}, "now"),
        ({"purpose": 3}, "purpose"),
        ({"agreement": {"signedAt": "2026-05-01T00:00:00Z"}}, "agreement.id"),
        ({"agreement": {"id": "x", "signedAt": "then"}}, "agreement.signedAt"),
        ({"partnerGroups": ["g"]}, "partnerGroups"),
        (
            {"credentials": [{"type": "X", "issuer": "did:web:i", "credentialSubject": {}}]},
            "credentials[0].credentialSubject.id",
        ),
        (
            {"credentials": [{"type": "X", "credentialSubject": {"id": "did:web:a"}}]},
            "credentials[0].issuer",
        ),
        ({"credentials": ["vc"]}, "credentials[0]"),
    ],
)
def test_context_document_when_defective_names_the_field(
    change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ContextError) as error:
        parse_context({**DOC, **change})
    assert error.value.field == field


def test_context_document_when_not_an_object_is_rejected() -> None:
    with pytest.raises(ContextError):
        parse_context(["did:web:a"])


def test_credential_when_naive_times_given_is_rejected() -> None:
    with pytest.raises(ValueError, match="expires_at must be timezone-aware"):
        CredentialClaim(frozenset({"X"}), "i", "s", expires_at=datetime(2026, 1, 1))
