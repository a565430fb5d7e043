"""What a policy is evaluated against: the counterparty's verified claims, time, purpose, agreement.

The engine never reads a clock or verifies a credential: the node builds a `PolicyContext` from
what its identity module verified (DCP presentation, issuer trust, signatures, revocation) and
from its injected clock, then asks the engine. Scopes follow EDC's policy scopes (catalog,
contract negotiation, transfer process) plus `data.access` for every data-plane call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NewType

Did = NewType("Did", str)


class Scope(StrEnum):
    """Where a policy is enforced (DESIGN.md "Rules that make it sovereign")."""

    CATALOG = "catalog"
    NEGOTIATION = "contract.negotiation"
    TRANSFER = "transfer.process"
    DATA_ACCESS = "data.access"


def _require_aware(value: datetime | None, name: str) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True)
class CredentialClaim:
    """One verified credential of the counterparty, as the identity module hands it over.

    `types` are the VC `type` values (short names such as `MembershipCredential`, or IRIs);
    `claims` is the credentialSubject without its `id` (which is `subject_id`).
    """

    types: frozenset[str]
    issuer: str
    subject_id: str
    claims: Mapping[str, Any] = field(default_factory=dict)
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    id: str | None = None
    _names: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", frozenset(self.types))
        names = {t.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in self.types}
        object.__setattr__(self, "_names", frozenset(names | self.types))
        object.__setattr__(self, "claims", MappingProxyType(dict(self.claims)))
        _require_aware(self.issued_at, "issued_at")
        _require_aware(self.expires_at, "expires_at")

    def has_type(self, name: str) -> bool:
        """True when `name` is one of the types, by short name or by IRI ending in it."""
        return name in self._names

    def valid_for(self, subject: str, now: datetime) -> bool:
        """About `subject`, already issued and not expired at `now`."""
        if self.subject_id != subject:
            return False
        if self.issued_at is not None and now < self.issued_at:
            return False
        return self.expires_at is None or now < self.expires_at


@dataclass(frozen=True)
class AgreementInfo:
    """The contract agreement a transfer or data access runs under."""

    id: str
    signed_at: datetime

    def __post_init__(self) -> None:
        _require_aware(self.signed_at, "signed_at")


@dataclass(frozen=True)
class PolicyContext:
    """Everything a constraint may look at; `now` comes from the node's injected clock."""

    participant_id: str
    now: datetime
    credentials: tuple[CredentialClaim, ...] = ()
    purpose: str | None = None
    agreement: AgreementInfo | None = None
    partner_groups: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None or self.now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        object.__setattr__(self, "credentials", tuple(self.credentials))
        groups = {name: frozenset(members) for name, members in self.partner_groups.items()}
        object.__setattr__(self, "partner_groups", MappingProxyType(groups))

    def has_valid_credential(self, type_name: str) -> bool:
        """Whether the counterparty holds a credential of `type_name` valid at `now`."""
        for c in self.credentials:
            if c.has_type(type_name) and c.valid_for(self.participant_id, self.now):
                return True
        return False

    def valid_credentials(self, type_name: str) -> tuple[CredentialClaim, ...]:
        """The counterparty's credentials of `type_name` that are valid at `now`."""
        return tuple(
            c
            for c in self.credentials
            if c.has_type(type_name) and c.valid_for(self.participant_id, self.now)
        )
