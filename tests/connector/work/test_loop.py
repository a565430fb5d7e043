"""The work loop's concurrency bounds: at most `per_peer_concurrency` steps send to one
counterparty at a time, and a saturated peer leaves the other slots to everyone else."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter

from connector.context import NodeContext
from connector.work import Done, Step, WorkItem, WorkLoop
from connector.work._loop import peer_of
from connector.work._queue import new_item
from tests.support.service_context import NOW

SLOW, FAST = "did:web:slow.example", "did:web:fast.example"


class _Gate:
    """A processor whose steps wait until released, recording how many run per peer."""

    def __init__(self) -> None:
        self.running: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.done: list[str] = []
        self.release = asyncio.Event()
        self.changed = asyncio.Condition()

    async def run(self, _context: NodeContext, item: WorkItem) -> Step:
        peer = peer_of(item) or "-"
        async with self.changed:
            self.running[peer] += 1
            self.most[peer] = max(self.most[peer], self.running[peer])
            self.changed.notify_all()
        if peer == SLOW:
            await self.release.wait()
        async with self.changed:
            self.running[peer] -= 1
            self.done.append(item.subject_id)
            self.changed.notify_all()
        return Done()

    async def give_up(self, _context: NodeContext, _item: WorkItem, _reason: str) -> None:
        raise AssertionError("no step gives up here")

    async def wait_for(self, predicate) -> None:  # type: ignore[no-untyped-def]
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(predicate), timeout=10)


def _item(subject: str, peer: str | None) -> WorkItem:
    payload = {"send": {"url": "http://x", "audience": peer, "message": {}}} if peer else {}
    return new_item("test", subject, "send", NOW, payload=payload, owner="test", lease_s=60)


def _loop(node: NodeContext, per_peer: int, total: int, gate: _Gate) -> WorkLoop:
    work = node.settings.work.model_copy(
        update={"per_peer_concurrency": per_peer, "concurrency": total, "sweep_s": 60}
    )
    settings = node.settings.model_copy(update={"work": work})
    return WorkLoop(dataclasses.replace(node, settings=settings), {"test": gate})


async def test_one_peer_gets_at_most_its_share_while_others_proceed(context: NodeContext) -> None:
    gate = _Gate()
    loop = _loop(context, per_peer=2, total=4, gate=gate)
    loop.start()
    try:
        loop.submit([_item(f"slow-{i}", SLOW) for i in range(5)])
        await gate.wait_for(lambda: gate.running[SLOW] == 2)
        loop.submit([_item(f"fast-{i}", FAST) for i in range(3)] + [_item("local", None)])
        await gate.wait_for(lambda: len(gate.done) == 4)
        assert sorted(gate.done) == ["fast-0", "fast-1", "fast-2", "local"]
        assert gate.running[SLOW] == 2
        gate.release.set()
        await gate.wait_for(lambda: len(gate.done) == 9)
    finally:
        await loop.stop()
    assert gate.most[SLOW] == 2
    assert gate.most[FAST] <= 2
    assert loop._peers == {}


def test_peer_of_is_the_audience_of_a_prepared_message() -> None:
    assert peer_of(_item("a", SLOW)) == SLOW
    assert peer_of(_item("b", None)) is None
    reason_only = new_item("test", "c", "terminate", NOW, payload={"reason": "x"})
    assert peer_of(reason_only) is None
