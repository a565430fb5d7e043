"""Namespaces and compact prefixes for DCAT catalogs and EDC asset properties (DSP 2025-1 §10)."""

from __future__ import annotations

from typing import Final

EDC_NS: Final = "https://w3id.org/edc/v0.0.1/ns/"
DSPACE_NS: Final = "https://w3id.org/dspace/2025/1/"
DCAT_NS: Final = "http://www.w3.org/ns/dcat#"
DCT_NS: Final = "http://purl.org/dc/terms/"
ODRL_NS: Final = "http://www.w3.org/ns/odrl/2/"
DSP_CONTEXT: Final = "https://w3id.org/dspace/2025/1/context.jsonld"

# Prefixes a management client may use without declaring them (EDC's management context), and
# the ones used when writing asset properties back out.
KNOWN_PREFIXES: Final[dict[str, str]] = {
    "edc": EDC_NS,
    "dct": DCT_NS,
    "dcterms": DCT_NS,
    "dcat": DCAT_NS,
    "odrl": ODRL_NS,
    "dspace": DSPACE_NS,
    "cx-common": "https://w3id.org/catenax/ontology/common#",
    "cx-taxo": "https://w3id.org/catenax/taxonomy#",
    "aas-semantics": "https://admin-shell.io/aas/3/0/HasSemantics/",
    "tx": "https://w3id.org/tractusx/v0.0.1/ns/",
    "tx-auth": "https://w3id.org/tractusx/auth/",
    "cx-policy": "https://w3id.org/catenax/policy/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# Prefixes the DSP 2025-1 context defines: only these may stay compact in a DSP catalog.
DSP_CONTEXT_PREFIXES: Final[dict[str, str]] = {
    "dct": DCT_NS,
    "dcat": DCAT_NS,
    "odrl": ODRL_NS,
    "dspace": DSPACE_NS,
}

# Schemes that make `scheme:rest` an absolute IRI rather than a compact one.
IRI_SCHEMES: Final = frozenset({"http", "https", "urn", "did", "mailto", "tag", "file"})


def expand_key(key: str, prefixes: dict[str, str] | None = None) -> str:
    """Full IRI for a property key: bare names are EDC vocabulary, `p:x` uses a known prefix.
    Raises `KeyError` for a compact IRI whose prefix nobody defined (EDC's prefix check)."""
    table = {**KNOWN_PREFIXES, **(prefixes or {})}
    if key.startswith("@"):
        return key
    prefix, sep, suffix = key.partition(":")
    if not sep:
        return EDC_NS + key
    if suffix.startswith("//") or prefix in IRI_SCHEMES:
        return key
    if prefix in table:
        return table[prefix] + suffix
    raise KeyError(prefix)


def compact_key(iri: str, prefixes: dict[str, str], vocab: str | None = None) -> str:
    """The compact form of an IRI with `prefixes`; `vocab` names become bare."""
    if vocab is not None and iri.startswith(vocab) and "/" not in iri[len(vocab) :]:
        return iri[len(vocab) :]
    for prefix, namespace in prefixes.items():
        rest = iri[len(namespace) :]
        if iri.startswith(namespace) and rest and "/" not in rest and "#" not in rest:
            return f"{prefix}:{rest}"
    return iri
