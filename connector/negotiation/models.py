"""Tables: contract negotiations (both roles) and contract agreements (DSP 2025-1 §"Contract
Negotiation"). A negotiation row is keyed by this node's own process id (`providerPid` when we
provide, `consumerPid` when we consume); `version` makes every transition a conditional update."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

# Optimistic locking: every UPDATE checks and bumps it (a lost update raises StaleDataError).
_NEGOTIATION_VERSION = Column("version", Integer, nullable=False)


class NegotiationRow(SQLModel, table=True):
    __tablename__ = "contract_negotiation"
    __table_args__ = (
        UniqueConstraint("role", "counterparty_id", "consumer_pid", name="uq_negotiation_consumer"),
    )
    __mapper_args__ = {"version_id_col": _NEGOTIATION_VERSION}

    id: str = Field(primary_key=True, max_length=512)
    role: str = Field(max_length=16)
    state: str = Field(max_length=16, index=True)
    counterparty_id: str = Field(max_length=512, index=True)
    counterparty_address: str = Field(max_length=2048)
    consumer_pid: str = Field(max_length=512)
    provider_pid: str | None = Field(default=None, max_length=512)
    offer_id: str = Field(max_length=1024)
    asset_id: str = Field(max_length=512, index=True)
    offer: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    contract_definition_id: str | None = Field(default=None, max_length=512)
    agreement_id: str | None = Field(default=None, max_length=512)
    error_detail: str | None = Field(default=None, max_length=4000)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    version: int = Field(default=1, sa_column=_NEGOTIATION_VERSION)


class AgreementRow(SQLModel, table=True):
    """A contract agreement with its full ODRL policy (compact 2025-1 `Agreement` JSON as
    exchanged), re-checked at transfer start and at every data-plane call."""

    __tablename__ = "contract_agreement"

    id: str = Field(primary_key=True, max_length=512)
    negotiation_id: str = Field(max_length=512, index=True)
    provider_id: str = Field(max_length=512)
    consumer_id: str = Field(max_length=512, index=True)
    asset_id: str = Field(max_length=512, index=True)
    policy: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    contract_definition_id: str | None = Field(default=None, max_length=512)
    signed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    revocation_reason: str | None = Field(default=None, max_length=2000)
