"""JSON-LD for inbound DSP messages (DSP 2025-1 §2 "JSON-LD"; shared/reference/dsp.md §10).

Fast path: a message already in the compact 2025-1 form (context array with the DSP URL, bare
`@type`) is taken as it is. Anything else (expanded form, prefixed terms, other compactions) is
expanded with pyld and compacted with the 2025-1 context. Contexts come from local copies only:
the document loader never touches the network, and an unknown context URL is refused.
"""

from __future__ import annotations

import copy
import json
import logging
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld

from connector.outcome import Failure, Ok, bad_request

log = logging.getLogger("carbonspace.dsp")

DSP_CONTEXT = "https://w3id.org/dspace/2025/1/context.jsonld"
ODRL_PROFILE_CONTEXT = "https://w3id.org/dspace/2025/1/odrl-profile.jsonld"
EDC_DSPACE_CONTEXT = "https://w3id.org/edc/dspace/v0.0.1"
DSP_NAMESPACE = "https://w3id.org/dspace/2025/1/"
# Tractus-X policies: bare Catena-X left operands; the policy reader resolves them.
CATENAX_POLICY_CONTEXT = "https://w3id.org/catenax/2025/9/policy/context.jsonld"

_LOCAL_FILES: dict[str, str] = {
    DSP_CONTEXT: "dspace-2025-1.jsonld",
    ODRL_PROFILE_CONTEXT: "odrl-profile-2025-1.jsonld",
    EDC_DSPACE_CONTEXT: "dspace-edc-context-v1.jsonld",
    CATENAX_POLICY_CONTEXT: "catenax-policy-2025-09.jsonld",
}
# Contexts whose terms never change the meaning of a compact 2025-1 message.
_FAST_CONTEXTS = frozenset({DSP_CONTEXT, EDC_DSPACE_CONTEXT, CATENAX_POLICY_CONTEXT})
_COMPACT_TYPES = frozenset(
    {
        "CatalogRequestMessage",
        "DatasetRequestMessage",
        "Catalog",
        "Dataset",
        "CatalogError",
        "ContractRequestMessage",
        "ContractOfferMessage",
        "ContractAgreementMessage",
        "ContractAgreementVerificationMessage",
        "ContractNegotiationEventMessage",
        "ContractNegotiationTerminationMessage",
        "ContractNegotiation",
        "ContractNegotiationError",
        "TransferRequestMessage",
        "TransferStartMessage",
        "TransferCompletionMessage",
        "TransferSuspensionMessage",
        "TransferTerminationMessage",
        "TransferProcess",
        "TransferError",
    }
)


class UnknownContextError(ValueError):
    """A message referenced a context we hold no local copy of."""


@cache
def _local_document(url: str) -> dict[str, Any]:
    name = _LOCAL_FILES[url]
    text = (resources.files("connector.dsp") / "_contexts" / name).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return _inline_imports(document)


def _inline_imports(document: dict[str, Any]) -> dict[str, Any]:
    """Replace `@import` in type-scoped contexts by the imported terms (JSON-LD 1.1 §4.1.10:
    the importing context's own definitions win), which is what `@import` means.

    Why: pyld caches a processed `@import` per active context, not per importing context, so
    after a `Dataset` (which imports the ODRL profile) a `ContractAgreementMessage` (which
    imports it too) was expanded with the Dataset's terms and lost `agreement`."""
    context = document.get("@context")
    if not isinstance(context, dict):
        return document
    for term, definition in context.items():
        if not isinstance(definition, dict):
            continue
        scoped = definition.get("@context")
        if isinstance(scoped, dict) and isinstance(scoped.get("@import"), str):
            imported = _local_document(scoped["@import"])["@context"]
            merged = {**imported, **{k: v for k, v in scoped.items() if k != "@import"}}
            context[term] = {**definition, "@context": merged}
    return document


def local_loader(url: str, _options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader over the shipped context copies; never fetches."""
    key = url.rstrip("/") if url.rstrip("/") in _LOCAL_FILES else url
    if key not in _LOCAL_FILES:
        raise UnknownContextError(f"unknown JSON-LD context {url!r} (no local copy)")
    document = copy.deepcopy(_local_document(key))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _is_fast(message: dict[str, Any]) -> bool:
    context = message.get("@context")
    if not isinstance(context, list) or DSP_CONTEXT not in context:
        return False
    if not all(isinstance(entry, str) and entry in _FAST_CONTEXTS for entry in context):
        return False
    return message.get("@type") in _COMPACT_TYPES


def normalise(message: Any) -> Ok[dict[str, Any]] | Failure:
    """The compact DSP 2025-1 form of an inbound message, or a 400 failure."""
    if isinstance(message, list) and len(message) == 1:
        message = message[0]  # the expanded form of one node
    if not isinstance(message, dict):
        return bad_request("a DSP message must be a JSON object")
    if _is_fast(message):
        return Ok(message)
    try:
        expanded = jsonld.expand(message, {"documentLoader": local_loader, "base": None})
        compacted = jsonld.compact(
            expanded, {"@context": DSP_CONTEXT}, {"documentLoader": local_loader, "base": None}
        )
    except (jsonld.JsonLdError, UnknownContextError, TypeError, ValueError) as exc:
        log.info("JSON-LD processing refused a message", extra={"reason": str(exc)[:200]})
        return bad_request("the message is not JSON-LD this node can read", _root_cause(exc))
    compacted["@context"] = [DSP_CONTEXT]
    return Ok(_arrays(compacted))


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None:
        exc = exc.__cause__
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException):
        return _root_cause(cause)
    return str(exc).splitlines()[0][:200]


# Keys whose values the 2025-1 schemas type as arrays; a compactor collapses one-element arrays
# of terms without `@container: @set` (e.g. ODRL `and`/`or`), so they are re-wrapped here
# (shared/reference/dsp.md pitfall 1: arrays stay arrays on the wire).
_ARRAY_KEYS = frozenset(
    {
        "and",
        "andSequence",
        "or",
        "xone",
        "constraint",
        "permission",
        "prohibition",
        "obligation",
        "duty",
        "reason",
        "filter",
        "dataset",
        "distribution",
        "hasPolicy",
        "service",
        "catalog",
        "endpointProperties",
    }
)


def _arrays(node: Any) -> Any:
    if isinstance(node, list):
        return [_arrays(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        value = _arrays(value)
        if key in _ARRAY_KEYS and (
            isinstance(value, dict) or (key == "reason" and isinstance(value, str))
        ):
            value = [value]
        out[key] = value
    return out
