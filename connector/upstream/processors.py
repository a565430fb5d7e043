"""Work-loop processors of the upstream feature (STYLE.md "State machines, background work"):
delivering a footprint-updated notice to one consumer, and refreshing the products that depend
on an announced supplier value. Both are retried with the loop's backoff."""

from __future__ import annotations

import logging

from connector.context import NodeContext
from connector.upstream._exchange import peer_base_url
from connector.upstream.propagation import NOTIFICATION_PATH
from connector.upstream.service import refresh_dependents
from connector.work import Done, Retry, Step, WorkItem, finish

log = logging.getLogger("carbonspace.upstream")


class NotifyProcessor:
    """Work-loop step: deliver one notice; 2xx ends it, anything else is retried."""

    async def run(self, context: NodeContext, item: WorkItem) -> Step:
        payload = item.payload
        consumer = str(payload["consumer"])
        url = await peer_base_url(context, consumer)
        if url is None:
            return Retry(f"no endpoint known for {consumer}")
        headers = await context.service("identity").outbound_headers(consumer)
        body = {
            "type": "FootprintUpdated",
            "publisher": context.settings.node.did,
            "productId": payload["productId"],
            "assetId": payload["assetId"],
            "version": payload["version"],
        }
        try:
            response = await context.http.post(url + NOTIFICATION_PATH, json=body, headers=headers)
        except Exception as exc:  # httpx errors: the consumer is down, try again later
            return Retry(f"{type(exc).__name__}: {exc}")
        if response.status_code >= 300 and response.status_code != 404:
            return Retry(f"consumer answered {response.status_code}")
        async with context.database.session() as session:
            await finish(session, item)
            await session.commit()
        return Done()

    async def give_up(self, context: NodeContext, item: WorkItem, reason: str) -> None:
        log.warning("notice %s not delivered: %s", item.subject_id, reason)
        async with context.database.session() as session:
            await finish(session, item)
            await session.commit()


class RefreshProcessor:
    """Work-loop step: re-resolve every product of ours that uses the announced value."""

    async def run(self, context: NodeContext, item: WorkItem) -> Step:
        pending = await refresh_dependents(
            context, str(item.payload["supplier"]), str(item.payload["productId"])
        )
        if pending:
            return Retry(pending)
        async with context.database.session() as session:
            await finish(session, item)
            await session.commit()
        return Done()

    async def give_up(self, context: NodeContext, item: WorkItem, reason: str) -> None:
        log.warning("refresh %s gave up: %s", item.subject_id, reason)
        async with context.database.session() as session:
            await finish(session, item)
            await session.commit()
