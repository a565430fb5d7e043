"""Build the provider's catalog for one participant (DSP 2025-1 Catalog Protocol §5.2, EDC's
contract-definition model): an asset becomes a dataset with one offer per contract definition
whose `assetsSelector` selects it and whose access policy admits the participant (evaluated with
`policies.evaluate` in scope `catalog`, fail-closed); a dataset without offers is absent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from catalog._criteria import Criterion, canonical_name, matches_all
from catalog._model import Catalog, DataService, Dataset, Distribution, Offer
from catalog._offers import mint_offer_id
from catalog._vocab import EDC_NS
from policies import Policy, PolicyContext, PolicyType, Scope, evaluate

DEFAULT_FORMATS: tuple[str, ...] = ("HttpData-PULL",)


@dataclass(frozen=True)
class AssetEntry:
    """An asset as the catalog sees it: public properties keyed by full IRI."""

    id: str
    properties: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def record(self) -> dict[str, Any]:
        """The flat record criteria are evaluated on (EDC terms bare, other keys as IRIs)."""
        out = {canonical_name(k): v for k, v in self.properties.items()}
        out["id"] = self.id
        return out


@dataclass(frozen=True)
class OfferDefinition:
    """A contract definition with its two policies resolved."""

    id: str
    access_policy: Policy
    contract_policy: Policy
    assets_selector: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class CatalogQuery:
    """What the requester asked for: criteria on asset properties and a page."""

    criteria: tuple[Criterion, ...] = ()
    offset: int = 0
    limit: int | None = None


def admitted(
    definitions: Sequence[OfferDefinition], context: PolicyContext
) -> list[OfferDefinition]:
    """The definitions whose access policy permits `context.participant_id` (scope catalog)."""
    return [d for d in definitions if evaluate(d.access_policy, Scope.CATALOG, context).allowed]


def make_offer(definition: OfferDefinition, asset_id: str) -> Offer:
    """The offer of `definition` for one asset, with a minted id."""
    policy = definition.contract_policy
    offer_id = mint_offer_id(definition.id, asset_id, policy)
    offered = Policy(
        type=PolicyType.OFFER,
        uid=offer_id,
        target=asset_id,
        permissions=policy.permissions,
        prohibitions=policy.prohibitions,
        obligations=policy.obligations,
        profiles=policy.profiles,
    )
    return Offer(offer_id, offered)


def make_dataset(
    asset: AssetEntry,
    definitions: Sequence[OfferDefinition],
    service: DataService,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> Dataset | None:
    """The dataset of `asset` under the admitted `definitions`, or None if none selects it."""
    record = asset.record()
    offers = tuple(
        make_offer(d, asset.id) for d in definitions if matches_all(d.assets_selector, record)
    )
    if not offers:
        return None
    properties = {k: v for k, v in asset.properties.items() if k != EDC_NS + "id"}
    distributions = tuple(Distribution(f, service.id) for f in formats)
    return Dataset(asset.id, offers, distributions, properties)


def build_catalog(
    *,
    catalog_id: str,
    participant_id: str,
    service: DataService,
    assets: Sequence[AssetEntry],
    definitions: Sequence[OfferDefinition],
    context: PolicyContext,
    query: CatalogQuery = CatalogQuery(),
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> Catalog:
    """The catalog `context.participant_id` may see, filtered by `query` and paged."""
    visible = admitted(definitions, context)
    datasets: list[Dataset] = []
    for asset in sorted(assets, key=lambda a: a.id):
        if not matches_all(query.criteria, asset.record()):
            continue
        dataset = make_dataset(asset, visible, service, formats)
        if dataset is not None:
            datasets.append(dataset)
    end = None if query.limit is None else query.offset + query.limit
    return Catalog(catalog_id, participant_id, tuple(datasets[query.offset : end]), (service,))
