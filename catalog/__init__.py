"""DCAT catalogs for DSP 2025-1: the model (catalog, dataset, distribution, data service, offers),
building the provider's catalog from assets, contract definitions and policies, DSP JSON output,
parsing counterparties' catalogs, EDC criteria, and the edge module that requests a counterparty's
catalog over DSP (`catalog.remote`, handed the node's HTTP client)."""

from catalog._build import (
    DEFAULT_FORMATS,
    AssetEntry,
    CatalogQuery,
    OfferDefinition,
    admitted,
    build_catalog,
    make_dataset,
    make_offer,
)
from catalog._choice import NoOffer, OfferChoice, choose_offer, request_offer
from catalog._criteria import (
    Criterion,
    CriterionError,
    canonical_name,
    criterion_to_json,
    matches,
    matches_all,
    parse_criterion,
)
from catalog._dsp import catalog_to_dsp, dataset_to_dsp, offer_to_dsp
from catalog._model import Catalog, DataService, Dataset, Distribution, Offer
from catalog._offers import OfferId, mint_offer_id, parse_offer_id, policy_digest
from catalog._parse import CatalogParseError, parse_catalog, parse_dataset
from catalog._vocab import DSP_CONTEXT, EDC_NS, KNOWN_PREFIXES, compact_key, expand_key

__all__ = [
    "DEFAULT_FORMATS",
    "DSP_CONTEXT",
    "EDC_NS",
    "KNOWN_PREFIXES",
    "AssetEntry",
    "Catalog",
    "CatalogParseError",
    "CatalogQuery",
    "Criterion",
    "CriterionError",
    "DataService",
    "Dataset",
    "Distribution",
    "NoOffer",
    "Offer",
    "OfferChoice",
    "OfferDefinition",
    "OfferId",
    "admitted",
    "build_catalog",
    "canonical_name",
    "catalog_to_dsp",
    "choose_offer",
    "compact_key",
    "criterion_to_json",
    "dataset_to_dsp",
    "expand_key",
    "make_dataset",
    "make_offer",
    "matches",
    "matches_all",
    "mint_offer_id",
    "offer_to_dsp",
    "parse_catalog",
    "parse_criterion",
    "parse_dataset",
    "parse_offer_id",
    "policy_digest",
    "request_offer",
]
