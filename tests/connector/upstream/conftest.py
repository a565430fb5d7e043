"""Fixtures for the upstream tests: a node context on each database with a test signer, and
signed CarbonFootprint submodels as a supplier publishes them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from aas_models import CbamSplit, Footprint, FootprintStatus, build_submodel, to_json_dict
from connector.clock import FixedClock
from connector.context import NodeContext
from connector.db import create_database, upgrade_to_head
from connector.observability import Metrics
from connector.upstream import Provenance, lineage_hash, sign_submodel
from tests.conftest import make_settings
from tests.connector.upstream._signer import KeyRing

OUR_DID = "did:web:127.0.0.1%3A8080"


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing()


@pytest.fixture
async def context(tmp_path: Path, database_url: str, ring: KeyRing) -> AsyncIterator[NodeContext]:
    settings = make_settings(tmp_path, database_url)
    database = create_database(settings.database_url)
    await upgrade_to_head(database)
    async with httpx.AsyncClient() as http:
        node = NodeContext(
            settings, database, FixedClock(datetime(2026, 3, 1, tzinfo=UTC)), http, Metrics()
        )
        node.services["identity"] = ring.signer(OUR_DID)
        yield node
    await database.dispose()


def footprint(
    version: int, pcf: str, see_direct: str = "2.1", see_indirect: str = "0"
) -> Footprint:
    return Footprint(
        footprint_id=f"urn:test:fp:{version}",
        version=version,
        status=FootprintStatus.ACTIVE,
        pcf_kg_co2e=Decimal(pcf),
        declared_unit="t",
        declared_quantity=Decimal(1),
        methods=("ISO 14067",),
        life_cycle_phases=("A1-A3",),
        period_start=datetime(2026, 1, 1, tzinfo=UTC),
        period_end=datetime(2026, 12, 31, tzinfo=UTC),
        published_at=datetime(2026, 2, 1, tzinfo=UTC),
        cbam=CbamSplit(Decimal(see_direct), Decimal(see_indirect)),
    )


def published(
    ring: KeyRing,
    did: str,
    product: str,
    version: int,
    pcf: str = "2020",
    lineage: frozenset[str] | None = None,
    tiers: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A supplier's signed submodel, as its data plane serves it."""
    submodel = to_json_dict(build_submodel(f"urn:test:{product}:cf", footprint(version, pcf)))
    provenance = Provenance(
        did, product, (), lineage or frozenset({lineage_hash(did, product)}), pcf_tiers=tiers
    )
    return sign_submodel(ring.signer(did), submodel, provenance)
