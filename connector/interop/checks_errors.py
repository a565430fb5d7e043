"""Error-handling checks: malformed input, unknown processes (DSP 2025-1 HTTPS bindings)."""

from __future__ import annotations

from typing import Any

from connector.interop.checks import _context, _pid, check
from connector.interop.model import CheckFailed
from connector.interop.session import PeerSession, Reply, expect_schema, expect_status


def _error_with_pids(reply: Reply, error_type: str, consumer_pid: str) -> str:
    expect_status(reply, 400)
    body = expect_schema(reply, error_type)
    if body.get("consumerPid") != consumer_pid:
        raise CheckFailed(
            f"consumerPid: expected {consumer_pid!r}, got {body.get('consumerPid')!r}"
        )
    return f"400 {error_type} with both pids"


def _request(consumer_pid: str, **changes: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "@context": _context(),
        "@type": "ContractRequestMessage",
        "consumerPid": consumer_pid,
        "offer": {
            "@type": "Offer",
            "@id": _pid(),
            "target": _pid(),
            "permission": [{"action": "use"}],
        },
        "callbackAddress": "https://interop.invalid/callback",
    }
    message.update(changes)
    return message


@check(
    "negotiation.malformed_json",
    "DSP 2025-1 Negotiation HTTPS binding: Failures (4xx)",
    "malformed JSON to /negotiations/request returns 400",
)
async def malformed_json(s: PeerSession) -> str:
    reply = await s.call("POST", s.url("negotiations/request"), raw="{not json")
    expect_status(reply, 400)
    return "400"


@check(
    "negotiation.wrong_type",
    "DSP 2025-1 Negotiation HTTPS binding: Failures; ContractNegotiationError",
    "a wrong @type returns 400 ContractNegotiationError with both pids",
)
async def wrong_type(s: PeerSession) -> str:
    consumer_pid = _pid()
    message = {
        "@context": _context(),
        "@type": "ContractOfferMessage",
        "consumerPid": consumer_pid,
        "providerPid": _pid(),
    }
    reply = await s.call("POST", s.url("negotiations/request"), raw=_dumps(message))
    return _error_with_pids(reply, "ContractNegotiationError", consumer_pid)


@check(
    "negotiation.missing_fields",
    "DSP 2025-1 Negotiation: ContractRequestMessage schema; Failures",
    "a ContractRequestMessage without offer returns 400 ContractNegotiationError",
)
async def missing_fields(s: PeerSession) -> str:
    consumer_pid = _pid()
    message = _request(consumer_pid)
    del message["offer"]
    reply = await s.call("POST", s.url("negotiations/request"), raw=_dumps(message))
    return _error_with_pids(reply, "ContractNegotiationError", consumer_pid)


@check(
    "transfer.wrong_type",
    "DSP 2025-1 Transfer HTTPS binding: Failures; TransferError",
    "a wrong @type to /transfers/request returns 400 TransferError with both pids",
)
async def transfer_wrong_type(s: PeerSession) -> str:
    consumer_pid = _pid()
    message = {
        "@context": _context(),
        "@type": "TransferStartMessage",
        "consumerPid": consumer_pid,
        "providerPid": _pid(),
    }
    reply = await s.call("POST", s.url("transfers/request"), raw=_dumps(message))
    return _error_with_pids(reply, "TransferError", consumer_pid)


@check(
    "negotiation.unknown",
    "DSP 2025-1 Negotiation HTTPS binding: GET /negotiations/:providerPid (404)",
    "GET /negotiations/<unknown> returns 404",
)
async def unknown_negotiation(s: PeerSession) -> str:
    reply = await s.call("GET", s.url(f"negotiations/{_pid()}"))
    expect_status(reply, 404)
    return "404"


@check(
    "transfer.unknown",
    "DSP 2025-1 Transfer HTTPS binding: GET /transfers/:providerPid (404)",
    "GET /transfers/<unknown> returns 404",
)
async def unknown_transfer(s: PeerSession) -> str:
    reply = await s.call("GET", s.url(f"transfers/{_pid()}"))
    expect_status(reply, 404)
    return "404"


def _dumps(message: dict[str, Any]) -> str:
    import json

    return json.dumps(message)
