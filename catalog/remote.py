"""Edge module: request a counterparty's catalog or one dataset over DSP 2025-1 (Catalog
Protocol HTTPS binding §4: `POST <base>/catalog/request`, `GET <base>/catalog/datasets/:id`),
with the node's pooled HTTP client and the DCP headers the caller supplies, and a TTL cache
(DESIGN.md "Rules that make it fast": catalogs are cached with a TTL)."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from catalog._criteria import Criterion, criterion_to_json
from catalog._vocab import DSP_CONTEXT

HeadersFor = Callable[[str], Awaitable[dict[str, str]]]


class RemoteCatalogError(Exception):
    """The counterparty could not be reached or refused; `status` is what to answer: 502, as
    EDC does for a failed DSP call, or 404 for a dataset the counterparty does not show us."""

    def __init__(self, status: int, detail: str, peer_status: int | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.peer_status = peer_status


def catalog_request_message(criteria: Sequence[Criterion] = ()) -> dict[str, Any]:
    """A `CatalogRequestMessage`; criteria travel in `filter` as EDC criteria."""
    message: dict[str, Any] = {"@context": [DSP_CONTEXT], "@type": "CatalogRequestMessage"}
    if criteria:
        message["filter"] = [criterion_to_json(c) for c in criteria]
    return message


@dataclass
class CatalogClient:
    """Requests catalogs from counterparties; answers from cache within `ttl_s` seconds."""

    http: httpx.AsyncClient
    headers_for: HeadersFor
    ttl_s: float = 30.0
    now: Callable[[], float] = time.monotonic
    _cache: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict)

    async def catalog(
        self,
        dsp_url: str,
        counterparty_id: str,
        criteria: Sequence[Criterion] = (),
        *,
        fresh: bool = False,
    ) -> dict[str, Any]:
        """The counterparty's catalog JSON as it sent it."""
        message = catalog_request_message(criteria)
        key = json.dumps([dsp_url.rstrip("/"), counterparty_id, message], sort_keys=True)
        cached = self._cache.get(key)
        if cached is not None and not fresh and cached[0] > self.now():
            return cached[1]
        url = dsp_url.rstrip("/") + "/catalog/request"
        body = await self._call("POST", url, counterparty_id, message)
        self._cache[key] = (self.now() + self.ttl_s, body)
        return body

    async def dataset(self, dsp_url: str, counterparty_id: str, dataset_id: str) -> dict[str, Any]:
        """One dataset of the counterparty (not cached: it is asked for right before use)."""
        url = f"{dsp_url.rstrip('/')}/catalog/datasets/{quote(dataset_id, safe='')}"
        return await self._call("GET", url, counterparty_id, None)

    def forget(self, dsp_url: str | None = None) -> None:
        """Drop cached catalogs (all, or those of one endpoint)."""
        if dsp_url is None:
            self._cache.clear()
            return
        prefix = json.dumps([dsp_url.rstrip("/")])[:-1]
        for key in [k for k in self._cache if k.startswith(prefix)]:
            del self._cache[key]

    async def _call(
        self, method: str, url: str, counterparty_id: str, body: dict[str, Any] | None
    ) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", **await self.headers_for(counterparty_id)}
        try:
            response = await self.http.request(method, url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise RemoteCatalogError(502, f"counterparty {url} unreachable: {exc}") from None
        if response.status_code != 200:
            status = 404 if response.status_code == 404 and method == "GET" else 502
            raise RemoteCatalogError(
                status,
                f"counterparty answered {response.status_code}: {response.text[:300]}",
                response.status_code,
            )
        try:
            document = response.json()
        except ValueError:
            raise RemoteCatalogError(502, "counterparty answered with invalid JSON") from None
        if not isinstance(document, dict):
            raise RemoteCatalogError(502, "counterparty answered with a non-object document")
        return document
