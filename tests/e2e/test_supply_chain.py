"""The four-company chain as separate `carbonspace serve` processes (issue 7, "Done when"):
every tier resolves upstream over real DSP, the OEM's numbers equal a hand computation, no node
holds another's raw data, and a change of the mill's data reaches the OEM through two tiers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connector.demo import changed_mill
from connector.demo._checks import sovereignty
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

pytestmark = pytest.mark.e2e
node_factory = support.nodes  # the e2e conftest's node factory, under a clearer name
D = Decimal


def hand_computation(coil_gate_to_gate: str = "1900") -> dict[str, Decimal]:
    """The chain by hand (CALC.md sections 9 and 14), from the demo files' figures."""
    pellets_pcf = D("80")  # kg CO2e / t, gate to gate
    coil_pcf = D(coil_gate_to_gate) + D("1.5") * pellets_pcf  # kg / t
    bolts_pcf = D("0.35") + D("1.08") * coil_pcf / 1000  # kg / kg (coil per t)
    hub_pcf = D("12.5") + D("0.4") * bolts_pcf + D("6.2") * coil_pcf / 1000
    pellets_see = D(1000) * D("56.1") / D(1_000_000)  # t CO2 / t, combustion only
    coil_see = (D(20000) * D("94.6") + D(2000) * D("56.1") + D(1_500_000) * pellets_see) / D(
        1_000_000
    )
    bolts_see = (D(100) * D("56.1") + D(54000) * coil_see) / D(50000)
    return {
        "hub_pcf": hub_pcf,
        "bolts_pcf": bolts_pcf,
        "coil_pcf": coil_pcf,
        "coil_see": coil_see,
        "bolts_see": bolts_see,
    }


def test_chain_when_every_tier_resolves_oem_matches_hand_computation_and_change_propagates(
    node_factory,
) -> None:
    nodes = node_factory
    running = {key: nodes(key) for key in ("ore", "mill", "fastener", "oem")}
    dids = {key: node.did for key, node in running.items()}
    for node in running.values():
        offer_footprints(node)
    for key, node in running.items():
        import_document(node, demo_document(key, dids))
    reports = {
        key: resolve(running[key], product)
        for key, product in (("mill", "coil"), ("fastener", "bolts"), ("oem", "wheel-hub-module"))
    }
    expected = hand_computation()

    oem = reports["oem"]
    assert oem["error"] is None
    assert D(oem["result"]["pcf"]["pcfKgCo2e"]) == expected["hub_pcf"] == D("26.03664")
    assert sorted((x["supplierProductId"], x["status"]) for x in oem["lines"]) == [
        ("bolts", "received"),
        ("coil", "received"),
    ]
    assert oem["flagged"] == []
    assert sum(D(x) for x in oem["breakdown"]["tiers"]["pcfKgCo2e"]) == expected["hub_pcf"]
    bolts = reports["fastener"]["result"]
    assert D(bolts["pcf"]["pcfKgCo2e"]) == expected["bolts_pcf"]
    assert D(bolts["see"]["directTCo2ePerT"]) == expected["bolts_see"].quantize(D("0.00001"))
    coil = reports["mill"]["result"]
    assert D(coil["see"]["directTCo2ePerT"]) == expected["coil_see"]
    assert sum(r["negotiations"] for r in reports.values()) == 4
    assert sum(r["transfers"] for r in reports.values()) == 4

    findings = sovereignty({key: node.node_dir / "node.db" for key, node in running.items()})
    assert [(f.node, f.ok) for f in findings] == [(k, True) for k in running]

    mill_doc = changed_mill(demo_document("mill", dids))
    import_document(running["mill"], mill_doc)
    mill_version = computed(running["mill"], "coil")["version"]

    def propagated() -> dict | None:
        bolts_now = computed(running["fastener"], "bolts")
        hub = computed(running["oem"], "wheel-hub-module")
        done = (
            uses(bolts_now, dids["mill"], mill_version)
            and uses(hub, dids["mill"], mill_version)
            and uses(hub, dids["fastener"], bolts_now["version"])
        )
        return hub if done else None

    hub = wait_until(propagated)
    changed = hand_computation(coil_gate_to_gate="1950")
    assert D(hub["result"]["pcf"]["pcfKgCo2e"]) == changed["hub_pcf"] == D("26.36824")
    assert line(resolve(running["oem"], "wheel-hub-module"), "coil")["status"] == "current"
