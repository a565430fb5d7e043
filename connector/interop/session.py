"""The harness's view of the peer: an HTTP client that records evidence for each call."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from connector.dsp import join_url, schema_problems
from connector.interop.model import CheckFailed, Evidence

_EXCERPT = 400

Authorizer = Callable[[], Awaitable[dict[str, str]]]


@dataclass
class Reply:
    status: int
    body: Any
    text: str


@dataclass
class PeerSession:
    """One run against one peer. `authorize` mints a fresh DCP token header for each call
    (peers refuse a replayed token)."""

    base_url: str
    client: httpx.AsyncClient
    authorize: Authorizer
    peer_did: str = ""
    offer_id: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return join_url(self.base_url, path.lstrip("/"))

    async def call(
        self,
        method: str,
        url: str,
        body: Any = None,
        *,
        raw: str | None = None,
        auth: bool = True,
    ) -> Reply:
        headers = dict(await self.authorize()) if auth else {}
        content: str | None = raw
        if body is not None:
            check_outbound(body)
            content = json.dumps(body)
        if content is not None:
            headers["Content-Type"] = "application/json"
        response = await self.client.request(method, url, content=content, headers=headers)
        text = response.text
        try:
            parsed: Any = response.json()
        except ValueError:
            parsed = None
        self.evidence.append(Evidence(f"{method} {url}", response.status_code, text[:_EXCERPT]))
        return Reply(response.status_code, parsed, text)


def check_outbound(message: Any) -> None:
    """A harness must itself be correct: every DSP message we send is schema-valid."""
    message_type = message.get("@type") if isinstance(message, dict) else None
    if not isinstance(message_type, str):
        return
    try:
        problems = schema_problems(message, message_type)
    except KeyError:
        return
    if problems:
        raise CheckFailed(f"harness bug: outbound {message_type} invalid: {problems[0]}")


def expect_status(reply: Reply, *wanted: int) -> None:
    if reply.status not in wanted:
        raise CheckFailed(f"expected HTTP {' or '.join(map(str, wanted))}, got {reply.status}")


def expect_schema(reply: Reply, message_type: str) -> dict[str, Any]:
    body = reply.body
    if not isinstance(body, dict):
        raise CheckFailed(f"expected a JSON object ({message_type}), got {reply.text[:80]!r}")
    if body.get("@type") != message_type:
        raise CheckFailed(f"@type: expected {message_type}, got {body.get('@type')!r}")
    problems = schema_problems(body, message_type)
    if problems:
        raise CheckFailed(f"{message_type} not schema-valid: {problems[0]}")
    return body
