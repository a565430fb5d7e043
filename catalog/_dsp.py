"""DSP 2025-1 JSON for catalogs and datasets (DSP 2025-1 Catalog Protocol §5, HTTPS binding §4;
schemas `catalog/catalog-schema.json`, `catalog/dataset-schema.json`).

Written directly in the compact 2025-1 form (dsp.md Pitfalls 4): `@type` on every node, arrays
always arrays and never empty (§11), offers without `target`. Asset properties are written with
the prefixes the DSP context defines (`dct:type`), anything else as a full IRI.
"""

from __future__ import annotations

from typing import Any

from catalog._model import Catalog, DataService, Dataset, Distribution, Offer
from catalog._vocab import DSP_CONTEXT, DSP_CONTEXT_PREFIXES, EDC_NS, compact_key
from policies import CATENAX_POLICY_CONTEXT, Policy, PolicyType, to_dsp, uses_catenax_terms

Json = Any


def offer_to_dsp(offer: Offer) -> dict[str, Json]:
    """An `Offer` inside `hasPolicy`: `@id`, `@type`, rules; no `target` (DSP §11)."""
    policy = offer.policy
    body = to_dsp(
        Policy(
            type=PolicyType.OFFER,
            uid=offer.id,
            permissions=policy.permissions,
            prohibitions=policy.prohibitions,
            obligations=policy.obligations,
            profiles=policy.profiles,
        )
    )
    body["@id"] = offer.id
    body["@type"] = "Offer"
    return body


def _service(service: DataService) -> dict[str, Json]:
    return {"@id": service.id, "@type": "DataService", "endpointURL": service.endpoint_url}


def _distribution(distribution: Distribution) -> dict[str, Json]:
    return {
        "@type": "Distribution",
        "format": distribution.format,
        "accessService": distribution.access_service,
    }


def _properties(properties: dict[str, Json] | Any) -> dict[str, Json]:
    out: dict[str, Json] = {}
    for iri, value in properties.items():
        if iri == EDC_NS + "id" or iri.startswith("@"):
            continue
        out[compact_key(iri, DSP_CONTEXT_PREFIXES)] = value
    return out


def _context(datasets: tuple[Dataset, ...]) -> list[str]:
    """The Catena-X context goes first: it maps the `odrl` prefix, which the protected DSP
    2025-1 context defines too, so the reverse order fails in a JSON-LD 1.1 processor with
    "protected term redefinition" (see `policies.dsp_context_for`)."""
    catenax = any(uses_catenax_terms(o.policy) for d in datasets for o in d.offers)
    return [CATENAX_POLICY_CONTEXT, DSP_CONTEXT] if catenax else [DSP_CONTEXT]


def dataset_to_dsp(dataset: Dataset, *, root: bool = False) -> dict[str, Json]:
    """A `Dataset`; `root=True` adds the `@context` for a dataset response."""
    body: dict[str, Json] = {}
    if root:
        body["@context"] = _context((dataset,))
    body.update({"@id": dataset.id, "@type": "Dataset", "id": dataset.id})
    body.update(_properties(dataset.properties))
    body["hasPolicy"] = [offer_to_dsp(o) for o in dataset.offers]
    body["distribution"] = [_distribution(d) for d in dataset.distributions]
    return body


def catalog_to_dsp(catalog: Catalog) -> dict[str, Json]:
    """The `Catalog` response of a CatalogRequestMessage (keys omitted when empty)."""
    body: dict[str, Json] = {
        "@context": _context(catalog.datasets),
        "@id": catalog.id,
        "@type": "Catalog",
        "participantId": catalog.participant_id,
    }
    if catalog.datasets:
        body["dataset"] = [dataset_to_dsp(d) for d in catalog.datasets]
    if catalog.services:
        body["service"] = [_service(s) for s in catalog.services]
    return body
