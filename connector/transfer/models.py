"""Tables: transfer processes (both roles) and the consumer's EDR cache (DSP 2025-1 "Transfer
Process"). Rows are keyed by this node's own process id; `version` guards each transition."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Optimistic locking: every UPDATE checks and bumps it (a lost update raises StaleDataError).
_TRANSFER_VERSION = Column("version", Integer, nullable=False)


class TransferRow(SQLModel, table=True):
    __tablename__ = "transfer_process"
    __table_args__ = (
        UniqueConstraint("role", "counterparty_id", "consumer_pid", name="uq_transfer_consumer"),
    )
    __mapper_args__ = {"version_id_col": _TRANSFER_VERSION}

    id: str = Field(primary_key=True, max_length=512)
    role: str = Field(max_length=16)
    state: str = Field(max_length=16, index=True)
    counterparty_id: str = Field(max_length=512, index=True)
    counterparty_address: str = Field(max_length=2048)
    consumer_pid: str = Field(max_length=512)
    provider_pid: str | None = Field(default=None, max_length=512)
    agreement_id: str = Field(max_length=512, index=True)
    asset_id: str = Field(max_length=512, index=True)
    transfer_type: str = Field(max_length=128)
    error_detail: str | None = Field(default=None, max_length=4000)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    version: int = Field(default=1, sa_column=_TRANSFER_VERSION)


class EdrRow(SQLModel, table=True):
    """The consumer's Endpoint Data Reference for a started pull transfer."""

    __tablename__ = "edr_entry"

    transfer_id: str = Field(primary_key=True, max_length=512)
    agreement_id: str = Field(max_length=512, index=True)
    asset_id: str = Field(max_length=512, index=True)
    provider_id: str = Field(max_length=512)
    endpoint: str = Field(max_length=2048)
    endpoint_type: str = Field(max_length=256)
    token: str = Field(sa_column=Column(Text, nullable=False))
    refresh_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    refresh_endpoint: str | None = Field(default=None, max_length=2048)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
