"""How the CLI talks to a node: over its management API when `carbonspace serve` runs for that
node directory, else (for commands that need no peer) with the node's app started in-process
on the same database. Either way the CLI goes through the same routes as any other client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from connector.app import create_app
from connector.settings import Settings


class NodeNotRunningError(RuntimeError):
    """The command needs the running node (it answers peers' callbacks)."""


def management_base(settings: Settings) -> str:
    server = settings.server
    host = "127.0.0.1" if server.host in ("0.0.0.0", "") else server.host
    return f"http://{host}:{server.management_port or server.port}"


async def node_is_up(settings: Settings) -> bool:
    """True when the node's management surface answers `/health`-style requests."""
    try:
        async with httpx.AsyncClient(timeout=2.0) as http:
            reply = await http.get(
                management_base(settings) + "/api/management/node",
                headers={"X-Api-Key": settings.management.api_key},
            )
    except httpx.HTTPError:
        return False
    return reply.status_code == 200


@asynccontextmanager
async def management_client(
    settings: Settings, in_process_ok: bool, timeout_s: float = 300.0
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the node's management API (X-Api-Key set)."""
    headers = {"X-Api-Key": settings.management.api_key}
    if await node_is_up(settings):
        async with httpx.AsyncClient(
            base_url=management_base(settings), headers=headers, timeout=timeout_s
        ) as http:
            yield http
        return
    if not in_process_ok:
        raise NodeNotRunningError(
            f"node at {management_base(settings)} is not running: start it with "
            f"`carbonspace serve {settings.node_dir}` (peers call it back during negotiation)"
        )
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://node", headers=headers, timeout=timeout_s
        ) as http:
            yield http
