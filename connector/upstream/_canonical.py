"""Canonical bytes of a submodel and its detached signature (issue 7, item 3).

A published CarbonFootprint submodel carries its provenance and its signature as AAS
`extensions` (IDTA 01001 Part 1 `HasExtensions`), so both travel with the submodel through any
AAS API without touching the IDTA 02023 template elements:

- `carbonspace:provenance`: JSON text, part of the signed content;
- `carbonspace:signature`: a detached JWS (RFC 7515 Appendix F) over the canonical bytes of the
  submodel *without* the signature extension.

Canonical bytes are RFC 8785 (JCS) for the value space AAS JSON uses (strings, integers,
booleans, null; AAS serialises decimals as strings): keys sorted, no whitespace, UTF-8.
Floats are refused, so the same submodel always gives the same bytes on every node.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

SIGNATURE_EXTENSION = "carbonspace:signature"
PROVENANCE_EXTENSION = "carbonspace:provenance"


class CanonicalError(ValueError):
    """The document holds a value outside the canonical value space (e.g. a float)."""


def canonical_bytes(document: Any) -> bytes:
    """RFC 8785 bytes of `document` (no floats: AAS JSON carries decimals as strings)."""
    _refuse_floats(document, "$")
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(document: Any) -> str:
    """`sha256:<hex>` of the canonical bytes; the hash recorded in provenance."""
    return "sha256:" + hashlib.sha256(canonical_bytes(document)).hexdigest()


def _refuse_floats(value: Any, path: str) -> None:
    if isinstance(value, float):
        raise CanonicalError(f"{path}: floats have no canonical form here; use a decimal string")
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_floats(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_floats(item, f"{path}[{index}]")


def _extensions(submodel: dict[str, Any]) -> list[dict[str, Any]]:
    found = submodel.get("extensions")
    return found if isinstance(found, list) else []


def extension_value(submodel: dict[str, Any], name: str) -> str | None:
    """The value of the extension called `name`, if present and a string."""
    for extension in _extensions(submodel):
        if isinstance(extension, dict) and extension.get("name") == name:
            value = extension.get("value")
            return value if isinstance(value, str) else None
    return None


def with_extension(submodel: dict[str, Any], name: str, value: str) -> dict[str, Any]:
    """A copy of the submodel with extension `name` set to the string `value`."""
    result = without_extension(submodel, name)
    extensions = list(_extensions(result))
    extensions.append({"name": name, "valueType": "xs:string", "value": value})
    result["extensions"] = extensions
    return result


def without_extension(submodel: dict[str, Any], name: str) -> dict[str, Any]:
    """A deep copy of the submodel without extension `name` (no empty list left behind)."""
    result = copy.deepcopy(submodel)
    kept = [e for e in _extensions(result) if not (isinstance(e, dict) and e.get("name") == name)]
    if kept:
        result["extensions"] = kept
    else:
        result.pop("extensions", None)
    return result


def signing_payload(submodel: dict[str, Any]) -> bytes:
    """What the node signs: the canonical submodel without its signature extension."""
    return canonical_bytes(without_extension(submodel, SIGNATURE_EXTENSION))
