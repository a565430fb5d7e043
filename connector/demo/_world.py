"""Start the demo's authority and company nodes in this process, each on its own loopback port
(real HTTP between them: DSP, DCP, data plane), with embedded SQLite in a scratch directory."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import uvicorn
from starlette.types import ASGIApp

from connector.app import create_app
from connector.demo._companies import COMPANIES, Company
from connector.identity import (
    MEMBERSHIP_CREDENTIAL,
    PCF_FRAMEWORK_CREDENTIAL,
    add_credential,
    init_authority,
    init_node,
    issue_credential,
    load_authority,
)
from connector.identity.authority import create_authority_app
from connector.settings import Settings

START_TIMEOUT_S = 30.0


class _Server(uvicorn.Server):
    """A server that leaves signal handling to the demo (several run in one loop)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class DemoNode:
    company: Company
    settings: Settings
    server: _Server
    task: asyncio.Task[None]

    @property
    def url(self) -> str:
        return self.settings.node.url

    @property
    def did(self) -> str:
        return self.settings.node.did

    @property
    def api_key(self) -> str:
        return self.settings.management.api_key

    def management(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.url, timeout=120.0, headers={"X-Api-Key": self.api_key}
        )


@dataclass
class World:
    base_dir: Path
    authority_url: str
    authority_did: str
    nodes: dict[str, DemoNode] = field(default_factory=dict)
    servers: list[tuple[_Server, asyncio.Task[None]]] = field(default_factory=list)

    async def stop(self) -> None:
        for server, _task in self.servers:
            server.should_exit = True
        await asyncio.gather(*(task for _s, task in self.servers), return_exceptions=True)


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


async def _serve(app: ASGIApp, port: int) -> tuple[_Server, asyncio.Task[None]]:
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(START_TIMEOUT_S):
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError(f"server on port {port} stopped during start-up")
            await asyncio.sleep(0.02)
    return server, task


def _directory(base_dir: Path, base_port: int) -> Path:
    """The participant directory file every node reads (DID -> DSP endpoint)."""
    entries = [
        {
            "did": f"did:web:127.0.0.1%3A{base_port + c.offset}",
            "dsp_url": f"http://127.0.0.1:{base_port + c.offset}/api/dsp",
            "name": c.name,
        }
        for c in COMPANIES
    ]
    path = base_dir / "directory.json"
    path.write_text(json.dumps({"participants": entries}, indent=2), encoding="utf-8")
    return path


async def start_world(base_dir: Path, base_port: int) -> World:
    """Authority and the four companies: created, credentialed, started."""
    authority_dir = base_dir / "authority"
    authority_url = f"http://127.0.0.1:{base_port}"
    authority_did = init_authority(authority_dir, authority_url)
    world = World(base_dir, authority_url, authority_did)
    world.servers.append(
        await _serve(create_authority_app(load_authority(authority_dir)), base_port)
    )
    directory = _directory(base_dir, base_port)
    for company in COMPANIES:
        port = base_port + company.offset
        settings = init_node(
            base_dir / company.key,
            name=company.name,
            url=f"http://127.0.0.1:{port}",
            authorities=[authority_did],
            extra={"directory": {"file": str(directory)}},
        )
        for kind in (MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL):
            vc = issue_credential(authority_dir, settings.node.did, kind, timedelta(days=365))
            await add_credential(settings, vc)
        server, task = await _serve(create_app(settings), port)
        world.servers.append((server, task))
        world.nodes[company.key] = DemoNode(company, settings, server, task)
    return world
