"""Read a `PolicyContext` from JSON (CLI context files, test fixtures, debugging).

Shape (camelCase, as the rest of our wire formats):
`{"participantId": DID, "now": xsd:dateTime, "purpose"?: str,
  "agreement"?: {"id": str, "signedAt": xsd:dateTime},
  "partnerGroups"?: {group: [DID or BPN, ...]},
  "credentials"?: [{"type": [str], "issuer": DID, "credentialSubject": {"id": DID, ...claims},
                    "validFrom"? | "issuanceDate"?: xsd:dateTime,
                    "validUntil"? | "expirationDate"?: xsd:dateTime, "id"?: str}]}`
The credential shape is the W3C VC data model's, so a verified VC's JSON can be pasted as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from policies._context import AgreementInfo, CredentialClaim, PolicyContext


class ContextError(ValueError):
    """A context document is malformed; `field` names the offending key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _time(value: Any, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise ContextError(field, f"not an xsd:dateTime: {value!r}") from None
    if parsed.tzinfo is None:
        raise ContextError(field, "needs a timezone offset (e.g. Z)")
    return parsed


def _optional_time(doc: Mapping[str, Any], keys: tuple[str, ...], field: str) -> datetime | None:
    for key in keys:
        if doc.get(key) is not None:
            return _time(doc[key], f"{field}.{key}")
    return None


def _credential(doc: Any, field: str) -> CredentialClaim:
    if not isinstance(doc, Mapping):
        raise ContextError(field, "a credential is an object")
    types = doc.get("type", [])
    types = [types] if isinstance(types, str) else types
    subject = doc.get("credentialSubject")
    if not isinstance(subject, Mapping) or not isinstance(subject.get("id"), str):
        raise ContextError(f"{field}.credentialSubject.id", "required")
    issuer = doc.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer, str):
        raise ContextError(f"{field}.issuer", "required")
    return CredentialClaim(
        types=frozenset(str(t) for t in types),
        issuer=issuer,
        subject_id=subject["id"],
        claims={k: v for k, v in subject.items() if k != "id"},
        issued_at=_optional_time(doc, ("validFrom", "issuanceDate"), field),
        expires_at=_optional_time(doc, ("validUntil", "expirationDate"), field),
        id=doc.get("id"),
    )


def parse_context(doc: Any) -> PolicyContext:
    """A `PolicyContext` from its JSON form (see the module docstring)."""
    if not isinstance(doc, Mapping):
        raise ContextError("<context>", "a context document is a JSON object")
    participant = doc.get("participantId")
    if not isinstance(participant, str) or not participant:
        raise ContextError("participantId", "required")
    if "now" not in doc:
        raise ContextError("now", "required")
    agreement = doc.get("agreement")
    if agreement is not None:
        if not isinstance(agreement, Mapping) or not isinstance(agreement.get("id"), str):
            raise ContextError("agreement.id", "required")
        agreement = AgreementInfo(
            agreement["id"], _time(agreement.get("signedAt"), "agreement.signedAt")
        )
    groups = doc.get("partnerGroups") or {}
    if not isinstance(groups, Mapping):
        raise ContextError("partnerGroups", "an object of group -> list of ids")
    purpose = doc.get("purpose")
    if purpose is not None and not isinstance(purpose, str):
        raise ContextError("purpose", "a string")
    return PolicyContext(
        participant_id=participant,
        now=_time(doc["now"], "now"),
        credentials=tuple(
            _credential(c, f"credentials[{i}]") for i, c in enumerate(doc.get("credentials") or [])
        ),
        purpose=purpose,
        agreement=agreement,
        partner_groups={str(k): frozenset(str(m) for m in v) for k, v in groups.items()},
    )
