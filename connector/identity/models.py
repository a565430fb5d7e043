"""Identity tables: the node's own verifiable credentials (served by its DCP credential service)
and the `jti`s of tokens already accepted (replay protection, kept until the token expires)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text
from sqlmodel import Field, SQLModel


class CredentialRow(SQLModel, table=True):
    """A VC-JWT held by this node, with the fields needed to select it without parsing."""

    __tablename__ = "identity_credential"

    id: str = Field(primary_key=True, max_length=512, description="The VC's jti / id")
    credential_type: str = Field(max_length=200, index=True)
    types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    issuer: str = Field(max_length=512)
    subject: str = Field(max_length=512)
    issued_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    subject_fields: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    vc_jwt: str = Field(sa_column=Column(Text, nullable=False))
    added_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class SeenTokenRow(SQLModel, table=True):
    """A token id already accepted from `issuer`; a second use is a replay until `expires_at`."""

    __tablename__ = "identity_seen_token"

    issuer: str = Field(primary_key=True, max_length=512)
    jti: str = Field(primary_key=True, max_length=256)
    expires_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
