"""The node's outbound HTTP transport: httpx's client API over aiohttp's connection pool.

httpcore, httpx's default transport, walks every pooled connection on each request and on each
response close, and asks the kernel whether each idle one is still readable. With the dozens of
connections a node holds to its peers under load, that walk cost a sixth of a node's CPU at 100
concurrent negotiations. aiohttp's connector keeps idle connections per host in a list and
takes one off the end: O(1) per request. The rest of the node keeps httpx's API (and tests
keep swapping in their own transports).
"""

from __future__ import annotations

from typing import Any

import aiohttp
import httpx


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An `httpx.AsyncBaseTransport` sending through one `aiohttp.ClientSession`."""

    def __init__(self, max_connections: int, keepalive_expiry_s: float) -> None:
        self._max_connections = max_connections
        self._keepalive_expiry_s = keepalive_expiry_s
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Created on first use: a ClientSession binds to the running event loop.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._max_connections,
                keepalive_timeout=self._keepalive_expiry_s,
                ttl_dns_cache=60,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,  # httpx decodes Content-Encoding itself
                skip_auto_headers=("User-Agent", "Accept-Encoding"),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        try:
            async with self._client().request(
                request.method,
                str(request.url),
                headers=list(request.headers.multi_items()),
                data=body or None,
                allow_redirects=False,
                timeout=_timeout(request.extensions.get("timeout")),
            ) as response:
                content = await response.read()
                headers = [
                    (key.decode("latin-1"), value.decode("latin-1"))
                    for key, value in response.raw_headers
                ]
                status = response.status
        except TimeoutError as exc:
            raise httpx.TimeoutException(f"timed out: {exc}", request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.ReadError(f"{type(exc).__name__}: {exc}", request=request) from exc
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def _timeout(timeouts: Any) -> aiohttp.ClientTimeout:
    """httpx's per-phase timeouts (`connect`, `read`, ...) as aiohttp's."""
    if not isinstance(timeouts, dict):
        return aiohttp.ClientTimeout(total=None)
    return aiohttp.ClientTimeout(
        total=None,
        sock_connect=timeouts.get("connect"),
        sock_read=timeouts.get("read"),
    )
