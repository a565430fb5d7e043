"""Wire shapes of the upstream feature (pydantic at the HTTP edge)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FootprintUpdated(BaseModel):
    """Body of `POST /api/notifications/footprint-updated` (docs/supply-chain.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["FootprintUpdated"]
    publisher: str = Field(min_length=8, max_length=512)
    product_id: str = Field(alias="productId", min_length=1, max_length=512)
    asset_id: str = Field(alias="assetId", min_length=1, max_length=512)
    version: str = Field(min_length=1, max_length=128)


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    concurrency: int = Field(default=8, ge=1, le=64)
