"""AAS API throughput: GET of one CarbonFootprint submodel through the node's AAS API
(`/api/aas/submodels/{id}` with X-Api-Key: middleware, key check, database read, stored bytes)
against a bare FastAPI endpoint that returns the same bytes, both in this process and driven
through httpx's ASGI transport (no sockets, so the figure is the server-side cost per request).

A fresh node (temporary SQLite database) imports docs/examples/products.json first. Prints:

    RESULT submodel_gets_per_s=<node GETs per second>
    RESULT bare_gets_per_s=<bare endpoint GETs per second>
    RESULT submodel_vs_bare=<node / bare>
"""

from __future__ import annotations

import asyncio
import base64
import sys
import tempfile
import time
from pathlib import Path

# benchmarks/calc.py is named like the `calc` package: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import httpx  # noqa: E402
from asgi_lifespan import LifespanManager  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from starlette.responses import Response  # noqa: E402

from connector.app import create_app  # noqa: E402
from connector.identity import init_node  # noqa: E402
from connector.products.service import get_submodel_json, import_file  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "products.json"
SUBMODEL = "urn:carbonspace:127.0.0.1%3A8080:sm:cf:HRC-2MM"
DURATION_S = 8.0
WARMUP = 200
CONCURRENCY = 8


def bare_app(body: bytes) -> FastAPI:
    app = FastAPI()

    @app.get("/submodels/{identifier}")
    async def submodel(identifier: str) -> Response:
        return Response(body, media_type="application/json")

    return app


async def rate(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> float:
    """GETs per second with CONCURRENCY workers for DURATION_S (after a warm-up)."""
    for _ in range(WARMUP):
        assert (await client.get(url, headers=headers)).status_code == 200
    done = 0
    deadline = time.perf_counter() + DURATION_S

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            response = await client.get(url, headers=headers)
            assert response.status_code == 200
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return done / (time.perf_counter() - start)


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = init_node(Path(scratch) / "node", name="bench", url="http://127.0.0.1:8080")
        key = settings.management.api_key
        app = create_app(settings)
        async with LifespanManager(app):
            context = app.state.node
            assert (await import_file(context, EXAMPLE.read_bytes(), "products.json")).value
            body = (await get_submodel_json(context, SUBMODEL) or "").encode()
            encoded = base64.urlsafe_b64encode(SUBMODEL.encode()).decode().rstrip("=")
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
                node_rate = await rate(client, f"/api/aas/submodels/{encoded}", {"X-Api-Key": key})
                check = await client.get(
                    f"/api/aas/submodels/{encoded}", headers={"X-Api-Key": key}
                )
                assert check.content == body
            bare = httpx.ASGITransport(app=bare_app(body))
            async with httpx.AsyncClient(transport=bare, base_url="http://bare") as client:
                bare_rate = await rate(client, f"/submodels/{encoded}", {})
    print(f"RESULT submodel_gets_per_s={node_rate:.0f}")
    print(f"RESULT bare_gets_per_s={bare_rate:.0f}")
    print(f"RESULT submodel_vs_bare={node_rate / bare_rate:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
