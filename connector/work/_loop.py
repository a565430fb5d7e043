"""The one work loop per node (STYLE.md "State machines, background work").

Hot path: a service commits a state change together with a work item already leased to this
loop, then hands the item id to `submit`; the loop runs it at once (no claim query, no poll).
Slow path: every `sweep_s` (and when a backoff timer fires) the loop claims due items whose
lease is free or expired: retries, and whatever a crashed node left behind.

At most `concurrency` items run at once, and at most `per_peer_concurrency` of them send to the
same counterparty: a peer that hangs until the HTTP timeout cannot take every slot, and a burst
to one peer opens a bounded number of connections. At 100 concurrent negotiations between two
nodes, 16 gave more negotiations per second than 8 (too few messages in flight to keep both
nodes busy) and than 32 (more connections and more interleaving for the same work).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from connector.work._queue import backoff_s, claim_due, prepared_send, reschedule
from connector.work.models import WorkItem

if TYPE_CHECKING:
    from connector.context import NodeContext

log = logging.getLogger("carbonspace.work")


@dataclass(frozen=True)
class Done:
    """The step is finished; the processor committed its effect and deleted the item."""


@dataclass(frozen=True)
class Retry:
    """The step failed for a reason that may pass (peer unreachable, 5xx); try again later."""

    reason: str


Step = Done | Retry


class Processor(Protocol):
    def run(self, context: NodeContext, item: WorkItem) -> Awaitable[Step]:
        """Take the step; on success commit the effect with `finish(session, item)`."""
        ...

    def give_up(self, context: NodeContext, item: WorkItem, reason: str) -> Awaitable[None]:
        """Out of attempts: record the failure (e.g. TERMINATED) and finish the item."""
        ...


class _PeerSlots:
    """The slots of one counterparty, dropped when no item uses or awaits them."""

    def __init__(self, limit: int) -> None:
        self.semaphore = asyncio.Semaphore(limit)
        self.users = 0


def peer_of(item: WorkItem) -> str | None:
    """The counterparty a step sends to (the audience of its prepared message), if known."""
    sent = prepared_send(item)
    return sent[1] if sent is not None and sent[1] else None


class WorkLoop:
    """Runs due work items of one node with bounded concurrency."""

    def __init__(self, context: NodeContext, processors: Mapping[str, Processor]) -> None:
        self.context = context
        self.processors = dict(processors)
        self.settings = context.settings.work
        self.owner = f"w-{uuid.uuid4().hex[:16]}"
        self._ready: deque[WorkItem] = deque()
        self._event = asyncio.Event()
        self._claim_requested = True
        self._semaphore = asyncio.Semaphore(self.settings.concurrency)
        self._peers: dict[str, _PeerSlots] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._main: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._main is not None and not self._stopping

    def start(self) -> None:
        self._main = asyncio.create_task(self._run(), name=f"work-loop-{self.owner}")

    async def stop(self) -> None:
        self._stopping = True
        self._event.set()
        if self._main is not None:
            await asyncio.gather(self._main, return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def submit(self, items: Iterable[WorkItem]) -> None:
        """Run these items (leased to us in the committed transaction) now; no reload."""
        self._ready.extend(items)
        self._event.set()

    def request_claim(self) -> None:
        self._claim_requested = True
        self._event.set()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await asyncio.wait_for(self._event.wait(), timeout=self.settings.sweep_s)
            except TimeoutError:
                self._claim_requested = True
            self._event.clear()
            if self._stopping:
                return
            while self._ready:
                self._spawn(self._ready.popleft())
            if self._claim_requested:
                self._claim_requested = False
                for item_id in await self._claim():
                    self._spawn(item_id)

    async def _claim(self) -> list[str]:
        database = self.context.database
        try:
            async with database.session() as session:
                ids = await claim_due(
                    session,
                    self.owner,
                    self.context.clock.now(),
                    self.settings.lease_s,
                    self.settings.concurrency,
                    skip_locked=database.is_postgresql,
                )
                await session.commit()
        except Exception:
            log.exception("claiming due work failed")
            return []
        return ids

    def _spawn(self, item: WorkItem | str) -> None:
        task = asyncio.create_task(self._process(item))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, ref: WorkItem | str) -> None:
        item = await self._load(ref) if isinstance(ref, str) else ref
        if item is None:
            return
        # The peer's slot first: an item waiting for a busy peer must not hold a global slot.
        async with self._peer_slot(peer_of(item)), self._semaphore:
            processor = self.processors.get(item.kind)
            if processor is None:
                log.error("no processor for work kind", extra={"kind": item.kind})
                return
            try:
                step = await processor.run(self.context, item)
            except Exception as exc:
                log.exception("work step failed", extra={"item": item.id, "kind": item.kind})
                step = Retry(f"internal error: {type(exc).__name__}")
            if isinstance(step, Retry):
                await self._retry(processor, item, step.reason)

    @asynccontextmanager
    async def _peer_slot(self, peer: str | None) -> AsyncIterator[None]:
        if peer is None:
            yield
            return
        slots = self._peers.get(peer)
        if slots is None:
            slots = self._peers[peer] = _PeerSlots(self.settings.per_peer_concurrency)
        slots.users += 1
        try:
            async with slots.semaphore:
                yield
        finally:
            slots.users -= 1
            if slots.users == 0:
                del self._peers[peer]

    async def _load(self, item_id: str) -> WorkItem | None:
        async with self.context.database.session() as session:
            item = await session.get(WorkItem, item_id)
        if item is None or item.lease_owner != self.owner:
            return None
        return item

    async def _retry(self, processor: Processor, item: WorkItem, reason: str) -> None:
        if item.attempts + 1 >= self.settings.max_attempts:
            log.warning("giving up on work item", extra={"item": item.id, "reason": reason})
            try:
                await processor.give_up(self.context, item, reason)
            except Exception:
                log.exception("give-up failed", extra={"item": item.id})
            return
        delay = backoff_s(item.attempts, self.settings.backoff_base_s, self.settings.backoff_max_s)
        async with self.context.database.session() as session:
            await reschedule(session, item, self.context.clock.now(), delay, reason)
            await session.commit()
        asyncio.get_running_loop().call_later(delay, self.request_claim)
