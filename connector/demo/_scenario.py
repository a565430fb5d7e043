"""The demo's story (issue 7, item 5), step by step through each node's management API:
offer footprints under a policy, import each company's own data, resolve every tier upstream
through real DSP negotiations and transfers, check sovereignty, change the mill's data and watch
the change reach the OEM."""

from __future__ import annotations

import asyncio
from typing import Any

from catalog import EDC_NS
from connector.demo._companies import changed_mill, load_document, rebind
from connector.demo._world import DemoNode, World
from policies import policy_template, to_edc_policy_definition

POLICY_ID = "pcf-members"
CONTRACT_ID = "pcf-footprints"
RESOLVE_ORDER = ("mill", "fastener", "oem")
PROPAGATION_TIMEOUT_S = 60.0


class DemoError(RuntimeError):
    """A step of the demo failed; the message says which and why."""


def _check(reply: Any, what: str) -> Any:
    if reply.status_code >= 400:
        raise DemoError(f"{what}: HTTP {reply.status_code}: {reply.text[:500]}")
    return reply.json() if reply.content else None


async def offer_footprints(node: DemoNode) -> None:
    """Members holding the PCF framework credential may see and agree to every footprint."""
    policy = policy_template("members-with-pcf-framework")
    definition = to_edc_policy_definition(policy, POLICY_ID)
    contract = {
        "@context": {"@vocab": EDC_NS},
        "@type": "ContractDefinition",
        "@id": CONTRACT_ID,
        "accessPolicyId": POLICY_ID,
        "contractPolicyId": POLICY_ID,
        "assetsSelector": [],
    }
    async with node.management() as http:
        _check(
            await http.post("/api/management/v3/policydefinitions", json=definition),
            f"{node.company.name}: policy definition",
        )
        _check(
            await http.post("/api/management/v3/contractdefinitions", json=contract),
            f"{node.company.name}: contract definition",
        )


async def import_own_data(node: DemoNode, base_port: int, document: Any = None) -> Any:
    """POST the company's installation file; the node recomputes and publishes."""
    body = {"document": document or rebind(load_document(node.company), base_port)}
    async with node.management() as http:
        return _check(
            await http.post("/api/management/installations", json=body),
            f"{node.company.name}: installation import",
        )


async def resolve(node: DemoNode) -> dict[str, Any]:
    async with node.management() as http:
        path = f"/api/management/upstream/resolve/{node.company.product_id}"
        report: dict[str, Any] = _check(await http.post(path), f"{node.company.name}: resolve")
    if report.get("error"):
        raise DemoError(f"{node.company.name}: resolve: {report['error']}")
    return report


async def computed(node: DemoNode) -> dict[str, Any]:
    async with node.management() as http:
        path = f"/api/management/installations/products/{node.company.product_id}"
        answer: dict[str, Any] = _check(await http.get(path), f"{node.company.name}: product")
    return answer


async def change_mill_and_wait(world: World, base_port: int) -> tuple[dict[str, Any], float]:
    """Re-import the mill's changed data; wait until the OEM has recomputed with the new coil
    value, both directly and through the fastener's new bolts value (two tiers)."""
    mill, fastener, oem = world.nodes["mill"], world.nodes["fastener"], world.nodes["oem"]
    document = changed_mill(rebind(load_document(mill.company), base_port))
    loop = asyncio.get_running_loop()
    started = loop.time()
    await import_own_data(mill, base_port, document)
    mill_version = (await computed(mill))["version"]
    async with asyncio.timeout(PROPAGATION_TIMEOUT_S):
        while True:
            bolts = await computed(fastener)
            if uses(bolts, mill.did, mill_version):
                after = await computed(oem)
                if uses(after, mill.did, mill_version) and uses(
                    after, fastener.did, bolts["version"]
                ):
                    return after, loop.time() - started
            await asyncio.sleep(0.05)


def uses(product: dict[str, Any], supplier: str, version: int) -> bool:
    """Whether a computation used that supplier's footprint version (PCF breakdown)."""
    rows = product["breakdown"].get("precursors", {}).get("pcf", [])
    return any(r.get("supplier") == supplier and r.get("version") == str(version) for r in rows)
