"""Consumer-side catalog use cases: `POST /v3/catalog/request` and `/v3/catalog/dataset/request`
(the counterparty's DSP answer returned unchanged, as EDC does; a failed DSP call is 502), and
`counterparty_catalog` for other features (UPSTREAM, fetch)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalog import Criterion
from catalog.remote import CatalogClient, RemoteCatalogError
from connector.context import NodeContext
from connector.directory import dsp_base_from_version_document
from connector.outcome import Failure, Ok, Reason

CATALOG_TTL_S = 30.0
SERVICE = "catalog"


def catalog_client(context: NodeContext) -> CatalogClient:
    """The node's catalog client (one per node, made on first use)."""
    client = context.services.get(SERVICE)
    if client is None:

        async def headers_for(audience: str) -> dict[str, str]:
            identity = context.services.get("identity")
            if identity is None:
                return {}
            headers: dict[str, str] = await identity.outbound_headers(audience)
            return headers

        client = CatalogClient(context.http, headers_for, CATALOG_TTL_S)
        context.services[SERVICE] = client
    assert isinstance(client, CatalogClient)
    return client


def _failure(exc: RemoteCatalogError) -> Failure:
    reason = Reason.NOT_FOUND if exc.status == 404 else Reason.BAD_GATEWAY
    return Failure(reason, exc.detail)


async def counterparty_catalog(
    context: NodeContext,
    dsp_url: str,
    counterparty_id: str,
    criteria: Sequence[Criterion] = (),
    *,
    fresh: bool = False,
) -> Ok[dict[str, Any]] | Failure:
    """The counterparty's DSP catalog JSON (cached for `CATALOG_TTL_S` unless `fresh`). An
    address that is not the DSP 2025-1 base (404) is resolved through the counterparty's
    `/.well-known/dspace-version` (edc-mgmt-api.md §4.4) and tried once more."""
    client = catalog_client(context)
    try:
        return Ok(await client.catalog(dsp_url, counterparty_id, criteria, fresh=fresh))
    except RemoteCatalogError as exc:
        if exc.peer_status != 404:
            return _failure(exc)
        failure = _failure(exc)
    base = await dsp_base_from_version_document(context.http, dsp_url)
    if isinstance(base, Failure) or base.value.rstrip("/") == dsp_url.rstrip("/"):
        return failure
    try:
        return Ok(await client.catalog(base.value, counterparty_id, criteria, fresh=fresh))
    except RemoteCatalogError as exc:
        return _failure(exc)


async def counterparty_dataset(
    context: NodeContext, dsp_url: str, counterparty_id: str, dataset_id: str
) -> Ok[dict[str, Any]] | Failure:
    """One dataset of the counterparty (DSP `GET /catalog/datasets/:id`)."""
    try:
        return Ok(await catalog_client(context).dataset(dsp_url, counterparty_id, dataset_id))
    except RemoteCatalogError as exc:
        return _failure(exc)
