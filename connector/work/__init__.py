"""Durable background work: the one work loop per node, its leased queue, and in-process change
signals. Features enqueue a step in the transaction that records a state change and hand it
to the loop right after the commit (`enqueue` + `dispatch`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from connector.work._loop import Done, Processor, Retry, Step, WorkLoop
from connector.work._queue import (
    LeaseLostError,
    as_utc,
    backoff_s,
    finish,
    new_item,
    prepared,
    prepared_send,
)
from connector.work._signals import Signals, signals
from connector.work.models import WorkItem

if TYPE_CHECKING:
    from datetime import datetime

    from connector.context import NodeContext
    from connector.db import AnyTransaction

__all__ = [
    "PROCESSORS_KEY",
    "Done",
    "LeaseLostError",
    "Processor",
    "Retry",
    "Signals",
    "Step",
    "WorkItem",
    "WorkLoop",
    "as_utc",
    "backoff_s",
    "dispatch",
    "enqueue",
    "finish",
    "prepared",
    "prepared_send",
    "register_processor",
    "signals",
]

PROCESSORS_KEY = "work.processors"


def register_processor(context: NodeContext, kind: str, processor: Processor) -> None:
    """Called from a feature's `on_startup` (before the work loop starts)."""
    context.services.setdefault(PROCESSORS_KEY, {})[kind] = processor


def _loop(context: NodeContext) -> WorkLoop | None:
    loop = context.services.get("work")
    return loop if isinstance(loop, WorkLoop) and loop.running else None


def enqueue(
    context: NodeContext,
    session: AnyTransaction,
    kind: str,
    subject_id: str,
    action: str,
    payload: dict[str, Any] | None = None,
    due_at: datetime | None = None,
) -> WorkItem:
    """Add a step to the caller's transaction (a session or a `Unit`), leased to this node's
    loop when it runs. A step `due_at` a later time is left to the sweep, which claims it then
    (on whichever replica runs; it survives restarts like any item)."""
    loop = _loop(context) if due_at is None else None
    item = new_item(
        kind,
        subject_id,
        action,
        context.clock.now(),
        payload=payload,
        owner=loop.owner if loop else None,
        lease_s=context.settings.work.lease_s,
        due_at=due_at,
    )
    session.add(item)
    return item


def dispatch(context: NodeContext, items: Iterable[WorkItem]) -> None:
    """After the commit: run the enqueued items now (no-op when the loop is not running)."""
    loop = _loop(context)
    if loop is not None:
        loop.submit(item for item in items if item.lease_owner == loop.owner)
