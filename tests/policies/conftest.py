"""Small factories for policy tests: contexts, credentials, one-constraint policies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from policies import (
    AgreementInfo,
    Constraint,
    CredentialClaim,
    Permission,
    Policy,
    PolicyContext,
)
from tests.support.paths import SPECS as SPECS_DIR

SPECS = SPECS_DIR
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CONSUMER = "did:web:consumer.example"
AUTHORITY = "did:web:authority.example"


def credential(kind: str, subject: str = CONSUMER, **claims: Any) -> CredentialClaim:
    return CredentialClaim(
        types=frozenset({"VerifiableCredential", kind}),
        issuer=AUTHORITY,
        subject_id=subject,
        claims=claims,
        issued_at=NOW - timedelta(days=30),
        expires_at=NOW + timedelta(days=30),
    )


def member(**claims: Any) -> CredentialClaim:
    return credential("MembershipCredential", memberOf="carbonspace", **claims)


def pcf(version: str = "1.0") -> CredentialClaim:
    return credential(
        "PcfFrameworkCredential", holderIdentifier="BPNL000000000002", contractVersion=version
    )


def context(**fields: Any) -> PolicyContext:
    values: dict[str, Any] = {"participant_id": CONSUMER, "now": NOW}
    values.update(fields)
    return PolicyContext(**values)


def agreement(days_ago: float) -> AgreementInfo:
    return AgreementInfo("urn:uuid:agreement-1", NOW - timedelta(days=days_ago))


def one(left: str, operator: str, right: Any, **extra: Any) -> Policy:
    return Policy(permissions=(Permission("use", (Constraint(left, operator, right, **extra),)),))


@pytest.fixture
def specs() -> Path:
    return SPECS


@pytest.fixture
def make_context() -> Callable[..., PolicyContext]:
    return context
