"""The data-plane audit log: one append-only row per data-plane call, allowed or refused
(DESIGN.md "Rules that make it sovereign": who, what, when, which agreement)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Integer
from sqlmodel import Field, SQLModel


class AuditRow(SQLModel, table=True):
    __tablename__ = "data_access_log"

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    participant_id: str = Field(max_length=512, index=True)
    agreement_id: str | None = Field(default=None, max_length=512, index=True)
    transfer_id: str | None = Field(default=None, max_length=512)
    asset_id: str | None = Field(default=None, max_length=512)
    method: str = Field(max_length=8)
    path: str = Field(max_length=2048)
    kind: str = Field(max_length=64)
    identifier: str | None = Field(default=None, max_length=2048)
    outcome: str = Field(max_length=16)
    status: int
    reason: str | None = Field(default=None, max_length=2000)
