"""The work queue table: one row per outbound step a process still has to take (send a DSP
message, ...). Rows are claimed with a lease (STYLE.md "State machines, background work")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index
from sqlmodel import Field, SQLModel


class WorkItem(SQLModel, table=True):
    """A due step: `kind` names the processor, `subject_id` the process row, `action` the step.

    Lease: `lease_owner` / `lease_expires_at` say who works on it until when; `attempts` and
    `next_attempt_at` implement backoff. A finished item is deleted in the same transaction as
    the state change it caused."""

    __tablename__ = "work_item"
    __table_args__ = (Index("ix_work_item_due", "next_attempt_at", "lease_expires_at"),)

    id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=32)
    subject_id: str = Field(max_length=512, index=True)
    action: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=2000)
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_expires_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    next_attempt_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
