"""An in-process data space for identity tests: an authority and nodes as real ASGI apps, wired
by a transport that routes each host name to its app (real HTTP semantics, no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from connector.app import create_node_apps
from connector.clock import FixedClock
from connector.identity import (
    MEMBERSHIP_CREDENTIAL,
    PCF_FRAMEWORK_CREDENTIAL,
    NodeIdentity,
    add_credential,
    init_authority,
    init_node,
    issue_credential,
    load_authority,
)
from connector.identity.authority import create_authority_app
from connector.settings import Settings


class HostRouter(httpx.AsyncBaseTransport):
    """Sends each request to the ASGI app registered for its host."""

    def __init__(self) -> None:
        self.apps: dict[str, httpx.ASGITransport] = {}

    def add(self, host: str, app: FastAPI) -> None:
        self.apps[host] = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self.apps.get(request.url.host)
        if transport is None:
            raise httpx.ConnectError(f"no route to {request.url.host}", request=request)
        return await transport.handle_async_request(request)


@dataclass
class Node:
    settings: Settings
    identity: NodeIdentity
    client: httpx.AsyncClient

    @property
    def did(self) -> str:
        return self.settings.node.did


@dataclass
class Space:
    """The authority, a clock shared by everyone, and a way to add nodes."""

    tmp_path: Path
    router: HostRouter
    clock: FixedClock
    authority_dir: Path
    authority_did: str
    stack: AsyncExitStack

    async def node(
        self,
        name: str,
        database_url: str = "",
        credentials: tuple[str, ...] = (),
        trusted: bool = True,
        algorithm: str = "Ed25519",
    ) -> Node:
        host = f"{name}.test"
        settings = init_node(
            self.tmp_path / name,
            name=name,
            url=f"http://{host}",
            authorities=[self.authority_did] if trusted else [],
            database_url=database_url,
            algorithm=algorithm,
        )
        for credential_type in credentials:
            vc = issue_credential(
                self.authority_dir, settings.node.did, credential_type, now=self.clock.now()
            )
            await add_credential(settings, vc, now=self.clock.now())
        apps = create_node_apps(settings, self.clock)
        await apps.context.http.aclose()
        apps.context.http = httpx.AsyncClient(transport=self.router)
        self.router.add(host, apps.public)
        await self.stack.enter_async_context(LifespanManager(apps.public))
        client = httpx.AsyncClient(transport=self.router, base_url=f"http://{host}")
        await self.stack.enter_async_context(client)
        return Node(settings, apps.context.service("identity"), client)


@pytest.fixture
async def space(tmp_path: Path) -> AsyncIterator[Space]:
    router = HostRouter()
    authority_dir = tmp_path / "authority"
    authority_did = init_authority(authority_dir, "http://authority.test")
    router.add("authority.test", create_authority_app(load_authority(authority_dir)))
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    async with AsyncExitStack() as stack:
        yield Space(tmp_path, router, clock, authority_dir, authority_did, stack)


BOTH = (MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL)
