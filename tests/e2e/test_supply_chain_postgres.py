"""The four-company chain with every node on its own PostgreSQL database (skipped unless
CARBONSPACE_TEST_POSTGRES_URL is set): same figures as on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from tests.conftest import _create_postgres_database, _drop_postgres_database, postgres_admin_url
from tests.e2e._supply_chain import demo_document, import_document, offer_footprints, resolve
from tests.support import nodes as support

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
node_factory = support.nodes  # the e2e conftest's node factory, under a clearer name
KEYS = ("ore", "mill", "fastener", "oem")


@pytest.fixture
def databases() -> Iterator[dict[str, str]]:
    if postgres_admin_url() is None:
        pytest.skip("CARBONSPACE_TEST_POSTGRES_URL is not set")
    created = {key: _create_postgres_database() for key in KEYS}
    try:
        yield {key: url for key, (url, _name) in created.items()}
    finally:
        for _url, name in created.values():
            _drop_postgres_database(name)


def test_chain_when_nodes_use_postgresql_gives_the_hand_computed_oem_value(
    databases: dict[str, str], node_factory
) -> None:
    running = {key: node_factory(key, database_url=databases[key]) for key in KEYS}
    dids = {key: node.did for key, node in running.items()}
    for node in running.values():
        offer_footprints(node)
    for key, node in running.items():
        import_document(node, demo_document(key, dids))
    for key, product in (("mill", "coil"), ("fastener", "bolts")):
        assert resolve(running[key], product)["flagged"] == []
    oem = resolve(running["oem"], "wheel-hub-module")
    assert (oem["error"], oem["flagged"]) == (None, [])
    assert Decimal(oem["result"]["pcf"]["pcfKgCo2e"]) == Decimal("26.03664")
