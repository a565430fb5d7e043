"""Tables for EDC `PolicyDefinition` and `ContractDefinition` (Management API v3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel


class PolicyDefinitionRow(SQLModel, table=True):
    """A named ODRL policy; `policy` is stored in expanded JSON-LD so that no context is
    needed to read it back."""

    __tablename__ = "policy_definition"

    id: str = Field(primary_key=True, max_length=512)
    policy: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    private_properties: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ContractDefinitionRow(SQLModel, table=True):
    """Offers `assets_selector`-matching assets under `contract_policy_id` to participants that
    satisfy `access_policy_id`. `assets_selector` is a list of EDC criteria
    (`operandLeft`, `operator`, `operandRight`)."""

    __tablename__ = "contract_definition"

    id: str = Field(primary_key=True, max_length=512)
    access_policy_id: str = Field(max_length=512, index=True)
    contract_policy_id: str = Field(max_length=512, index=True)
    assets_selector: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    private_properties: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
