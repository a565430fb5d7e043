"""Prometheus metrics, one registry per node (several nodes may share a process)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response


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

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        surface = _surface(request.url.path)
        self.requests.labels(surface, request.method, str(response.status_code)).inc()
        self.latency.labels(surface).observe(time.perf_counter() - started)
        return response


def _surface(path: str) -> str:
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "api":
        return parts[2]
    return parts[1] if len(parts) > 1 and parts[1] else "root"
