"""Tolerant reading of EDC Management API JSON-LD (edc-mgmt-api.md §7.1, strategy b).

Clients mix `{"@vocab": edc}`, `edc:`-prefixed keys, full IRIs and contexts without `@vocab`.
Like EDC (`TitaniumJsonLd.injectVocab`), an object `@context` without `@vocab` gets the EDC
vocabulary, and a compact IRI with an undefined prefix is refused (EDC's prefix check). Top-level
management fields are read by their EDC term whichever spelling was used; policy bodies are left
to `policies`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import Request

from catalog import EDC_NS, compact_key, expand_key
from connector.outcome import Failure, Ok, bad_request

MANAGEMENT_CONTEXT: dict[str, str] = {
    "@vocab": EDC_NS,
    "edc": EDC_NS,
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dspace": "https://w3id.org/dspace/2025/1/",
    "cx-common": "https://w3id.org/catenax/ontology/common#",
    "cx-taxo": "https://w3id.org/catenax/taxonomy#",
    "aas-semantics": "https://admin-shell.io/aas/3/0/HasSemantics/",
    "tx": "https://w3id.org/tractusx/v0.0.1/ns/",
    "tx-auth": "https://w3id.org/tractusx/auth/",
}
_OUTPUT_PREFIXES = {k: v for k, v in MANAGEMENT_CONTEXT.items() if not k.startswith("@")}


async def read_json(request: Request, *, required: bool = True) -> Ok[Any] | Failure:
    """The request body as JSON; an empty body is `{}` unless `required`."""
    body = await request.body()
    if not body.strip():
        return bad_request("request body: a JSON object is required") if required else Ok({})
    try:
        return Ok(json.loads(body))
    except ValueError as exc:
        return bad_request(f"request body: not valid JSON: {exc}")


def prefixes_of(context: Any) -> dict[str, str]:
    """Prefixes a document's `@context` defines (inline objects only; URLs add none)."""
    table: dict[str, str] = {}
    for entry in context if isinstance(context, list) else [context]:
        if isinstance(entry, Mapping):
            table.update(
                {k: v for k, v in entry.items() if isinstance(v, str) and not k.startswith("@")}
            )
    return table


def edc_name(key: str) -> str:
    """`x`, `edc:x` and `https://w3id.org/edc/v0.0.1/ns/x` are all `x`."""
    if key.startswith(EDC_NS):
        return key[len(EDC_NS) :]
    return key[4:] if key.startswith("edc:") else key


def edc_fields(document: Mapping[str, Any]) -> dict[str, Any]:
    """Top-level fields by EDC term (`@id`, `@type` kept)."""
    return {edc_name(k): v for k, v in document.items() if k != "@context"}


def node_id(value: Any) -> Any:
    """`{"@id": x}` -> x, one-element list -> its item; else unchanged."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, Mapping) and "@id" in value:
        return value["@id"]
    if isinstance(value, Mapping) and "@value" in value:
        return value["@value"]
    return value


def expand_keys(
    values: Any, prefixes: Mapping[str, str], path: str
) -> Ok[dict[str, Any]] | Failure:
    """Full-IRI keys for a property map; an undefined prefix is a 400 naming the key."""
    if values is None:
        return Ok({})
    if not isinstance(values, Mapping):
        return bad_request(f"{path}: must be a JSON object")
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key.startswith("@"):
            continue
        try:
            out[expand_key(key, dict(prefixes))] = value
        except KeyError:
            return bad_request(f"{path}.{key}: prefix is not defined in @context")
    return Ok(out)


def compact_keys(values: Mapping[str, Any]) -> dict[str, Any]:
    """Compact property keys for output (EDC vocabulary bare, known prefixes)."""
    return {compact_key(k, _OUTPUT_PREFIXES, vocab=EDC_NS): v for k, v in values.items()}


def data_address_fields(values: Any, path: str) -> Ok[dict[str, Any]] | Failure:
    """A DataAddress with EDC terms bare (`type`, `baseUrl`, ...); needs `type`."""
    if not isinstance(values, Mapping):
        return bad_request(f"{path}: must be a JSON object")
    out = {
        edc_name(k): node_id(v) if isinstance(v, list) else v
        for k, v in values.items()
        if not k.startswith("@")
    }
    if not isinstance(out.get("type"), str) or not out["type"]:
        return bad_request(f"{path}.type: is required")
    return Ok(out)
