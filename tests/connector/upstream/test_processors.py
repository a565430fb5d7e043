"""Delivering footprint-updated notices (issue 7, item 4): DCP-authenticated POST to the
consumer; 2xx (or 404: not a consumer any more) ends the step, anything else is retried."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlmodel import select

from connector.context import NodeContext
from connector.upstream.processors import NotifyProcessor
from connector.upstream.propagation import NOTIFY_KIND
from connector.work import Done, Retry, WorkItem, enqueue

CONSUMER = "did:web:127.0.0.1%3A9203"


class Headers:
    def __init__(self, signer: object) -> None:
        self.signer = signer

    async def outbound_headers(self, audience: str) -> dict[str, str]:
        return {"Authorization": f"token-for-{audience}"}


async def _item(context: NodeContext) -> WorkItem:
    async with context.database.session() as session:
        item = enqueue(
            context,
            session,
            NOTIFY_KIND,
            f"{CONSUMER}|pcf-coil|3",
            "send",
            {"consumer": CONSUMER, "assetId": "pcf-coil", "productId": "coil", "version": "3"},
        )
        await session.commit()
    return item


async def _left(context: NodeContext) -> int:
    async with context.database.session() as session:
        return len((await session.exec(select(WorkItem))).all())


@pytest.fixture
def calls() -> list[httpx.Request]:
    return []


def _answer(context: NodeContext, calls: list[httpx.Request], status: int | None) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if status is None:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(status, json={"status": "accepted"})

    context.http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    context.services["identity"] = Headers(context.services["identity"])


async def test_notify_when_consumer_accepts_posts_authenticated_notice_and_finishes(
    context: NodeContext, calls: list[httpx.Request]
) -> None:
    _answer(context, calls, 202)
    item = await _item(context)
    step = await NotifyProcessor().run(context, item)
    assert step == Done()
    (request,) = [c for c in calls if c.method == "POST"]
    assert str(request.url) == "http://127.0.0.1:9203/api/notifications/footprint-updated"
    assert request.headers["authorization"] == f"token-for-{CONSUMER}"
    assert json.loads(request.content) == {
        "type": "FootprintUpdated",
        "publisher": context.settings.node.did,
        "productId": "coil",
        "assetId": "pcf-coil",
        "version": "3",
    }
    assert await _left(context) == 0


async def test_notify_when_consumer_unreachable_asks_for_a_retry(
    context: NodeContext, calls: list[httpx.Request]
) -> None:
    _answer(context, calls, None)
    item = await _item(context)
    step = await NotifyProcessor().run(context, item)
    assert isinstance(step, Retry)
    assert step.reason == "ConnectError: connection refused"
    assert await _left(context) == 1


async def test_notify_when_consumer_fails_with_5xx_asks_for_a_retry(
    context: NodeContext, calls: list[httpx.Request]
) -> None:
    _answer(context, calls, 503)
    step = await NotifyProcessor().run(context, await _item(context))
    assert step == Retry("consumer answered 503")


async def test_notify_when_attempts_exhausted_gives_up_and_removes_the_step(
    context: NodeContext, calls: list[httpx.Request]
) -> None:
    _answer(context, calls, 503)
    item = await _item(context)
    await NotifyProcessor().give_up(context, item, "out of attempts")
    assert await _left(context) == 0
