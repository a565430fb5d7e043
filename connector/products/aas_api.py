"""The AAS API Part 2 read router over the node's published shells and submodels (issue 5,
item 4). The management surface mounts it at `/api/aas` (X-Api-Key, enforced by the app); the
data plane mounts the same router at `/api/public` with a guard that checks the EDR token and
that the identifier belongs to the agreed asset (`connector.dataplane`)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from aas_models.aas_api import Guard, build_router
from connector.context import node_context
from connector.products._repository import DatabaseRepository

__all__ = ["Guard", "build_aas_router"]


def _repository(request: Request) -> DatabaseRepository:
    return DatabaseRepository(node_context(request))


def build_aas_router(prefix: str, guard: Guard | None = None) -> APIRouter:
    """Shells, submodels, `/serialization` and `/description` under `prefix`.

    `guard(request, kind, identifier)` returns None to allow or a `Failure` to refuse; kinds are
    `shells`/`submodels` (lists, identifier None), `shell`/`submodel` (each id, also per list
    item: refused items are left out of lists), `serialization`, `description`."""
    return build_router(prefix, _repository, guard)
