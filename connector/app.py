"""App factory: builds one node's FastAPI application(s) from its settings.

Features plug in through `connector/<feature>/api.py`, which may define
- `public_router`: the protocol surface (DSP, identity, health, metrics) on `[server] port`;
- `management_router`: the management surface behind `X-Api-Key` (`/api/management`,
  `/api/aas`), on `[server] management_port` when set;
- `data_router`: the data plane (`/api/public`), on `[server] public_port` when set;
- `async def on_startup(context)` / `async def on_shutdown(context)`: start and stop the
  feature's services (called in FEATURES order, shutdown in reverse).
One port serves all surfaces unless `[server] management_port` / `public_port` split them off.
"""

from __future__ import annotations

import hmac
import importlib
import importlib.util
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from connector.clock import Clock, SystemClock
from connector.context import NodeContext
from connector.db import create_database, upgrade_to_head
from connector.errors import error_body_for_path, install_error_handlers
from connector.observability.metrics import Metrics
from connector.outcome import Failure, Reason
from connector.settings import Settings

# Order matters: identity first (others authenticate with it), the work loop last.
FEATURES: tuple[str, ...] = (
    "observability",
    "identity",
    "assets",
    "policy",
    "products",
    "calculation",
    "dsp",
    "negotiation",
    "transfer",
    "dataplane",
    "management",
    "upstream",
    "work",
)


@dataclass(frozen=True)
class NodeApps:
    """The ASGI apps of one node; `management` / `data` are None when `public` serves them."""

    public: FastAPI
    management: FastAPI | None
    data: FastAPI | None
    context: NodeContext


def feature_modules() -> list[ModuleType]:
    """The `api` modules of the features present in this installation."""
    modules = []
    for feature in FEATURES:
        name = f"connector.{feature}.api"
        if importlib.util.find_spec(f"connector.{feature}") is None:
            continue
        if importlib.util.find_spec(name) is None:
            continue
        modules.append(importlib.import_module(name))
    return modules


def create_node_apps(settings: Settings, clock: Clock | None = None) -> NodeApps:
    """Build the node's context and its app(s). Nothing touches the database until startup."""
    context = NodeContext(
        settings=settings,
        database=create_database(settings.database_url),
        clock=clock or SystemClock(),
        http=httpx.AsyncClient(
            timeout=httpx.Timeout(10.0), limits=httpx.Limits(max_connections=200)
        ),
        metrics=Metrics(),
    )
    modules = feature_modules()
    server = settings.server
    split_management = server.management_port not in (None, server.port)
    split_data = server.public_port not in (None, server.port)
    public = _new_app(settings, context, _lifespan(context, modules), "carbonspace node")
    management = (
        _new_app(settings, context, None, "carbonspace management") if split_management else public
    )
    data = _new_app(settings, context, None, "carbonspace data plane") if split_data else public
    for module in modules:
        router: APIRouter | None = getattr(module, "public_router", None)
        if router is not None:
            public.include_router(router)
        managed: APIRouter | None = getattr(module, "management_router", None)
        if managed is not None:
            management.include_router(managed, dependencies=[Depends(require_api_key)])
        data_router: APIRouter | None = getattr(module, "data_router", None)
        if data_router is not None:
            data.include_router(data_router)
    return NodeApps(
        public=public,
        management=management if split_management else None,
        data=data if split_data else None,
        context=context,
    )


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    """A single-port app (what tests and `serve` without split ports use)."""
    return create_node_apps(settings, clock).public


def _new_app(
    settings: Settings,
    context: NodeContext,
    lifespan: Callable[[FastAPI], Any] | None,
    title: str,
) -> FastAPI:
    app = FastAPI(title=title, version="0.1.0", lifespan=lifespan)
    app.state.node = context
    install_error_handlers(app)
    app.middleware("http")(context.metrics.middleware)
    app.middleware("http")(_body_limit(settings.server.max_body_bytes))
    return app


def _lifespan(context: NodeContext, modules: list[ModuleType]) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await upgrade_to_head(context.database)
        started: list[ModuleType] = []
        try:
            for module in modules:
                hook = getattr(module, "on_startup", None)
                if hook is not None:
                    await hook(context)
                started.append(module)
            yield
        finally:
            for module in reversed(started):
                hook = getattr(module, "on_shutdown", None)
                if hook is not None:
                    await hook(context)
            await context.http.aclose()
            await context.database.dispose()

    return lifespan


async def require_api_key(request: Request) -> None:
    """Management surfaces need `X-Api-Key`, compared in constant time."""
    expected = request.app.state.node.settings.management.api_key.encode()
    given = request.headers.get("x-api-key", "").encode()
    if not hmac.compare_digest(expected, given):
        raise HTTPException(status_code=401, detail="missing or wrong X-Api-Key")


def _body_limit(
    max_bytes: int,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """Refuse bodies larger than `[server] max_body_bytes` with 413 before reading them."""

    async def middleware(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        declared = request.headers.get("content-length")
        too_large = declared is not None and (not declared.isdigit() or int(declared) > max_bytes)
        if not too_large and declared is None and request.method in ("POST", "PUT", "PATCH"):
            body = await request.body()
            too_large = len(body) > max_bytes
        if too_large:
            failure = Failure(Reason.TOO_LARGE, f"request body exceeds {max_bytes} bytes")
            body_json = error_body_for_path(request.url.path, failure)
            return JSONResponse(body_json, status_code=413)
        return await call_next(request)

    return middleware
