"""Provenance a published footprint carries (issue 7, item 3) and the lineage that detects
supply-chain cycles across companies (CALC.md section 9: the precursor graph must be acyclic).

Provenance names, for each precursor received from a supplier, the supplier's DID, its product
id, the version of the submodel used and the hash of that submodel; it holds none of the node's
own activity data. `lineage` is the set of `sha256(did "|" product)` of every (node, product)
the value depends on, itself included: a node that finds its own (did, product) in a received
value's lineage has found a cycle. Hashes, not names, so tier-n identities stay undisclosed.
`tiers` splits the published value by supply-chain depth (index 0: the publisher's own
emissions, 1: its direct suppliers', ...): aggregated figures, no activity data, so a customer
can show a breakdown by tier without anyone disclosing more.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

PROVENANCE_VERSION = "1"


def lineage_hash(did: str, product_id: str) -> str:
    """The lineage entry of one (participant, product)."""
    return "sha256:" + hashlib.sha256(f"{did}|{product_id}".encode()).hexdigest()


@dataclass(frozen=True)
class PrecursorSource:
    """One received precursor value the published result used."""

    supplier_did: str
    product_id: str
    version: str
    submodel_hash: str


@dataclass(frozen=True)
class Provenance:
    """What a published footprint declares about its inputs (no raw data)."""

    did: str
    product_id: str
    precursors: tuple[PrecursorSource, ...]
    lineage: frozenset[str]
    default_lines: int = 0
    stale_lines: int = 0
    pcf_tiers: tuple[str, ...] = ()
    see_tiers: tuple[str, ...] = ()

    def to_json(self) -> str:
        """Stable JSON text (sorted keys, sorted lists) for the provenance extension."""
        body: dict[str, Any] = {
            "provenanceVersion": PROVENANCE_VERSION,
            "publisher": self.did,
            "productId": self.product_id,
            "precursors": [
                {
                    "supplier": p.supplier_did,
                    "productId": p.product_id,
                    "version": p.version,
                    "submodelHash": p.submodel_hash,
                }
                for p in sorted(self.precursors, key=lambda p: (p.supplier_did, p.product_id))
            ],
            "lineage": sorted(self.lineage),
            "dataQuality": {"defaultLines": self.default_lines, "staleLines": self.stale_lines},
            "tiers": {"pcfKgCo2e": list(self.pcf_tiers), "seeTCo2ePerT": list(self.see_tiers)},
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"))


class ProvenanceError(ValueError):
    """A provenance extension that does not follow the documented shape."""


def parse_provenance(text: str) -> Provenance:
    """Strictly read a provenance extension; raise `ProvenanceError` naming the field."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProvenanceError(f"provenance: not JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise ProvenanceError("provenance: must be an object")
    did = _text(raw, "publisher")
    product_id = _text(raw, "productId")
    lineage = raw.get("lineage")
    if not isinstance(lineage, list) or not all(isinstance(x, str) for x in lineage):
        raise ProvenanceError("provenance.lineage: must be a list of strings")
    items = raw.get("precursors")
    if not isinstance(items, list):
        raise ProvenanceError("provenance.precursors: must be a list")
    precursors = tuple(_precursor(item, index) for index, item in enumerate(items))
    quality = _object(raw.get("dataQuality"))
    tiers = _object(raw.get("tiers"))
    return Provenance(
        did=did,
        product_id=product_id,
        precursors=precursors,
        lineage=frozenset(lineage),
        default_lines=int(quality.get("defaultLines", 0)),
        stale_lines=int(quality.get("staleLines", 0)),
        pcf_tiers=_decimals(tiers.get("pcfKgCo2e", []), "provenance.tiers.pcfKgCo2e"),
        see_tiers=_decimals(tiers.get("seeTCo2ePerT", []), "provenance.tiers.seeTCo2ePerT"),
    )


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _decimals(value: Any, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ProvenanceError(f"{path}: must be a list of decimal strings")
    for index, text in enumerate(value):
        try:
            Decimal(text)
        except InvalidOperation:
            raise ProvenanceError(f"{path}[{index}]: not a decimal") from None
    return tuple(value)


def _text(raw: dict[str, Any], key: str, prefix: str = "provenance") -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise ProvenanceError(f"{prefix}.{key}: must be a non-empty string")
    return value


def _precursor(item: Any, index: int) -> PrecursorSource:
    prefix = f"provenance.precursors[{index}]"
    if not isinstance(item, dict):
        raise ProvenanceError(f"{prefix}: must be an object")
    return PrecursorSource(
        supplier_did=_text(item, "supplier", prefix),
        product_id=_text(item, "productId", prefix),
        version=_text(item, "version", prefix),
        submodel_hash=_text(item, "submodelHash", prefix),
    )
