"""The DCAT model of a DSP 2025-1 catalog (DSP 2025-1 Catalog Protocol §5, DCAT 3): catalogs,
datasets, distributions, data services and the ODRL offers (`hasPolicy`) of each dataset."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from policies import Policy


@dataclass(frozen=True)
class DataService:
    """A connector endpoint (`dcat:DataService`); `endpoint_url` is the DSP base URL."""

    id: str
    endpoint_url: str


@dataclass(frozen=True)
class Distribution:
    """How a dataset is delivered: a transfer `format` (e.g. `HttpData-PULL`) via a service."""

    format: str
    access_service: str


@dataclass(frozen=True)
class Offer:
    """An ODRL offer of a dataset. `raw` is the offer exactly as received (a consumer echoes it
    back in its contract request); for offers we build, it is empty."""

    id: str
    policy: Policy
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    """A dataset (an asset): `properties` keyed by full IRI (EDC vocabulary included)."""

    id: str
    offers: tuple[Offer, ...]
    distributions: tuple[Distribution, ...] = ()
    properties: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "offers", tuple(self.offers))
        object.__setattr__(self, "distributions", tuple(self.distributions))
        object.__setattr__(self, "properties", MappingProxyType(dict(self.properties)))


@dataclass(frozen=True)
class Catalog:
    """A provider's catalog as one participant sees it."""

    id: str
    participant_id: str
    datasets: tuple[Dataset, ...] = ()
    services: tuple[DataService, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "datasets", tuple(self.datasets))
        object.__setattr__(self, "services", tuple(self.services))

    def dataset(self, dataset_id: str) -> Dataset | None:
        """The dataset with that id, if listed."""
        return next((d for d in self.datasets if d.id == dataset_id), None)
