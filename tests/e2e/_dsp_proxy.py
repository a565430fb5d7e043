"""A loopback HTTP proxy in front of a node for e2e tests: peers reach the node only through it
(the node's configured URL is the proxy's), and a test can make chosen paths fail with 503 (a
peer that is down for those messages) and count how often they were tried."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class NodeProxy:
    """Forwards 127.0.0.1:port -> 127.0.0.1:target_port unless the path contains a blocked
    fragment."""

    def __init__(self, port: int, target_port: int) -> None:
        self.port = port
        self.target = f"http://127.0.0.1:{target_port}"
        self.blocked: set[str] = set()
        self.refused: Counter[str] = Counter()
        self.messages: list[bytes] = []  # DSP request and answer bodies that passed through
        self._client = httpx.Client(timeout=30.0)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def _forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                hit = next((b for b in proxy.blocked if b in self.path), None)
                if hit is not None:
                    proxy.refused[hit] += 1
                    self._answer(503, b'{"error": "blocked by test proxy"}', {})
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                try:
                    reply = proxy._client.request(
                        self.command, proxy.target + self.path, content=body, headers=headers
                    )
                except httpx.HTTPError:
                    self._answer(502, b'{"error": "node down"}', {})
                    return
                if "/api/dsp/" in self.path:
                    proxy.messages.extend(part for part in (body, reply.content) if part)
                kept = {
                    k: v
                    for k, v in reply.headers.items()
                    if k.lower() not in HOP_HEADERS and k.lower() != "content-encoding"
                }
                self._answer(reply.status_code, reply.content, kept)

            def _answer(self, status: int, content: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "content-type" not in {k.lower() for k in headers}:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        return Handler

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()
