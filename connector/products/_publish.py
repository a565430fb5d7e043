"""Publication of a footprint version (issue 5, items 2 and 5): the CarbonFootprint submodel
gets a new `administration.version`, the product's shell references it, and the footprint is
registered as a catalog asset (`connector.assets.service.upsert_asset`) for the DSP offers.
The caller's session is used; the caller commits."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from aas_models import (
    CARBON_FOOTPRINT_SEMANTIC_ID,
    Footprint,
    MappingError,
    ProductIdentity,
    build_shell,
    build_submodel,
    to_json_text,
)
from connector.assets.service import upsert_asset
from connector.outcome import Failure, Ok, bad_request, conflict
from connector.products import _ids
from connector.products._records import footprint_to_record
from connector.products.models import (
    FootprintRow,
    ProductRow,
    PublishedShellRow,
    PublishedSubmodelRow,
)

# Turns the submodel JSON into what is stored and served (e.g. adds signature extensions).
Finish = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Publication:
    """What a publication produced: ids for the catalog, the data plane and the resolver."""

    product_id: str
    asset_id: str
    shell_id: str
    submodel_id: str
    version: int
    footprint_id: str
    submodel_json: str


def identity_of(row: ProductRow) -> ProductIdentity:
    return ProductIdentity(
        product_id=row.id,
        name=row.name,
        global_asset_id=row.global_asset_id,
        cn_code=row.cn_code,
        description=row.description,
    )


async def latest_version(session: AsyncSession, product_id: str) -> int:
    rows = await session.exec(
        select(FootprintRow.version).where(FootprintRow.product_id == product_id)
    )
    return max(rows.all(), default=0)


async def publish_in_session(
    session: AsyncSession,
    did: str,
    product: ProductRow,
    footprint: Footprint,
    provenance: dict[str, Any],
    now: datetime,
    publish: bool = True,
    finish: Finish | None = None,
) -> Ok[Publication] | Failure:
    """Store the footprint version and, when `publish`, its submodel, the shell and the asset
    (no commit)."""
    submodel_id = _ids.submodel_id(did, product.id)
    current = await latest_version(session, product.id)
    if footprint.version <= current:
        return conflict(
            f"product {product.id}: version {footprint.version} is not newer than {current}"
        )
    try:
        submodel_json = to_json_text(build_submodel(submodel_id, footprint))
    except (MappingError, TypeError, ValueError) as exc:
        return bad_request(f"footprint of {product.id}: {exc}")
    if finish is not None:
        submodel_json = json.dumps(finish(json.loads(submodel_json)), ensure_ascii=False)
    session.add(_footprint_row(product.id, submodel_id, footprint, provenance, now))
    publication = Publication(
        product_id=product.id,
        asset_id=_ids.asset_id(product.id),
        shell_id=_ids.shell_id(did, product.id),
        submodel_id=submodel_id,
        version=footprint.version,
        footprint_id=footprint.footprint_id,
        submodel_json=submodel_json,
    )
    if publish:
        await _store_published(session, product, publication, now)
    return Ok(publication)


def _footprint_row(
    product_id: str,
    submodel_id: str,
    footprint: Footprint,
    provenance: dict[str, Any],
    now: datetime,
) -> FootprintRow:
    return FootprintRow(
        id=footprint.footprint_id,
        product_id=product_id,
        version=footprint.version,
        status=footprint.status.value,
        pcf_kg_co2e=str(footprint.pcf_kg_co2e),
        methods=list(footprint.methods),
        period_start=footprint.period_start,
        period_end=footprint.period_end,
        record=footprint_to_record(footprint),
        provenance=provenance,
        submodel_id=submodel_id,
        created_at=now,
    )


async def _store_published(
    session: AsyncSession, product: ProductRow, publication: Publication, now: datetime
) -> None:
    row = await session.get(PublishedSubmodelRow, publication.submodel_id)
    if row is None:
        row = PublishedSubmodelRow(
            id=publication.submodel_id,
            product_id=product.id,
            semantic_id=CARBON_FOOTPRINT_SEMANTIC_ID,
            version=publication.version,
            footprint_id=publication.footprint_id,
            asset_id=publication.asset_id,
            json_text=publication.submodel_json,
            published_at=now,
        )
    else:
        row.version = publication.version
        row.footprint_id = publication.footprint_id
        row.json_text = publication.submodel_json
        row.published_at = now
    session.add(row)
    await store_shell(session, product, publication.shell_id, publication.submodel_id, now)
    await upsert_asset(
        session,
        publication.asset_id,
        properties=_ids.asset_properties(
            product.id,
            product.name,
            product.cn_code,
            publication.submodel_id,
            publication.shell_id,
            publication.version,
        ),
        data_address={
            "type": "AasSubmodel",
            "submodelId": publication.submodel_id,
            "shellId": publication.shell_id,
        },
        now=now,
    )


async def store_shell(
    session: AsyncSession,
    product: ProductRow,
    shell_id: str,
    submodel_id: str | None,
    now: datetime,
) -> None:
    """Create or refresh the product's shell (with its CarbonFootprint submodel, if any)."""
    shell = build_shell(shell_id, identity_of(product), [submodel_id] if submodel_id else [])
    text = to_json_text(shell)
    row = await session.get(PublishedShellRow, shell_id)
    if row is None:
        row = PublishedShellRow(id=shell_id, product_id=product.id, json_text=text, updated_at=now)
    else:
        row.json_text = text
        row.updated_at = now
    session.add(row)
