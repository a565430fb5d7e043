"""Supply-chain failure cases with real `carbonspace serve` nodes (issue 7, "Done when"): a
supplier down (default used and flagged, replaced by itself when it returns), a policy that
denies us (flagged, not skipped), a bill-of-materials cycle across companies (detected, no
loop), and the notification endpoint refusing unauthenticated callers."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

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
from tests.support.nodes import start_node

pytestmark = pytest.mark.e2e
node_factory = support.nodes  # the e2e conftest's node factory, under a clearer name
D = Decimal


def test_resolve_when_supplier_down_uses_default_flagged_then_replaces_it(node_factory) -> None:
    nodes = node_factory
    mill, fastener = nodes("mill"), nodes("fastener")
    dids = {"mill": mill.did, "fastener": fastener.did}
    offer_footprints(mill)
    import_document(mill, demo_document("mill", dids))
    import_document(fastener, demo_document("fastener", dids))
    mill.stop()
    down = resolve(fastener, "bolts")
    coil = line(down, "coil")
    assert (coil["status"], coil["reasonCode"]) == ("default", "unreachable")
    assert [(f["supplierProductId"], f["status"]) for f in down["flagged"]] == [("coil", "default")]
    assert D(down["result"]["pcf"]["pcfKgCo2e"]) == D("0.35") + D("1.08") * D("2.3")
    back = start_node(mill.node_dir)  # no operator action: the pending refresh retries
    try:
        coil_version = computed(back, "coil")["version"]

        def refreshed() -> dict | None:
            bolts = computed(fastener, "bolts")
            return bolts if uses(bolts, mill.did, coil_version) else None

        replaced = wait_until(refreshed)
        again = resolve(fastener, "bolts")
    finally:
        back.stop()
    assert line(again, "coil")["status"] == "current"
    assert again["flagged"] == []
    coil_pcf = D("1900") + D("1.5") * D("95")  # the mill itself still uses its ore default
    bolts_pcf = D("0.35") + D("1.08") * coil_pcf / 1000
    assert D(replaced["result"]["pcf"]["pcfKgCo2e"]) == bolts_pcf
    stale = resolve(fastener, "bolts")  # the mill is down again: keep its value, flagged
    assert (line(stale, "coil")["status"], line(stale, "coil")["reasonCode"]) == (
        "stale",
        "unreachable",
    )
    assert D(stale["result"]["pcf"]["pcfKgCo2e"]) == bolts_pcf
    with fastener.management() as http:
        (held,) = http.get("/api/management/upstream/received").json()
    assert (held["supplier"], held["stale"]) == (mill.did, True)
    assert held["staleReason"].startswith("unreachable: ")


def test_resolve_when_supplier_policy_denies_us_flags_the_line(node_factory) -> None:
    nodes = node_factory
    mill, fastener = nodes("mill"), nodes("fastener")
    dids = {"mill": mill.did, "fastener": fastener.did}
    offer_footprints(mill, "named-customers", customers=["did:web:someone-else.example"])
    import_document(mill, demo_document("mill", dids))
    import_document(fastener, demo_document("fastener", dids))
    report = resolve(fastener, "bolts")
    coil = line(report, "coil")
    assert (coil["status"], coil["reasonCode"]) == ("default", "policy_denied")
    assert coil["reason"].startswith(f"{mill.did} shows us no dataset for product coil")
    assert report["flagged"][0]["reasonCode"] == "policy_denied"


def _products_only(pid: str, component: str, supplier: str, supplier_product: str) -> dict:
    return {
        "format": "carbonspace-calc/1",
        "regime": "definitive",
        "installation": {"id": f"inst-{pid}", "name": pid, "country": "KR"},
        "reporting_period": {"start": "2026-01-01", "end": "2026-12-31"},
        "products": [
            {
                "id": pid,
                "name": pid,
                "declared_unit": "kg",
                "gate_to_gate": {"value": "1", "unit": "kg CO2e/kg"},
                "components": [
                    {
                        "id": component,
                        "quantity": {"value": "0.5", "unit": "kg"},
                        "supplier": {"participant_id": supplier, "product_id": supplier_product},
                        "pcf": {
                            "value": "2",
                            "unit": "kg CO2e/kg",
                            "data_type": "secondary",
                            "source_id": "test-secondary",
                        },
                    }
                ],
            }
        ],
    }


def test_resolve_when_bom_cycles_across_companies_detects_it_without_looping(node_factory) -> None:
    nodes = node_factory
    a, b = nodes("frames"), nodes("panels")
    for node in (a, b):
        offer_footprints(node)
    import_document(a, _products_only("frame", "panel", b.did, "panel"))
    import_document(b, _products_only("panel", "frame", a.did, "frame"))
    first = resolve(b, "panel")
    assert line(first, "frame")["status"] == "received"
    cyclic = resolve(a, "frame")
    assert line(cyclic, "panel")["status"] == "cycle"
    assert cyclic["error"] == (
        f"supply-chain cycle: {b.did} product panel already depends on our product frame"
    )
    versions = (computed(a, "frame")["version"], computed(b, "panel")["version"])
    assert line(resolve(b, "panel"), "frame")["status"] == "current"
    assert line(resolve(a, "frame"), "panel")["status"] == "cycle"
    assert (computed(a, "frame")["version"], computed(b, "panel")["version"]) == versions


def test_notification_when_caller_not_authenticated_is_refused(node_factory) -> None:
    nodes = node_factory
    node = nodes("fastener")
    body = {
        "type": "FootprintUpdated",
        "publisher": "did:web:127.0.0.1%3A1",
        "productId": "coil",
        "assetId": "pcf-coil",
        "version": "2",
    }
    reply = httpx.post(node.url + "/api/notifications/footprint-updated", json=body)
    assert reply.status_code == 401
