"""An in-process data space for DSP tests: an authority and nodes as real ASGI apps (full app
factory, identity, DCP, work loop), wired by a transport that routes each host to its app and
records every DSP message the nodes send, so tests can validate them against the DSP schemas.

    space = await exchange_space(tmp_path, stack)
    provider = await space.node("mill", database_url)
    await space.publish(provider, "asset-1", submodel_id="urn:sm:1")
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from aas_models import Footprint, FootprintStatus, ProductIdentity
from connector.app import create_node_apps
from connector.context import NodeContext
from connector.dsp import SCHEMA_BY_TYPE, schema_problems
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
from connector.outcome import Ok
from connector.products import Publication, publish_footprint
from connector.settings import Settings
from policies import policy_template, to_edc_policy_definition

ALL = False
EDC_CONTEXT = {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"}
BOTH = (MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL)


@dataclass
class Sent:
    """One request a node sent to a DSP endpoint, with the answer."""

    method: str
    url: str
    body: Any
    status: int
    answer: Any


@dataclass
class HostRouter(httpx.AsyncBaseTransport):
    """Routes each request to the ASGI app of its host; hosts can be taken down (connection
    refused) and brought back."""

    apps: dict[str, httpx.ASGITransport] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)

    def add(self, host: str, app: FastAPI) -> None:
        self.apps[host] = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        transport = self.apps.get(host)
        if transport is None or host in self.down:
            raise httpx.ConnectError(f"no route to {host}", request=request)
        return await transport.handle_async_request(request)


@dataclass
class Recorder(httpx.AsyncBaseTransport):
    """The transport of the nodes' own HTTP clients: records every DSP request they send."""

    router: HostRouter
    sent: list[Sent] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.router.handle_async_request(request)
        if "/api/dsp" in request.url.path or ALL:
            content = await response.aread()
            self.sent.append(
                Sent(
                    request.method,
                    str(request.url),
                    _json(request.content),
                    response.status_code,
                    _json(content),
                )
            )
        return response


def schema_violations(sent: list[Sent]) -> list[str]:
    """Every DSP message (request body or answer) that does not match its DSP schema."""
    problems = []
    for exchange in sent:
        for message in (exchange.body, exchange.answer):
            if isinstance(message, dict) and message.get("@type") in SCHEMA_BY_TYPE:
                found = schema_problems(message, message["@type"])
                problems += [f"{exchange.url} {message['@type']}: {p}" for p in found]
    return problems


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


@dataclass
class Peer:
    """A node of the space: its settings, live context and clients."""

    settings: Settings
    context: NodeContext
    public: httpx.AsyncClient
    management: httpx.AsyncClient

    @property
    def did(self) -> str:
        return self.settings.node.did

    @property
    def dsp(self) -> str:
        return self.settings.node.url + "/api/dsp"

    @property
    def host(self) -> str:
        return httpx.URL(self.settings.node.url).host


