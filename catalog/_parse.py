"""Read a counterparty's catalog: DSP 2025-1 compact (`dataset`, `hasPolicy`), the EDC-compacted
2024-1/0.8 forms (`dcat:dataset`, `odrl:hasPolicy`, `dct:format`, `dspace:participantId`) and
full IRIs. Objects where arrays are expected are accepted (dsp.md Pitfalls 1). A defective catalog
raises `CatalogParseError` naming the path; nothing is skipped silently."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog._model import Catalog, DataService, Dataset, Distribution, Offer
from catalog._vocab import DCAT_NS, DCT_NS, DSPACE_NS, KNOWN_PREFIXES, ODRL_NS, expand_key
from policies import PolicyParseError, parse_policy

_NAMES: dict[str, tuple[str, ...]] = {
    "dataset": ("dataset", "dcat:dataset", DCAT_NS + "dataset"),
    "service": ("service", "dcat:service", DCAT_NS + "service"),
    "hasPolicy": ("hasPolicy", "odrl:hasPolicy", ODRL_NS + "hasPolicy"),
    "distribution": ("distribution", "dcat:distribution", DCAT_NS + "distribution"),
    "format": ("format", "dct:format", DCT_NS + "format"),
    "accessService": ("accessService", "dcat:accessService", DCAT_NS + "accessService"),
    "endpointURL": ("endpointURL", "dcat:endpointURL", DCAT_NS + "endpointURL"),
    "participantId": ("participantId", "dspace:participantId", DSPACE_NS + "participantId"),
}
_STRUCTURAL = {name for names in _NAMES.values() for name in names} | {
    "@id",
    "@type",
    "@context",
    "id",
    "edc:id",
}


class CatalogParseError(ValueError):
    """A catalog document is malformed; `path` names the offending field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def _get(node: Mapping[str, Any], name: str) -> Any:
    return next((node[k] for k in _NAMES[name] if k in node), None)


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: Any, path: str) -> str:
    if isinstance(value, Mapping):
        value = value.get("@id", value.get("@value"))
    if not isinstance(value, str) or not value:
        raise CatalogParseError(path, "must be a non-empty string")
    return value


def _prefixes(context: Any) -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in _items(context):
        if isinstance(entry, Mapping):
            table.update({k: v for k, v in entry.items() if isinstance(v, str) and ":" in v})
    return table


def _service(node: Any, path: str) -> DataService:
    if not isinstance(node, Mapping):
        raise CatalogParseError(path, "a DataService is a JSON object")
    return DataService(
        _text(node.get("@id"), f"{path}.@id"),
        _text(_get(node, "endpointURL"), f"{path}.endpointURL"),
    )


def _distribution(node: Any, path: str) -> Distribution:
    if not isinstance(node, Mapping):
        raise CatalogParseError(path, "a Distribution is a JSON object")
    service = _get(node, "accessService")
    if isinstance(service, Mapping) and "@id" in service:
        service = service["@id"]
    fmt = _text(_get(node, "format"), f"{path}.format")
    return Distribution(fmt.removeprefix("dspace:"), _text(service, f"{path}.accessService"))


def _offer(node: Any, context: Any, path: str) -> Offer:
    if not isinstance(node, Mapping):
        raise CatalogParseError(path, "an offer is a JSON object")
    offer_id = _text(node.get("@id"), f"{path}.@id")
    try:
        policy = parse_policy(dict(node), context=context)
    except PolicyParseError as exc:
        raise CatalogParseError(f"{path}.{exc.path}", exc.detail) from None
    return Offer(offer_id, policy, dict(node))


def _dataset(node: Any, context: Any, prefixes: dict[str, str], path: str) -> Dataset:
    if not isinstance(node, Mapping):
        raise CatalogParseError(path, "a Dataset is a JSON object")
    dataset_id = _text(node.get("@id"), f"{path}.@id")
    offers = tuple(
        _offer(o, context, f"{path}.hasPolicy[{i}]")
        for i, o in enumerate(_items(_get(node, "hasPolicy")))
    )
    distributions = tuple(
        _distribution(d, f"{path}.distribution[{i}]")
        for i, d in enumerate(_items(_get(node, "distribution")))
    )
    properties: dict[str, Any] = {}
    for key, value in node.items():
        if key in _STRUCTURAL:
            continue
        try:
            properties[expand_key(key, prefixes)] = value
        except KeyError:
            properties[key] = value
    return Dataset(dataset_id, offers, distributions, properties)


def parse_dataset(document: Any, context: Any = None) -> Dataset:
    """A `Dataset` response (or a dataset nested in a catalog, with the catalog's context)."""
    if not isinstance(document, Mapping):
        raise CatalogParseError("<dataset>", "a Dataset is a JSON object")
    context = document.get("@context", context)
    return _dataset(document, context, {**KNOWN_PREFIXES, **_prefixes(context)}, "dataset")


def parse_catalog(document: Any) -> Catalog:
    """A `Catalog` response in any of the supported forms."""
    if not isinstance(document, Mapping):
        raise CatalogParseError("<catalog>", "a Catalog is a JSON object")
    context = document.get("@context")
    prefixes = {**KNOWN_PREFIXES, **_prefixes(context)}
    participant = _get(document, "participantId")
    return Catalog(
        id=_text(document.get("@id"), "@id"),
        participant_id="" if participant is None else _text(participant, "participantId"),
        datasets=tuple(
            _dataset(d, context, prefixes, f"dataset[{i}]")
            for i, d in enumerate(_items(_get(document, "dataset")))
        ),
        services=tuple(
            _service(s, f"service[{i}]") for i, s in enumerate(_items(_get(document, "service")))
        ),
    )
