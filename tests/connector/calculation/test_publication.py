"""Publication (issue 7, item 3): a new CarbonFootprint version, recomputed or imported into
the product store, is signed in the transaction that makes it visible, so no reader ever sees
it unsigned."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from connector.calculation.api import on_startup
from connector.calculation.installation import import_installation, read_document
from connector.calculation.recompute import recompute_installation
from connector.context import NodeContext
from connector.outcome import Ok
from connector.products import get_submodel_json
from connector.products.models import PublishedSubmodelRow
from connector.products.service import import_file
from connector.upstream import SIGNATURE_EXTENSION, verify_submodel
from tests.connector.upstream import conftest as upstream_fixtures
from tests.connector.upstream._signer import KeyRing

DEMO = Path(__file__).resolve().parents[3] / "docs" / "examples" / "demo"
OUR_DID = upstream_fixtures.OUR_DID
# The node context and key ring of the upstream tests: a migrated database, a fixed clock, and
# an identity that signs as OUR_DID.
context = upstream_fixtures.context
ring = upstream_fixtures.ring


@pytest.fixture
def written() -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """(version, submodel) of every published-submodel row as each flush writes it."""
    seen: list[tuple[int, dict[str, Any]]] = []

    def record(session: Session, _flush_context: object) -> None:
        for row in (*session.new, *session.dirty):
            if isinstance(row, PublishedSubmodelRow):
                seen.append((row.version, json.loads(row.json_text)))

    event.listen(Session, "after_flush", record)
    yield seen
    event.remove(Session, "after_flush", record)


def _extensions(submodel: dict[str, Any]) -> list[str]:
    return sorted(e["name"] for e in submodel.get("extensions", []))


async def _import_mill(context: NodeContext, gas_tj: str = "2000") -> str:
    loaded = read_document(DEMO / "2-steel-mill.json")
    assert isinstance(loaded, Ok)
    document = loaded.value
    document["source_streams"][1]["fuel_quantity"]["value"] = gas_tj
    imported = await import_installation(context, document)
    assert isinstance(imported, Ok)
    return imported.value.installation_id


async def test_publish_when_new_version_written_it_is_already_signed(
    context: NodeContext, ring: KeyRing, written: list[tuple[int, dict[str, Any]]]
) -> None:
    installation = await _import_mill(context)
    first = await recompute_installation(context, installation)
    await _import_mill(context, gas_tj="2100")
    second = await recompute_installation(context, installation)
    assert isinstance(first, Ok) and isinstance(second, Ok)
    assert [(c.product_id, c.version, c.published) for c in first.value + second.value] == [
        ("coil", 1, True),
        ("coil", 2, True),
    ]
    assert [version for version, _ in written] == [1, 2]
    for _version, submodel in written:
        assert SIGNATURE_EXTENSION in _extensions(submodel)
        verified = await verify_submodel(ring.signer(OUR_DID), submodel, OUR_DID)
        assert isinstance(verified, Ok), verified


async def test_publish_when_version_served_it_verifies_against_the_publisher(
    context: NodeContext, ring: KeyRing
) -> None:
    installation = await _import_mill(context)
    computed = await recompute_installation(context, installation)
    assert isinstance(computed, Ok)
    submodel_id = "urn:carbonspace:127.0.0.1%3A8080:sm:cf:coil"
    text = await get_submodel_json(context, submodel_id)
    assert text is not None
    served = json.loads(text)
    verified = await verify_submodel(ring.signer(OUR_DID), served, OUR_DID)
    assert isinstance(verified, Ok)
    assert (verified.value.provenance.product_id, served["administration"]["version"]) == (
        "coil",
        "1",
    )


async def test_products_import_when_node_signs_publishes_imported_footprints_signed(
    context: NodeContext, ring: KeyRing, written: list[tuple[int, dict[str, Any]]]
) -> None:
    await on_startup(context)
    document = {
        "products": [{"id": "coil", "name": "Hot-rolled coil", "unit": "t"}],
        "footprints": [
            {
                "product": "coil",
                "pcfKgCo2e": "2042.5",
                "methods": ["ISO 14067"],
                "periodStart": "2026-01-01T00:00:00Z",
                "periodEnd": "2027-01-01T00:00:00Z",
            }
        ],
    }
    imported = await import_file(context, json.dumps(document).encode(), "products.json")
    assert isinstance(imported, Ok)
    ((version, submodel),) = written
    assert version == 1 and SIGNATURE_EXTENSION in _extensions(submodel)
    text = await get_submodel_json(context, "urn:carbonspace:127.0.0.1%3A8080:sm:cf:coil")
    verified = await verify_submodel(ring.signer(OUR_DID), json.loads(text or "{}"), OUR_DID)
    assert isinstance(verified, Ok)
    provenance = verified.value.provenance
    assert (provenance.product_id, provenance.precursors, provenance.pcf_tiers) == ("coil", (), ())
