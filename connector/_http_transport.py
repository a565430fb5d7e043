"""The node's outbound HTTP transport: httpx's client API over aiohttp's connection pool.

httpcore, httpx's default transport, walks every pooled connection on each request and on each
response close, and asks the kernel whether each idle one is still readable. With the dozens of
connections a node holds to its peers under load, that walk cost a sixth of a node's CPU at 100
concurrent negotiations. aiohttp's connector keeps idle connections per host in a list and
takes one off the end: O(1) per request. The rest of the node keeps httpx's API (and tests
keep swapping in their own transports).
"""

from __future__ import annotations

from collections.abc import Mapping
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
        status, raw_headers, content = await self._exchange(
            request.method,
            str(request.url),
            list(request.headers.multi_items()),
            body or None,
            request.extensions.get("timeout"),
            request,
        )
        headers = [(key.decode("latin-1"), value.decode("latin-1")) for key, value in raw_headers]
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def fetch(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        content: bytes | None,
        timeout: httpx.Timeout,
    ) -> tuple[int, bytes]:
        """Status and body of one request, without httpx's request and response models;
        failures raise the `httpx` exceptions `handle_async_request` raises."""
        status, _, body = await self._exchange(
            method, url, list(headers.items()), content, timeout.as_dict(), None
        )
        return status, body

    async def _exchange(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes | None,
        timeouts: Any,
        request: httpx.Request | None,
    ) -> tuple[int, Any, bytes]:
        try:
            async with self._client().request(
                method,
                url,
                headers=headers,
                data=body,
                allow_redirects=False,
                timeout=_timeout(timeouts),
            ) as response:
                return response.status, response.raw_headers, await response.read()
        except TimeoutError as exc:
            raise httpx.TimeoutException(f"timed out: {exc}", request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.ReadError(f"{type(exc).__name__}: {exc}", request=request) from exc

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


class PeerClient(httpx.AsyncClient):
    """The node's outbound client: httpx's API over an `AiohttpTransport`, plus `fetch`, the
    same request without httpx's request/response models and client bookkeeping (URL
    parsing, cookie extraction, redirect and auth hooks). DSP messages take `fetch`: httpx's
    bookkeeping cost as much CPU as aiohttp's own sending."""

    def __init__(self, transport: AiohttpTransport, timeout: httpx.Timeout) -> None:
        super().__init__(transport=transport, timeout=timeout)
        self._peer_transport = transport

    async def fetch(
        self, method: str, url: str, headers: Mapping[str, str], content: bytes | None
    ) -> tuple[int, bytes]:
        """Status and body; failures raise `httpx.HTTPError` subclasses."""
        return await self._peer_transport.fetch(method, url, headers, content, self.timeout)