@dataclass
class Space:
    tmp_path: Path
    router: HostRouter
    recorder: Recorder
    authority_dir: Path
    authority_did: str
    stack: AsyncExitStack
    peers: list[Peer] = field(default_factory=list)

    async def quiesce(self) -> None:
        """Before teardown: no more traffic between nodes, every work loop stopped."""
        self.router.down.update(self.router.apps)
        for peer in self.peers:
            loop = peer.context.services.get("work")
            if loop is not None:
                await loop.stop()

    async def node(
        self,
        name: str,
        database_url: str = "",
        credentials: tuple[str, ...] = BOTH,
        extra: dict[str, dict[str, Any]] | None = None,
    ) -> Peer:
        host = f"{name}.test"
        settings = init_node(
            self.tmp_path / name,
            name=name,
            url=f"http://{host}",
            authorities=[self.authority_did],
            database_url=database_url,
            extra=extra,
        )
        for credential_type in credentials:
            vc = issue_credential(self.authority_dir, settings.node.did, credential_type)
            await add_credential(settings, vc)
        apps = create_node_apps(settings)
        await apps.context.http.aclose()
        apps.context.http = httpx.AsyncClient(transport=self.recorder, timeout=10.0)
        self.router.add(host, apps.public)
        await self.stack.enter_async_context(LifespanManager(apps.public))
        public = httpx.AsyncClient(transport=self.router, base_url=f"http://{host}")
        management = httpx.AsyncClient(
            transport=self.router,
            base_url=f"http://{host}/api/management",
            headers={"X-Api-Key": settings.management.api_key},
        )
        await self.stack.enter_async_context(public)
        await self.stack.enter_async_context(management)
        peer = Peer(settings, apps.context, public, management)
        self.peers.append(peer)
        return peer

    async def publish(
        self,
        provider: Peer,
        asset_id: str,
        *,
        submodel_id: str | None = None,
        **policies: Any,
    ) -> None:
        """A plain asset via the EDC Management API v3, then an offer for it."""
        address = {
            "@type": "DataAddress",
            "type": "AasSubmodel",
            "submodelId": submodel_id or f"urn:submodel:{asset_id}",
        }
        asset = {
            "@context": EDC_CONTEXT,
            "@id": asset_id,
            "properties": {"name": asset_id},
            "dataAddress": address,
        }
        await _created(await provider.management.post("/v3/assets", json=asset))
        await self.offer(provider, asset_id, **policies)

    async def publish_footprint(
        self, provider: Peer, product_id: str, pcf: str = "1.25", **policies: Any
    ) -> Publication:
        """A CarbonFootprint submodel (AAS stream's publication), offered under `policies`."""
        now = datetime.now(UTC).replace(microsecond=0)
        footprint = Footprint(
            footprint_id="",
            version=0,
            status=FootprintStatus.ACTIVE,
            pcf_kg_co2e=Decimal(pcf),
            declared_unit="kg",
            declared_quantity=Decimal(1),
            methods=("ISO 14067",),
            life_cycle_phases=("A1-A3",),
            period_start=now - timedelta(days=365),
            period_end=now,
            published_at=now,
        )
        identity = ProductIdentity(
            product_id=product_id,
            name=f"Product {product_id}",
            global_asset_id=f"urn:test:product:{product_id}",
        )
        published = await publish_footprint(
            provider.context, product_id, footprint, product=identity
        )
        assert isinstance(published, Ok), published
        await self.offer(provider, published.value.asset_id, **policies)
        return published.value

    async def offer(
        self,
        provider: Peer,
        asset_id: str,
        *,
        access: str = "members-only",
        contract: str = "members-only",
        access_options: dict[str, Any] | None = None,
        contract_options: dict[str, Any] | None = None,
    ) -> None:
        """Access/contract policy definitions + a contract definition for `asset_id`."""
        for suffix, template, options in (
            ("access", access, access_options),
            ("contract", contract, contract_options),
        ):
            policy = policy_template(template, **{"purposes": [], **(options or {})})
            body = to_edc_policy_definition(policy, f"{asset_id}-{suffix}")
            await _created(await provider.management.post("/v3/policydefinitions", json=body))
        definition = {
            "@context": EDC_CONTEXT,
            "@id": f"{asset_id}-definition",
            "accessPolicyId": f"{asset_id}-access",
            "contractPolicyId": f"{asset_id}-contract",
            "assetsSelector": [
                {
                    "operandLeft": "https://w3id.org/edc/v0.0.1/ns/id",
                    "operator": "=",
                    "operandRight": asset_id,
                }
            ],
        }
        await _created(await provider.management.post("/v3/contractdefinitions", json=definition))


async def _created(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text


@pytest.fixture
async def space(tmp_path: Path) -> AsyncIterator[Space]:
    router = HostRouter()
    authority_dir = tmp_path / "authority"
    authority_did = init_authority(authority_dir, "http://authority.test")
    router.add("authority.test", create_authority_app(load_authority(authority_dir)))
    recorder = Recorder(router)
    async with AsyncExitStack() as stack:
        space = Space(tmp_path, router, recorder, authority_dir, authority_did, stack)
        yield space
        await space.quiesce()
    assert schema_violations(recorder.sent) == []
