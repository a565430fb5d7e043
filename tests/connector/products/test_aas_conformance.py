"""The node's AAS API at /api/aas passes the official aas-test-engines 1.0.3 read-profile
suites (SSP-002, AAS and Submodel repository) with the real X-Api-Key check in place: the
engine's `--header` option is ignored in 1.0.3, so the header is injected by a client subclass
(shared/reference/aas.md 3.7)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connector.app import create_app
from connector.clock import SystemClock
from connector.context import NodeContext
from connector.db import create_database, upgrade_to_head
from connector.observability.metrics import Metrics
from connector.products.service import import_file
from tests.conftest import make_settings
from tests.connector.products.aas_check import SUITES, run_suite
from tests.connector.products.conftest import EXAMPLE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def prepare(settings) -> int:
    """Import the shipped example into the node's database before it serves."""
    database = create_database(settings.database_url)
    async with httpx.AsyncClient() as http:
        context = NodeContext(settings, database, SystemClock(), http, Metrics())
        await upgrade_to_head(database)
        outcome = await import_file(context, EXAMPLE.read_bytes(), "products.json")
        await database.dispose()
    return outcome.value.footprints


@pytest.fixture(scope="module")
def running_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    node_dir: Path = tmp_path_factory.mktemp("aas-node")
    port = free_port()
    settings = make_settings(node_dir, f"sqlite+aiosqlite:///{node_dir / 'node.db'}",
                             server={"port": port})  # fmt: skip
    assert asyncio.run(prepare(settings)) == 3
    server = uvicorn.Server(uvicorn.Config(create_app(settings), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "node did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/api/aas", settings.management.api_key
    server.should_exit = True
    thread.join(timeout=20)


@pytest.mark.parametrize("suite", SUITES)
def test_node_aas_api_passes_official_suite_when_key_sent(running_node, suite) -> None:
    base, key = running_node
    ok, report = run_suite(base, key, suite)
    assert ok, json.dumps(report)[:3000]


SEGMENT = st.text(alphabet=st.sampled_from("AZaz09_-=.[]$%~:"), max_size=20) | st.sampled_from(
    ["$value", "$metadata", "$path", "$reference", "submodel-elements", "attachment",
     "submodels", "asset-information", "submodel-refs", "ProductCarbonFootprints%5B0%5D",
     "dXJuOmNhcmJvbnNwYWNlOjEyNy4wLjAuMSUzQTgwODA6c206Y2Y6SFJDLTJNTQ"]
)  # fmt: skip
QUERY = st.dictionaries(
    st.sampled_from(["level", "extent", "limit", "cursor", "semanticId", "idShort", "assetIds",
                     "aasIds", "submodelIds", "includeConceptDescriptions"]),
    st.text(max_size=10),
    max_size=3,
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    root=st.sampled_from(["shells", "submodels", "serialization", "description", "nothing"]),
    segments=st.lists(SEGMENT, max_size=5),
    query=QUERY,
)
def test_node_aas_api_never_answers_500_when_fuzzed(running_node, root, segments, query) -> None:
    base, key = running_node
    url = "/".join([base, root, *segments])
    response = httpx.get(url, params=query, headers={"X-Api-Key": key}, timeout=30)
    assert response.status_code < 500, (url, query, response.text[:500])
    if response.status_code >= 400:
        assert list(response.json()) == ["messages"]
