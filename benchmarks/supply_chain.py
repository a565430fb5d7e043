"""Tier-n resolution over a synthetic supply chain (issue 7): depth D, fan-out F.

Tier 0 is one OEM; tiers 1 .. D-1 have F companies each; every company of tier k buys one
product from each of the F companies of tier k+1 (a layered chain of 1 + F x (D - 1) nodes).
All nodes run in this process, each on its own loopback port, and talk real DSP 2025-1 (catalog,
negotiation, transfer, EDR, data-plane fetch) and DCP between them, on embedded SQLite.
Resolution runs tier by tier from the deepest buyer tier up to the OEM, the companies of a tier
in parallel (as they would, being independent); each company resolves its F supplier lines
concurrently (bounded). Printed:

    per-tier times, total, negotiations per second, and the repeat (agreements and EDRs reused)
    RESULT chain_resolve_s=<D=4, F=5: first resolution of the whole chain, seconds>
    RESULT fanout_5_vs_1=<that time / the same for F=1>

Target: resolution grows with depth, not with the number of nodes: fanout_5_vs_1 <= 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from catalog import EDC_NS
from connector.app import create_app
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
from policies import policy_template, to_edc_policy_definition

DEPTH = 4
FANOUTS = (1, 5)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _serve(app: Any, port: int, servers: list[Any]) -> None:
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    servers.append((server, task))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)


def _document(name: str, suppliers: list[tuple[str, str]]) -> dict[str, Any]:
    components = [
        {
            "id": f"c{i}",
            "quantity": {"value": "0.5", "unit": "kg"},
            "supplier": {"participant_id": did, "product_id": product},
            "pcf": {
                "value": "2",
                "unit": "kg CO2e/kg",
                "data_type": "secondary",
                "source_id": "bench-secondary",
            },
        }
        for i, (did, product) in enumerate(suppliers)
    ]
    product: dict[str, Any] = {
        "id": name,
        "name": name,
        "declared_unit": "kg",
        "gate_to_gate": {"value": "1", "unit": "kg CO2e/kg"},
    }
    if components:
        product["components"] = components
    return {
        "format": "carbonspace-calc/1",
        "regime": "definitive",
        "installation": {"id": f"inst-{name}", "name": name, "country": "KR"},
        "reporting_period": {"start": "2026-01-01", "end": "2026-12-31"},
        "products": [product],
    }


async def _node(base: Path, name: str, authority: tuple[Path, str], servers: list[Any]) -> Any:
    port = _free_port()
    settings = init_node(
        base / name, name=name, url=f"http://127.0.0.1:{port}", authorities=[authority[1]]
    )
    for kind in (MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL):
        vc = issue_credential(authority[0], settings.node.did, kind, timedelta(days=30))
        await add_credential(settings, vc)
    await _serve(create_app(settings), port, servers)
    return settings


async def _setup(http: httpx.AsyncClient, settings: Any, document: dict[str, Any]) -> None:
    headers = {"X-Api-Key": settings.management.api_key}
    base = settings.node.url + "/api/management"
    policy = to_edc_policy_definition(policy_template("members-with-pcf-framework"), "pcf")
    contract = {
        "@context": {"@vocab": EDC_NS},
        "@id": "cd",
        "accessPolicyId": "pcf",
        "contractPolicyId": "pcf",
        "assetsSelector": [],
    }
    for path, body in (
        ("/v3/policydefinitions", policy),
        ("/v3/contractdefinitions", contract),
        ("/installations", {"document": document}),
    ):
        reply = await http.post(base + path, json=body, headers=headers)
        if reply.status_code >= 400:
            raise RuntimeError(f"{settings.node.name} {path}: {reply.status_code} {reply.text}")


async def _resolve(http: httpx.AsyncClient, settings: Any, product: str) -> dict[str, Any]:
    reply = await http.post(
        f"{settings.node.url}/api/management/upstream/resolve/{product}",
        headers={"X-Api-Key": settings.management.api_key},
    )
    report: dict[str, Any] = reply.json()
    bad = [x for x in report.get("lines", []) if x["status"] not in ("received", "current")]
    if reply.status_code != 200 or bad or report.get("error"):
        raise RuntimeError(f"{settings.node.name}: {reply.status_code} {bad or report}")
    return report


async def _chain(depth: int, fanout: int) -> dict[str, Any]:
    """Build the chain, then resolve it twice (first: negotiations; second: reuse)."""
    servers: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="cs-bench-") as scratch:
        base = Path(scratch)
        port = _free_port()
        authority_did = init_authority(base / "authority", f"http://127.0.0.1:{port}")
        await _serve(create_authority_app(load_authority(base / "authority")), port, servers)
        tiers: list[list[tuple[Any, str]]] = []
        for tier in range(depth):
            count = 1 if tier == 0 else fanout
            tiers.append(
                [
                    (
                        await _node(
                            base, f"t{tier}n{i}", (base / "authority", authority_did), servers
                        ),
                        f"p{tier}-{i}",
                    )
                    for i in range(count)
                ]
            )
        try:
            async with httpx.AsyncClient(timeout=300) as http:
                for tier in range(depth):
                    below = tiers[tier + 1] if tier + 1 < depth else []
                    suppliers = [(s.node.did, product) for s, product in below]
                    await asyncio.gather(
                        *(_setup(http, s, _document(p, suppliers)) for s, p in tiers[tier])
                    )
                return await _measure(http, tiers)
        finally:
            for server, _ in servers:
                server.should_exit = True
            await asyncio.gather(*(task for _, task in servers), return_exceptions=True)


async def _measure(http: httpx.AsyncClient, tiers: list[list[tuple[Any, str]]]) -> dict[str, Any]:
    runs = []
    for _ in range(2):
        per_tier, negotiations = [], 0
        began, cpu = time.perf_counter(), time.process_time()
        for tier in reversed(range(len(tiers) - 1)):
            start = time.perf_counter()
            reports = await asyncio.gather(*(_resolve(http, s, p) for s, p in tiers[tier]))
            per_tier.append((tier, time.perf_counter() - start))
            negotiations += sum(r["negotiations"] for r in reports)
        runs.append(
            {
                "total_s": time.perf_counter() - began,
                "per_tier": per_tier,
                "negotiations": negotiations,
                "cpu_s": time.process_time() - cpu,
            }
        )
    return {"first": runs[0], "repeat": runs[1], "nodes": sum(len(t) for t in tiers)}


def _report(depth: int, fanout: int, result: dict[str, Any]) -> None:
    first, repeat = result["first"], result["repeat"]
    tiers = ", ".join(f"tier {t}: {s:.3f} s" for t, s in first["per_tier"])
    rate = first["negotiations"] / first["total_s"] if first["total_s"] else 0.0
    print(
        f"D={depth} F={fanout}: {result['nodes']} nodes, first resolution "
        f"{first['total_s']:.3f} s ({tiers}); {first['negotiations']} negotiations, "
        f"{rate:.1f} negotiations/s, {first['cpu_s']:.2f} s CPU in this process; repeat with "
        f"reused agreements/EDRs {repeat['total_s']:.3f} s"
    )


async def _main() -> None:
    logging.disable(logging.WARNING)
    results = {}
    for fanout in FANOUTS:
        results[fanout] = await _chain(DEPTH, fanout)
        _report(DEPTH, fanout, results[fanout])
    wide, narrow = results[5]["first"]["total_s"], results[1]["first"]["total_s"]
    print(f"RESULT chain_resolve_s={wide:.3f}")
    print(f"RESULT fanout_5_vs_1={wide / narrow:.2f}")
    oem_wide = results[5]["first"]["per_tier"][-1][1]
    oem_narrow = results[1]["first"]["per_tier"][-1][1]
    print(f"RESULT oem_tier_fanout_5_vs_1={oem_wide / oem_narrow:.2f}")
    if len(sys.argv) > 1 and sys.argv[1] == "--depths":
        for depth in (2, 3, 5):
            _report(depth, 5, await _chain(depth, 5))


if __name__ == "__main__":
    asyncio.run(_main())
