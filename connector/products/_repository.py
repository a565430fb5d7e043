"""The AAS API repository over the published tables, with the submodel cache of the hot path."""

from __future__ import annotations

from sqlmodel import col, select

from aas_models import StoredIdentifiable
from connector.context import NodeContext
from connector.products._cache import SubmodelCache
from connector.products.models import PublishedShellRow, PublishedSubmodelRow


class DatabaseRepository:
    """The AAS API repository over the published tables (`aas_models.AasRepository`)."""

    def __init__(self, context: NodeContext) -> None:
        self.context = context

    async def shells(self) -> list[StoredIdentifiable]:
        async with self.context.database.session() as session:
            rows = (
                await session.exec(select(PublishedShellRow).order_by(col(PublishedShellRow.id)))
            ).all()
        return [StoredIdentifiable(row.id, row.json_text) for row in rows]

    async def shell(self, identifier: str) -> StoredIdentifiable | None:
        async with self.context.database.session() as session:
            row = await session.get(PublishedShellRow, identifier)
        return None if row is None else StoredIdentifiable(row.id, row.json_text)

    async def submodels(self) -> list[StoredIdentifiable]:
        async with self.context.database.session() as session:
            statement = select(PublishedSubmodelRow).order_by(col(PublishedSubmodelRow.id))
            rows = (await session.exec(statement)).all()
        return [StoredIdentifiable(row.id, row.json_text) for row in rows]

    async def submodel(self, identifier: str) -> StoredIdentifiable | None:
        cache = cache_of(self.context)
        if cache is not None:
            hit, cached = cache.get(identifier)
            if hit:
                return cached
        row = await self.context.database.get(PublishedSubmodelRow, identifier)
        stored = None if row is None else StoredIdentifiable(row.id, row.json_text)
        if cache is not None:
            cache.put(identifier, stored)
        return stored


def cache_of(context: NodeContext) -> SubmodelCache | None:
    """The node's submodel cache (absent in CLI contexts, which serve nothing)."""
    cache = context.services.get("products")
    return cache if isinstance(cache, SubmodelCache) else None


def published_changed(context: NodeContext) -> None:
    cache = cache_of(context)
    if cache is not None:
        cache.clear()
