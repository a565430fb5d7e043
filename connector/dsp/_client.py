"""Sending DSP messages to a peer: JSON body, DCP `Authorization` header for the peer's DID,
the node's one pooled HTTP client. Callers classify the reply (retry or give up)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from connector._http_transport import PeerClient

if TYPE_CHECKING:
    from connector.context import NodeContext

log = logging.getLogger("carbonspace.dsp")

# Statuses that may pass: the peer does not know the process yet (callback racing the
# response, shared/reference/dsp.md pitfall 8), overload, or a server error.
_RETRYABLE = frozenset({404, 408, 409, 425, 429})


@dataclass(frozen=True)
class PeerReply:
    """A peer's answer; `status` 0 means no answer (connection refused, timeout)."""

    status: int
    body: Any
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status in _RETRYABLE or self.status >= 500

    def describe(self) -> str:
        if self.status == 0:
            return f"peer unreachable: {self.error}"
        reason = self.body.get("reason") if isinstance(self.body, dict) else None
        return f"peer answered {self.status}" + (f": {reason}" if reason else "")


def join_url(base: str, *parts: str) -> str:
    """`base` + `/part/...`, tolerating a trailing `/` on the base (DSP callbackAddress)."""
    return "/".join([base.rstrip("/"), *(part.strip("/") for part in parts)])


async def send_message(
    context: NodeContext,
    method: str,
    url: str,
    audience_did: str,
    message: dict[str, Any] | None = None,
) -> PeerReply:
    """Send one DSP request; never raises for network or HTTP errors."""
    identity = context.service("identity")
    headers = dict(await identity.outbound_headers(audience_did))
    content: bytes | None = None
    if message is not None:
        headers["Content-Type"] = "application/json"
        content = json.dumps(message, separators=(",", ":")).encode()
    try:
        status, raw = await _send(context.http, method, url, headers, content)
    except httpx.HTTPError as exc:
        log.info("DSP peer unreachable", extra={"url": url, "error": type(exc).__name__})
        return PeerReply(0, None, f"{type(exc).__name__}: {exc}"[:300])
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    return PeerReply(status, body)


async def _send(
    http: httpx.AsyncClient, method: str, url: str, headers: dict[str, str], content: bytes | None
) -> tuple[int, bytes]:
    """The node's own client sends straight through its pool (`PeerClient.fetch`); a client
    put in its place (in-process peers in tests) through httpx's API."""
    if isinstance(http, PeerClient):
        return await http.fetch(method, url, headers, content)
    response = await http.request(method, url, content=content, headers=headers)
    return response.status_code, response.content
