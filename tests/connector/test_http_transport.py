"""The node's outbound transport (connector/_http_transport.py): httpx's API over aiohttp, against
a real server on loopback. What callers rely on: requests arrive as sent, answers come back
as httpx responses (decoded, redirects not followed), connections are reused, and every
network failure is an `httpx.HTTPError` (send_message turns those into 'peer unreachable').
`PeerClient.fetch`, the DSP messages' path around httpx's models, keeps the same promises."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from connector._http_transport import AiohttpTransport, PeerClient


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    seen: list[dict[str, object]] = []

    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        peer = request.transport.get_extra_info("peername") if request.transport else None
        seen.append({"peer": peer, "method": request.method, "headers": dict(request.headers)})
        answer = {"method": request.method, "body": body.decode(), "query": request.query_string}
        return web.json_response(answer, status=201, headers={"X-Answer": "yes"})

    async def gzipped(_request: web.Request) -> web.Response:
        return web.Response(
            body=gzip.compress(b'{"packed": true}'),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    async def moved(_request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "/echo"})

    async def slow(_request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.Response(text="late")

    async def hang_up(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": "1000"})
        await response.prepare(request)
        await response.write(b"partial")
        assert request.transport is not None
        request.transport.close()
        return response

    app = web.Application()
    app.router.add_route("*", "/echo", echo)
    app.router.add_get("/gzip", gzipped)
    app.router.add_get("/moved", moved)
    app.router.add_get("/slow", slow)
    app.router.add_get("/hang-up", hang_up)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=AiohttpTransport(10, 4.0), timeout=httpx.Timeout(2.0)
    ) as http:
        yield http


async def test_request_arrives_as_sent_and_answer_comes_back_whole(server, client) -> None:
    base, seen = server
    response = await client.post(
        base + "/echo?x=1",
        content=json.dumps({"a": 1}).encode(),
        headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
    )
    assert response.status_code == 201
    assert response.headers["x-answer"] == "yes"
    assert response.json() == {"method": "POST", "body": '{"a": 1}', "query": "x=1"}
    assert seen[0]["headers"]["Authorization"] == "Bearer t"  # type: ignore[index]


async def test_compressed_answer_is_decoded(server, client) -> None:
    base, _ = server
    response = await client.get(base + "/gzip")
    assert response.json() == {"packed": True}


async def test_redirect_is_returned_not_followed(server, client) -> None:
    base, seen = server
    response = await client.get(base + "/moved")
    assert response.status_code == 302
    assert response.headers["location"] == "/echo"
    assert seen == []


async def test_sequential_requests_reuse_one_connection(server, client) -> None:
    base, seen = server
    for _ in range(3):
        assert (await client.get(base + "/echo")).status_code == 201
    assert len({str(entry["peer"]) for entry in seen}) == 1


async def test_refused_connection_is_a_connect_error(client) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(httpx.ConnectError):
        await client.get(f"http://127.0.0.1:{port}/")


async def test_slow_answer_is_a_timeout(server) -> None:
    base, _ = server
    async with httpx.AsyncClient(
        transport=AiohttpTransport(10, 4.0), timeout=httpx.Timeout(0.3)
    ) as http:
        with pytest.raises(httpx.TimeoutException):
            await http.get(base + "/slow")


async def test_connection_dropped_mid_answer_is_an_http_error(server, client) -> None:
    base, _ = server
    with pytest.raises(httpx.HTTPError):
        await client.get(base + "/hang-up")


@pytest.fixture
async def peer() -> AsyncIterator[PeerClient]:
    async with PeerClient(AiohttpTransport(10, 4.0), httpx.Timeout(0.3)) as http:
        yield http


async def test_fetch_sends_as_sent_and_shares_the_pool_with_the_httpx_api(server, peer) -> None:
    base, seen = server
    status, body = await peer.fetch(
        "POST", base + "/echo", {"Authorization": "Bearer t"}, b'{"a": 1}'
    )
    assert (status, json.loads(body)) == (201, {"method": "POST", "body": '{"a": 1}', "query": ""})
    assert seen[0]["headers"]["Authorization"] == "Bearer t"  # type: ignore[index]
    assert (await peer.get(base + "/echo")).status_code == 201
    assert (await peer.fetch("GET", base + "/moved", {}, None))[0] == 302
    assert len({str(entry["peer"]) for entry in seen}) == 1


@pytest.mark.parametrize(
    ("path", "error"),
    [(None, httpx.ConnectError), ("/slow", httpx.TimeoutException), ("/hang-up", httpx.HTTPError)],
)
async def test_fetch_failure_is_an_httpx_error(server, peer, path, error) -> None:
    base, _ = server
    if path is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base, path = f"http://127.0.0.1:{probe.getsockname()[1]}", "/"
    with pytest.raises(error):
        await peer.fetch("GET", base + path, {}, None)
