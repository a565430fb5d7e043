"""Contract negotiation checks (DSP 2025-1): request, illegal transition, termination,
progress to AGREED/FINALIZED; transfer checks need an agreement and are skipped without one."""

from __future__ import annotations

import asyncio
from typing import Any

from connector.interop.checks import _context, _pid, check
from connector.interop.model import CheckFailed, CheckSkipped
from connector.interop.session import PeerSession, expect_schema, expect_status

_PLACEHOLDER_CALLBACK = "https://interop.invalid/callback"


def _offer_for_request(s: PeerSession) -> dict[str, Any]:
    offer = s.shared.get("offer")
    if not isinstance(offer, dict):
        raise CheckSkipped("no offer: the catalog listed none (or --offer-id was not found)")
    offer = dict(offer)
    offer.setdefault("target", s.shared.get("dataset_id"))
    offer.setdefault("@type", "Offer")
    return offer


async def _start_negotiation(s: PeerSession) -> dict[str, Any]:
    consumer_pid = _pid()
    message = {
        "@context": _context(),
        "@type": "ContractRequestMessage",
        "consumerPid": consumer_pid,
        "offer": _offer_for_request(s),
        "callbackAddress": s.shared.get("callback_url") or _PLACEHOLDER_CALLBACK,
    }
    reply = await s.call("POST", s.url("negotiations/request"), message)
    expect_status(reply, 201)
    body = expect_schema(reply, "ContractNegotiation")
    if body.get("consumerPid") != consumer_pid:
        raise CheckFailed(
            f"consumerPid: expected {consumer_pid!r}, got {body.get('consumerPid')!r}"
        )
    if not body.get("providerPid"):
        raise CheckFailed("providerPid missing")
    return body


async def _state(s: PeerSession, provider_pid: str) -> str:
    reply = await s.call("GET", s.url(f"negotiations/{provider_pid}"))
    expect_status(reply, 200)
    body = expect_schema(reply, "ContractNegotiation")
    return str(body.get("state"))


@check(
    "negotiation.request",
    "DSP 2025-1 Negotiation HTTPS binding: POST /negotiations/request (201)",
    "a ContractRequestMessage for a catalog offer returns 201 ContractNegotiation with both pids",
)
async def negotiation_request(s: PeerSession) -> str:
    body = await _start_negotiation(s)
    s.shared["negotiation"] = body
    return f"{body['state']} providerPid={body['providerPid']}"


@check(
    "negotiation.illegal_transition",
    "DSP 2025-1 Negotiation: state machine; HTTPS binding: Failures (400)",
    "a verification before agreement returns 400 ContractNegotiationError, no state change",
)
async def illegal_transition(s: PeerSession) -> str:
    negotiation = await _start_negotiation(s)
    provider_pid, consumer_pid = negotiation["providerPid"], negotiation["consumerPid"]
    before = await _state(s, provider_pid)
    pids = {"providerPid": provider_pid, "consumerPid": consumer_pid}
    if before in ("REQUESTED", "OFFERED"):
        path = f"negotiations/{provider_pid}/agreement/verification"
        message = {"@context": _context(), "@type": "ContractAgreementVerificationMessage", **pids}
    elif before in ("AGREED", "VERIFIED"):  # ACCEPTED is legal only after OFFERED
        path = f"negotiations/{provider_pid}/events"
        message = {
            "@context": _context(),
            "@type": "ContractNegotiationEventMessage",
            "eventType": "ACCEPTED",
            **pids,
        }
    else:
        raise CheckSkipped(f"the negotiation is {before}; no illegal transition to try")
    reply = await s.call("POST", s.url(path), message)
    expect_status(reply, 400)
    expect_schema(reply, "ContractNegotiationError")
    after = await _state(s, provider_pid)
    if after != before:
        raise CheckFailed(f"state changed from {before} to {after}")
    s.shared["terminable"] = negotiation
    return f"400, state still {after}"


@check(
    "negotiation.termination",
    "DSP 2025-1 Negotiation: ContractNegotiationTerminationMessage",
    "termination of an open negotiation is accepted and the state becomes TERMINATED",
)
async def termination(s: PeerSession) -> str:
    negotiation = s.shared.get("terminable") or await _start_negotiation(s)
    provider_pid, consumer_pid = negotiation["providerPid"], negotiation["consumerPid"]
    message = {
        "@context": _context(),
        "@type": "ContractNegotiationTerminationMessage",
        "providerPid": provider_pid,
        "consumerPid": consumer_pid,
        "code": "interop",
    }
    reply = await s.call("POST", s.url(f"negotiations/{provider_pid}/termination"), message)
    expect_status(reply, 200, 204)
    state = await _state(s, provider_pid)
    if state != "TERMINATED":
        raise CheckFailed(f"state after termination: {state}")
    return "TERMINATED"


@check(
    "negotiation.progress",
    "DSP 2025-1 Negotiation: state machine (AGREED, FINALIZED)",
    "the negotiation from negotiation.request reaches AGREED or FINALIZED",
)
async def progress(s: PeerSession) -> str:
    negotiation = s.shared.get("negotiation")
    if not negotiation:
        raise CheckSkipped("negotiation.request did not pass")
    provider_pid = negotiation["providerPid"]
    state = ""
    for _ in range(60):
        state = await _state(s, provider_pid)
        if state in ("AGREED", "VERIFIED", "FINALIZED"):
            return state
        if state == "TERMINATED":
            break
        await asyncio.sleep(0.5)
    hint = "" if s.shared.get("callback_url") else " (no callback: the peer may wait for one)"
    raise CheckFailed(f"negotiation stayed in {state}{hint}")
