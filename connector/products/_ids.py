"""Identifiers of what the product store publishes: shells, submodels, catalog assets."""

from __future__ import annotations

from urllib.parse import quote

from aas_models import CARBON_FOOTPRINT_SEMANTIC_ID
from catalog import EDC_NS

DCT_TYPE = "http://purl.org/dc/terms/type"
PCF_EXCHANGE = "https://w3id.org/catenax/taxonomy#PCFExchange"
SEMANTIC_ID_KEY = "https://admin-shell.io/aas/3/0/HasSemantics/semanticId"
OWN = "urn:carbonspace:asset:"


def node_part(did: str) -> str:
    """`did:web:mill.example.com` -> `mill.example.com` (the node part of our URNs)."""
    return did.removeprefix("did:web:")


def shell_id(did: str, product_id: str) -> str:
    return f"urn:carbonspace:{node_part(did)}:aas:{quote(product_id, safe='')}"


def submodel_id(did: str, product_id: str) -> str:
    """Stable per product; each publication is a new `administration.version` of it."""
    return f"urn:carbonspace:{node_part(did)}:sm:cf:{quote(product_id, safe='')}"


def default_global_asset_id(did: str, product_id: str) -> str:
    return f"urn:carbonspace:{node_part(did)}:product:{quote(product_id, safe='')}"


def asset_id(product_id: str) -> str:
    """The catalog asset of a product's footprint (stable across versions)."""
    return f"pcf-{product_id}"


def asset_properties(
    product_id: str, name: str, cn_code: str | None, submodel: str, shell: str, version: int
) -> dict[str, object]:
    """Asset properties (expanded IRIs, as the management API stores them)."""
    properties: dict[str, object] = {
        EDC_NS + "name": f"Carbon footprint of {name}",
        EDC_NS + "contenttype": "application/json",
        EDC_NS + "version": str(version),
        DCT_TYPE: {"@id": PCF_EXCHANGE},
        SEMANTIC_ID_KEY: {"@id": CARBON_FOOTPRINT_SEMANTIC_ID},
        OWN + "productId": product_id,
        OWN + "submodelId": submodel,
        OWN + "shellId": shell,
    }
    if cn_code:
        properties[OWN + "cnCode"] = cn_code
    return properties
