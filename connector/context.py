"""The node's runtime context: one per node, built by the app factory, reachable from a request
through `get_context`. Features keep their long-lived services in `services`, keyed by feature
name (e.g. `services["identity"]`), set by their `on_startup` hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import Request

from connector.clock import Clock
from connector.db import Database
from connector.observability.metrics import Metrics
from connector.settings import Settings


@dataclass
class NodeContext:
    settings: Settings
    database: Database
    clock: Clock
    http: httpx.AsyncClient
    metrics: Metrics
    services: dict[str, Any] = field(default_factory=dict)

    def service(self, name: str) -> Any:
        """A feature's service object; a missing one is a wiring bug, not user input."""
        try:
            return self.services[name]
        except KeyError:
            raise RuntimeError(f"feature service {name!r} is not started") from None


def node_context(request: Request) -> NodeContext:
    """The context of the node that serves this request."""
    context: NodeContext = request.app.state.node
    return context


async def get_context(request: Request) -> NodeContext:
    """FastAPI dependency for `node_context`. It is `async` because FastAPI runs a plain `def`
    dependency in a worker thread: a thread round trip on every request."""
    return node_context(request)
