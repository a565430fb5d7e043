"""A customer that keeps its product only in the product store (`POST
/api/management/products/import`, no installation file) with real `carbonspace serve` nodes
(issue 7, item 1): its BOM line on the mill's coil is resolved over DSP, composed into the
product's PCF, recomposed when the customer imports new own data, and a change of the mill's
data reaches it without anyone asking."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from typing import Any

import pytest

from connector.demo import changed_mill
from tests.e2e._supply_chain import (
    computed,
    demo_document,
    import_document,
    line,
    offer_footprints,
    resolve,
    uses,
    wait_until,
)
from tests.support import nodes as support
from tests.support.nodes import RunningNode, carbonspace_command

pytestmark = pytest.mark.e2e
node_factory = support.nodes  # the e2e conftest's node factory, under a clearer name
D = Decimal


def _products(mill_did: str) -> dict[str, Any]:
    return {
        "products": [{"id": "hub", "name": "Wheel-hub module", "unit": "piece"}],
        "bom": [
            {
                "product": "hub",
                "component": "coil",
                "quantity": "6.2",
                "unit": "kg",
                "supplier": mill_did,
                "supplierProductId": "coil",
            }
        ],
        "footprints": [
            {
                "product": "hub",
                "pcfKgCo2e": "12.5",
                "methods": ["ISO 14067"],
                "lifeCyclePhases": ["A3 - production"],
                "periodStart": "2026-01-01T00:00:00Z",
                "periodEnd": "2027-01-01T00:00:00Z",
                "publish": False,
            }
        ],
    }


def _import_products(node: RunningNode, document: dict[str, Any]) -> None:
    with node.management() as http:
        reply = http.post("/api/management/products/import", json=document)
    assert reply.status_code in (200, 201), reply.text


def test_resolve_when_bom_only_in_product_store_fetches_composes_and_follows_changes(
    node_factory,
) -> None:
    nodes = node_factory
    mill, buyer = nodes("mill"), nodes("buyer")
    offer_footprints(mill)
    import_document(mill, demo_document("mill", {"mill": mill.did}))
    _import_products(buyer, _products(mill.did))
    report = resolve(buyer, "hub")
    coil = line(report, "coil")
    assert (coil["status"], coil["refs"]) == ("received", ["product-store.bom[hub][1]"])
    coil_pcf = D("1900") + D("1.5") * D("95")  # the mill uses its ore default (no ore node)
    assert (report["error"], report["publishedVersion"], report["negotiations"]) == (None, 2, 1)
    assert D(report["result"]["pcf"]["pcfKgCo2e"]) == D("12.5") + D("6.2") * coil_pcf / 1000
    assert report["breakdown"]["flags"] == {"default": [], "stale": []}

    own = _products(mill.did)
    own["footprints"][0]["pcfKgCo2e"] = "13"
    _import_products(buyer, {"footprints": own["footprints"]})  # recomposed at once
    after_import = computed(buyer, "hub")
    assert after_import["version"] == 4  # 3: the new own (A3) footprint, 4: the composition
    assert D(after_import["result"]["pcf"]["pcfKgCo2e"]) == D("13") + D("6.2") * coil_pcf / 1000

    import_document(mill, changed_mill(demo_document("mill", {"mill": mill.did})))
    mill_version = computed(mill, "coil")["version"]

    def refreshed() -> dict[str, Any] | None:
        hub = computed(buyer, "hub")
        return hub if uses(hub, mill.did, mill_version) else None

    hub = wait_until(refreshed)
    changed = D("1950") + D("1.5") * D("95")
    assert D(hub["result"]["pcf"]["pcfKgCo2e"]) == D("13") + D("6.2") * changed / 1000
    assert hub["installationId"] == "product-store"


def test_resolve_when_supplier_imports_its_footprint_with_the_cli_receives_it_signed(
    node_factory,
) -> None:
    nodes = node_factory
    mill, buyer = nodes("mill"), nodes("buyer")
    offer_footprints(mill)
    coil = {
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
    products_file = mill.node_dir / "coil-products.json"
    products_file.write_text(json.dumps(coil), encoding="utf-8")
    cli = subprocess.run(
        carbonspace_command("products", "import", str(mill.node_dir), str(products_file)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.startswith("imported 1 products, 0 BOM lines, 1 footprints")
    assert "node not running" not in cli.stderr  # through the running node: signed
    _import_products(buyer, _products(mill.did))
    report = resolve(buyer, "hub")
    assert (line(report, "coil")["status"], report["error"]) == ("received", None)
    assert D(report["result"]["pcf"]["pcfKgCo2e"]) == D("12.5") + D("6.2") * D("2.0425")
