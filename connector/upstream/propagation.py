"""Change propagation (issue 7, item 4): a provider that publishes a new footprint version
tells every consumer holding a valid agreement for the asset; a consumer that hears of a newer
version marks its received value stale and re-resolves the dependent products, which publish
and notify in turn.

Wire: `POST {consumer}/api/notifications/footprint-updated` with the provider's DCP
self-issued token in `Authorization` (the same authentication as every DSP call) and the body
`{"type": "FootprintUpdated", "publisher", "productId", "assetId", "version"}`. The answer is
202 (accepted, refresh scheduled), 200 (duplicate or older version: nothing to do) or 404 (the
caller is not one of our suppliers for that product). Delivery and refresh are work items of the
node's work loop: durable, retried with backoff, idempotent by version.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from connector.context import NodeContext
from connector.outcome import Failure, Ok, not_found
from connector.upstream._exchange import consumers_of_asset
from connector.upstream.models import ReceivedFootprintRow
from connector.work import WorkItem, dispatch, enqueue

NOTIFICATION_PATH = "/api/notifications/footprint-updated"
NOTIFY_KIND = "upstream.notify"
REFRESH_KIND = "upstream.refresh"


def newer(candidate: str, current: str) -> bool:
    """Version order: numeric when both are integers, else any different text is newer."""
    if candidate.isdigit() and current.isdigit():
        return int(candidate) > int(current)
    return candidate != current


async def notify_consumers(
    context: NodeContext, asset_id: str, product_id: str, version: str
) -> int:
    """Queue one notice per consumer with a valid agreement for `asset_id`; how many."""
    consumers = await consumers_of_asset(context, asset_id)
    if not consumers:
        return 0
    async with context.database.session() as session:
        items = [
            enqueue(
                context,
                session,
                NOTIFY_KIND,
                f"{did}|{asset_id}|{version}",
                "send",
                {"consumer": did, "assetId": asset_id, "productId": product_id, "version": version},
            )
            for did in sorted(consumers)
        ]
        await session.commit()
    dispatch(context, items)
    return len(items)


async def accept_notification(
    context: NodeContext, publisher: str, product_id: str, asset_id: str, version: str
) -> Ok[str] | Failure:
    """Consumer side: mark the received value stale and schedule a refresh (idempotent)."""
    async with context.database.session() as session:
        statement = select(ReceivedFootprintRow).where(
            ReceivedFootprintRow.supplier_did == publisher,
            ReceivedFootprintRow.supplier_product_id == product_id,
        )
        row = (await session.exec(statement)).first()
        if row is None:
            return not_found(f"no footprint of product {product_id} received from {publisher}")
        known = row.announced_version or row.version
        if not newer(version, known) or not newer(version, row.version):
            return Ok("duplicate")
        row.announced_version = version
        row.stale = True
        row.stale_reason = f"supplier published version {version} (we hold {row.version})"
        session.add(row)
        items = await _refresh_items(context, session, [(publisher, product_id)])
        await session.commit()
    dispatch(context, items)
    return Ok("accepted")


async def schedule_refresh(context: NodeContext, lines: list[tuple[str, str]]) -> None:
    """Retry (through the work loop, with backoff) the products using these supplier
    products until the suppliers answer again; at most one pending refresh per line."""
    if not lines:
        return
    async with context.database.session() as session:
        items = await _refresh_items(context, session, lines)
        await session.commit()
    dispatch(context, items)


async def _refresh_items(
    context: NodeContext, session: Any, lines: list[tuple[str, str]]
) -> list[WorkItem]:
    items = []
    for supplier, product_id in lines:
        subject = f"{supplier}|{product_id}"
        pending = await session.exec(
            select(WorkItem).where(WorkItem.kind == REFRESH_KIND, WorkItem.subject_id == subject)
        )
        if pending.first() is None:
            items.append(
                enqueue(
                    context,
                    session,
                    REFRESH_KIND,
                    subject,
                    "refresh",
                    {"supplier": supplier, "productId": product_id},
                )
            )
    return items
