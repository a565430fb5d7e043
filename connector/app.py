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
import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from connector._http_transport import AiohttpTransport, PeerClient
from connector.clock import Clock, SystemClock
from connector.context import NodeContext
from connector.db import create_database, upgrade_to_head
from connector.errors import install_error_handlers
from connector.limits import BodyLimitMiddleware
from connector.observability.metrics import Metrics, MetricsMiddleware
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


MANAGEMENT_PREFIXES = ("/api/management", "/api/aas")
DATA_PREFIXES = ("/api/public",)
# The interactive API docs on a shared port describe the management API, what operators script.
API_DOCS = ("/docs", "/redoc", "/openapi.json")


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)


class SurfaceDispatcher:
    """The app on `[server] port`: the protocol surface, plus the management and data-plane
    apps when they share the port, chosen by path prefix. The same three apps serve split
    ports, so a surface behaves the same either way. One FastAPI app holding every route was
    slower: its router walks every route of each router included before the matching one
    (route matching was ~6% of a node's CPU under load)."""

    def __init__(self, public: FastAPI, management: FastAPI | None, data: FastAPI | None) -> None:
        self.public = public
        self.management = management
        self.data = data
        self.state = public.state  # `app.state.node`, as on the FastAPI app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app_for(scope)(scope, receive, send)

    def _app_for(self, scope: Scope) -> FastAPI:
        if scope["type"] == "lifespan":
            return self.public
        path = scope["path"]
        if self.management is not None and _under(path, MANAGEMENT_PREFIXES + API_DOCS):
            return self.management
        if self.data is not None and _under(path, DATA_PREFIXES):
            return self.data
        return self.public

    def lifespan(self) -> AbstractAsyncContextManager[Any]:
        """Start and stop the node (features, work loop) without a server around it."""
        return self.public.router.lifespan_context(self.public)


_MANAGEMENT_PATH = MANAGEMENT_PREFIXES[0] + "/"


class TrailingSlashMiddleware:
    """`/api/management/.../` is routed as `/api/management/...` (one trailing slash), so
    every management route answers with a trailing slash too (edc-mgmt-api.md §5) without a
    second route per path (see `connector.management._routing`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.endswith("/") and path.startswith(_MANAGEMENT_PATH):
            scope = {**scope, "path": path[:-1]}
            raw_path = scope.get("raw_path")
            if isinstance(raw_path, bytes) and raw_path.endswith(b"/"):
                scope["raw_path"] = raw_path[:-1]
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class NodeApps:
    """The ASGI apps of one node; `management` / `data` are None when `public` serves them."""

    public: SurfaceDispatcher
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


# Our pooled connections to peers are dropped after this idle time: under the 5 s idle timeout
# of a plain uvicorn peer, so we never reuse a connection the peer is closing at that moment,
# which loses the request with a ReadError.
OUTBOUND_IDLE_EXPIRY_S = 4.0


def _new_context(settings: Settings, clock: Clock | None) -> NodeContext:
    return NodeContext(
        settings=settings,
        database=create_database(
            settings.database_url,
            pool_size=settings.database.pool_size,
            max_overflow=settings.database.max_overflow,
        ),
        clock=clock or SystemClock(),
        http=PeerClient(AiohttpTransport(200, OUTBOUND_IDLE_EXPIRY_S), httpx.Timeout(10.0)),
        metrics=Metrics(),
    )


@asynccontextmanager
async def offline_node(settings: Settings) -> AsyncIterator[NodeContext]:
    """The node's context with every feature started except the work loop, and no server: for
    a command acting as a node that is not serving. Its key signs what it publishes; the
    protocol steps and notices it decides are queued and sent once the node serves again."""
    context = _new_context(settings, None)
    modules = [m for m in feature_modules() if m.__name__ != "connector.work.api"]
    async with _lifespan(context, modules)(None):
        yield context


def create_node_apps(settings: Settings, clock: Clock | None = None) -> NodeApps:
    """Build the node's context and its app(s). Nothing touches the database until startup."""
    context = _new_context(settings, clock)
    modules = feature_modules()
    server = settings.server
    split_management = server.management_port not in (None, server.port)
    split_data = server.public_port not in (None, server.port)
    public = _new_app(settings, context, _lifespan(context, modules), "carbonspace node")
    management = _new_app(settings, context, None, "carbonspace management")
    management.add_middleware(TrailingSlashMiddleware)
    data = _new_app(settings, context, None, "carbonspace data plane")
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
        public=SurfaceDispatcher(
            public,
            None if split_management else management,
            None if split_data else data,
        ),
        management=management if split_management else None,
        data=data if split_data else None,
        context=context,
    )


def create_app(settings: Settings, clock: Clock | None = None) -> SurfaceDispatcher:
    """A single-port app (what tests and `serve` without split ports use)."""
    return create_node_apps(settings, clock).public


def _new_app(
    settings: Settings,
    context: NodeContext,
    lifespan: Callable[[FastAPI], Any] | None,
    title: str,
) -> FastAPI:
    app = FastAPI(
        title=title, version="0.1.0", lifespan=lifespan, telemetry=native_telemetry(os.environ)
    )
    app.state.node = context
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.server.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=context.metrics)
    return app


def native_telemetry(environ: Mapping[str, str]) -> Any:
    """FastAPI's own OpenTelemetry instrumentation, left on where an operator configured
    OpenTelemetry (`opentelemetry-instrument` and the SDK read `OTEL_*` variables), off
    otherwise: unconfigured, it looks the providers up in the environment on every request
    (~3% of a node's CPU in a negotiation burst). Our own metrics are in `/metrics`."""
    if any(name.startswith("OTEL_") for name in environ) or environ.get(
        "FASTAPI_OTEL_AUTO_CONFIGURE"
    ):
        return None
    return {"tracing": False, "metrics": False, "logs": False}


def _lifespan(
    context: NodeContext, modules: list[ModuleType]
) -> Callable[[FastAPI | None], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI | None) -> AsyncIterator[None]:
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
