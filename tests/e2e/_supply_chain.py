"""Helpers for the supply-chain e2e tests: drive `carbonspace serve` nodes through their
management API (offers, installation import, resolve) with the demo companies' files."""

from __future__ import annotations

import copy
import time
from typing import Any

from catalog import EDC_NS
from connector.demo import COMPANIES, load_document
from policies import policy_template, to_edc_policy_definition
from tests.support.nodes import RunningNode

DEMO_DID = "did:web:127.0.0.1%3A{port}"


def offer_footprints(
    node: RunningNode, template: str = "members-with-pcf-framework", **options: Any
) -> None:
    definition = to_edc_policy_definition(policy_template(template, **options), "pcf-policy")
    contract = {
        "@context": {"@vocab": EDC_NS},
        "@id": "pcf-footprints",
        "accessPolicyId": "pcf-policy",
        "contractPolicyId": "pcf-policy",
        "assetsSelector": [],
    }
    with node.management() as http:
        for path, body in (
            ("/api/management/v3/policydefinitions", definition),
            ("/api/management/v3/contractdefinitions", contract),
        ):
            reply = http.post(path, json=body)
            assert reply.status_code == 200, reply.text


def demo_document(key: str, dids: dict[str, str]) -> dict[str, Any]:
    """A demo company's file with its suppliers' DIDs bound to the running nodes
    (`dids`: company key -> DID)."""
    document = copy.deepcopy(load_document(next(c for c in COMPANIES if c.key == key)))
    by_demo_did = {
        DEMO_DID.format(port=18100 + c.offset): dids[c.key] for c in COMPANIES if c.key in dids
    }
    for process in document.get("processes", []):
        for line in process.get("precursors", []):
            _bind(line, by_demo_did)
    for product in document.get("products", []):
        for line in product.get("components", []):
            _bind(line, by_demo_did)
    return document


def _bind(line: dict[str, Any], dids: dict[str, str]) -> None:
    supplier = line.get("supplier")
    if supplier is not None and supplier["participant_id"] in dids:
        supplier["participant_id"] = dids[supplier["participant_id"]]


def import_document(node: RunningNode, document: dict[str, Any]) -> dict[str, Any]:
    with node.management(timeout=120) as http:
        reply = http.post("/api/management/installations", json={"document": document})
    assert reply.status_code == 201, reply.text
    answer: dict[str, Any] = reply.json()
    return answer


def resolve(node: RunningNode, product: str) -> dict[str, Any]:
    with node.management(timeout=120) as http:
        reply = http.post(f"/api/management/upstream/resolve/{product}")
    assert reply.status_code == 200, reply.text
    report: dict[str, Any] = reply.json()
    return report


def computed(node: RunningNode, product: str) -> dict[str, Any]:
    with node.management() as http:
        reply = http.get(f"/api/management/installations/products/{product}")
    assert reply.status_code == 200, reply.text
    answer: dict[str, Any] = reply.json()
    return answer


def line(report: dict[str, Any], product: str) -> dict[str, Any]:
    return next(x for x in report["lines"] if x["supplierProductId"] == product)


def wait_until(check: Any, timeout_s: float = 60.0) -> Any:
    """Poll `check()` until it returns a truthy value (with a timeout, never a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        time.sleep(0.05)


def uses(product: dict[str, Any], supplier: str, version: int) -> bool:
    rows = product["breakdown"].get("precursors", {}).get("pcf", [])
    return any(r.get("supplier") == supplier and r.get("version") == str(version) for r in rows)
