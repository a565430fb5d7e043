"""Starts and stops the node's work loop (the last feature to start, the first to stop)."""

from __future__ import annotations

from connector.context import NodeContext
from connector.work import PROCESSORS_KEY, WorkLoop


async def on_startup(context: NodeContext) -> None:
    loop = WorkLoop(context, context.services.get(PROCESSORS_KEY, {}))
    context.services["work"] = loop
    loop.start()


async def on_shutdown(context: NodeContext) -> None:
    loop = context.services.get("work")
    if isinstance(loop, WorkLoop):
        await loop.stop()
