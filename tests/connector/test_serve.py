"""`carbonspace serve`'s primary server (connector/serve.py)."""

from __future__ import annotations

import gc

import uvicorn

from connector.serve import _PrimaryServer


async def _app(scope, receive, send) -> None:  # a bare ASGI app without lifespan
    if scope["type"] == "lifespan":
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        return


async def test_start_up_heap_is_frozen_out_of_garbage_collection_once_started() -> None:
    # A full collection walks every tracked object; the ~200,000 a node allocates at start-up
    # made that a 100 ms pause of the event loop under load.
    gc.unfreeze()
    config = uvicorn.Config(_app, host="127.0.0.1", port=0, log_config=None, lifespan="on")
    server = _PrimaryServer(config)
    config.load()
    server.lifespan = config.lifespan_class(config)
    try:
        await server.startup()
        assert gc.get_freeze_count() > 0
        assert server.started
    finally:
        await server.shutdown()
        gc.unfreeze()
