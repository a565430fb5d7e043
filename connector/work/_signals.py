"""In-process change signals: a waiter (e.g. the consumer waiting for FINALIZED) is woken the
moment a committed transition touches its process; no polling."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from connector.context import NodeContext

T = TypeVar("T")

_SERVICE = "work.signals"


class Signals:
    """Keyed events; `notify(key)` wakes every current waiter on `key`."""

    def __init__(self) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._hints: dict[int, str | None] = {}

    def notify(self, key: str, hint: str | None = None) -> None:
        """Wake the waiters on `key`; `hint` (e.g. the new state) lets a waiter skip a
        re-check that cannot succeed."""
        for event in self._waiters.pop(key, set()):
            self._hints[id(event)] = hint
            event.set()

    async def wait_until(
        self,
        key: str,
        check: Callable[[], Awaitable[T | None]],
        timeout_s: float,
        relevant: Callable[[str], bool] | None = None,
    ) -> T | None:
        """Return `check()` as soon as it is not None, re-checking on every signal for `key`
        (only on signals whose hint is `relevant`, when given); None when `timeout_s` passes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        skip_check = False
        while True:
            event = asyncio.Event()
            self._waiters[key].add(event)
            try:
                result = None if skip_check else await check()
                if result is not None:
                    return result
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return None
                try:
                    await asyncio.wait_for(event.wait(), timeout=remaining)
                except TimeoutError:
                    return await check()
                hint = self._hints.pop(id(event), None)
                skip_check = hint is not None and relevant is not None and not relevant(hint)
            finally:
                waiters = self._waiters.get(key)
                if waiters is not None:
                    waiters.discard(event)
                    if not waiters:
                        self._waiters.pop(key, None)


def signals(context: NodeContext) -> Signals:
    """The node's signals (created on first use)."""
    existing = context.services.get(_SERVICE)
    if existing is None:
        existing = Signals()
        context.services[_SERVICE] = existing
    assert isinstance(existing, Signals)
    return existing
