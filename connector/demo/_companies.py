"""The demo's data space: a Korean export chain of four companies (issue 7, item 5).

Tier 3 Gangwon Pellet (iron-ore pellets, CN 2601 12) -> tier 2 Hanbit Steel (hot-rolled coil,
CN 7208) -> tier 1 Daesung Fasteners (bolts, CN 7318 15, a CBAM good) -> OEM Hanul Motors
(wheel-hub module). The installation files ship in `connector/demo/data` (identical copies in
docs/examples/demo); supplier DIDs in them assume the default ports and are rebound to the
ports actually used."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

DEFAULT_BASE_PORT = 18100
FILE_DID_PREFIX = "did:web:127.0.0.1%3A"


@dataclass(frozen=True)
class Company:
    key: str
    name: str
    offset: int  # port = base + offset
    data_file: str
    product_id: str
    role: str


COMPANIES: tuple[Company, ...] = (
    Company(
        "ore", "Gangwon Pellet", 1, "1-ore-supplier.json", "pellets", "iron-ore pellets (tier 3)"
    ),
    Company("mill", "Hanbit Steel", 2, "2-steel-mill.json", "coil", "hot-rolled coil (tier 2)"),
    Company(
        "fastener",
        "Daesung Fasteners",
        3,
        "3-fastener-maker.json",
        "bolts",
        "bolts, CN 7318 (tier 1)",
    ),
    Company(
        "oem",
        "Hanul Motors",
        4,
        "4-automotive-oem.json",
        "wheel-hub-module",
        "wheel-hub module (OEM)",
    ),
)


def company(key: str) -> Company:
    return next(c for c in COMPANIES if c.key == key)


def load_document(company: Company) -> dict[str, Any]:
    """The company's installation file as shipped."""
    text = (
        resources.files("connector.demo")
        .joinpath("data", company.data_file)
        .read_text(encoding="utf-8")
    )
    document: dict[str, Any] = json.loads(text)
    return document


def rebind(document: dict[str, Any], base_port: int) -> dict[str, Any]:
    """The document with supplier DIDs moved from the default ports to `base_port`."""
    result = copy.deepcopy(document)
    for line in _supplier_refs(result):
        did = line["participant_id"]
        if did.startswith(FILE_DID_PREFIX):
            port = int(did.removeprefix(FILE_DID_PREFIX))
            line["participant_id"] = f"{FILE_DID_PREFIX}{port - DEFAULT_BASE_PORT + base_port}"
    return result


def _supplier_refs(document: dict[str, Any]) -> list[dict[str, Any]]:
    refs = [
        x["supplier"]
        for p in document.get("processes", [])
        for x in p.get("precursors", [])
        if "supplier" in x
    ]
    refs += [
        c["supplier"]
        for p in document.get("products", [])
        for c in p.get("components", [])
        if "supplier" in c
    ]
    return refs


def changed_mill(document: dict[str, Any]) -> dict[str, Any]:
    """The mill's data after the change the demo shows: 50 % more natural gas in the
    reheating furnaces (2,000 -> 3,000 TJ) and a higher gate-to-gate PCF (1,900 -> 1,950)."""
    result = copy.deepcopy(document)
    for stream in result["source_streams"]:
        if stream["id"] == "natural-gas":
            stream["fuel_quantity"]["value"] = "3000"
    for product in result["products"]:
        if product["id"] == "coil":
            product["gate_to_gate"]["value"] = "1950"
    return result
