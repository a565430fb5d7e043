"""Provenance tree: for every number, the formula, its inputs and where they came from.

A node is either derived (`formula` cites the clause, `inputs` are the operands) or a leaf
(`source` says whether it is the operator's own data at an input path, a standard factor, a
supplier's value with its id and version, or a default value with country, CN code, table
version and mark-up year). CALC.md section 16, "Provenance".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class SourceKind(StrEnum):
    OWN_DATA = "own_data"  # the operator's input file (measurement, lab analysis, meter)
    STANDARD_FACTOR = "standard_factor"  # a factor fixed by the regulation
    SUPPLIER = "supplier"  # a supplier's value (inline in the file or from the data space)
    DEFAULT_VALUE = "default_value"  # a default value table row
    SECONDARY_DATA = "secondary_data"  # a secondary (database) value for a PCF component
    OPTION = "option"  # a boundary option stated in the input


@dataclass(frozen=True)
class Source:
    """Where a leaf value came from; `detail` is an ordered tuple of (key, value) strings."""

    kind: SourceKind
    reference: str
    detail: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Provenance:
    """One number with its unit, how it was obtained and from what."""

    quantity: str
    value: Decimal
    unit: str
    formula: str = ""
    inputs: tuple[Provenance, ...] = ()
    source: Source | None = None


def own(quantity: str, value: Decimal, unit: str, path: str) -> Provenance:
    """A leaf read from the operator's input file at `path`."""
    return Provenance(quantity, value, unit, source=Source(SourceKind.OWN_DATA, path))


def standard(quantity: str, value: Decimal, unit: str, clause: str) -> Provenance:
    """A leaf fixed by the regulation (standard factor) at `clause`."""
    return Provenance(quantity, value, unit, source=Source(SourceKind.STANDARD_FACTOR, clause))


def derived(
    quantity: str, value: Decimal, unit: str, formula: str, *inputs: Provenance
) -> Provenance:
    """A number computed by `formula` (clause and expression) from `inputs`."""
    return Provenance(quantity, value, unit, formula, tuple(inputs))


def provenance_to_json(node: Provenance) -> dict[str, object]:
    """JSON form of a provenance tree (decimals as strings)."""
    out: dict[str, object] = {"quantity": node.quantity, "value": str(node.value)}
    out["unit"] = node.unit
    if node.formula:
        out["formula"] = node.formula
    if node.source is not None:
        src: dict[str, object] = {
            "kind": node.source.kind.value,
            "reference": node.source.reference,
        }
        src.update(dict(node.source.detail))
        out["source"] = src
    if node.inputs:
        out["inputs"] = [provenance_to_json(child) for child in node.inputs]
    return out
