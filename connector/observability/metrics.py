"""Prometheus metrics, one registry per node (several nodes may share a process)."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Metrics:
    """The node's registry and the request metrics every surface shares."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "carbonspace_http_requests",
            "HTTP requests served, by surface, method and status",
            ("surface", "method", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "carbonspace_http_request_seconds",
            "Time to answer an HTTP request, by surface",
            ("surface",),
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def observe(self, path: str, method: str, status: int, seconds: float) -> None:
        surface = _surface(path)
        self.requests.labels(surface, method, str(status)).inc()
        self.latency.labels(surface).observe(seconds)


class MetricsMiddleware:
    """Pure ASGI middleware (no per-request task, unlike BaseHTTPMiddleware): counts requests
    and observes latency by surface."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.observe(scope["path"], scope["method"], status, elapsed)


def _surface(path: str) -> str:
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "api":
        return parts[2]
    return parts[1] if len(parts) > 1 and parts[1] else "root"
