"""Handlers of inbound contract negotiation messages, both roles (DSP 2025-1 "Contract
Negotiation Protocol"; shared/reference/dsp.md §3.3, §5, §8). One transaction each: load the row
`FOR UPDATE`, check the sender and the pids, check the move against the state table (a duplicate
of an applied message is acknowledged without change), apply, enqueue the next step, commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from catalog import parse_offer_id
from connector.db import Unit
from connector.dsp import check_pids, join_url
from connector.negotiation import _branch, _counter, _policy, _store
from connector.negotiation._store import retry_stale
from connector.negotiation.models import AgreementRow, NegotiationRow
from connector.negotiation.processors import agree_now
from connector.negotiation.schemas import (
    agreement_verification,
    contract_negotiation,
    negotiation_event,
)
from connector.negotiation.service import KIND
from connector.negotiation.states import (
    NegotiationMessage,
    NegotiationState,
    Role,
    received_move,
    sent_move,
)
from connector.outcome import Failure, Ok, bad_request, not_found
from connector.work import WorkItem, enqueue

if TYPE_CHECKING:
    from connector.context import NodeContext

_M = NegotiationMessage
_S = NegotiationState

# Where a repeated message leaves us unchanged (peers retry after a lost ACK or a crash);
# `_is_duplicate` also checks that it is the same message (same agreement / offer id).
_DUPLICATE_STATES: dict[NegotiationMessage, frozenset[NegotiationState]] = {
    _M.AGREEMENT: frozenset({_S.AGREED, _S.VERIFIED, _S.FINALIZED}),
    _M.VERIFICATION: frozenset({_S.VERIFIED, _S.FINALIZED}),
    _M.FINALIZED_EVENT: frozenset({_S.FINALIZED}),
    _M.ACCEPTED_EVENT: frozenset({_S.ACCEPTED, _S.AGREED, _S.VERIFIED}),
    _M.OFFER: frozenset({_S.OFFERED, _S.ACCEPTED}),
    _M.REQUEST: frozenset({_S.REQUESTED, _S.OFFERED, _S.AGREED}),
}


# The message this node sends next, recorded with the one that triggers it.
_FOLLOW_UP: dict[NegotiationMessage, NegotiationMessage] = {
    _M.AGREEMENT: _M.VERIFICATION,
    _M.VERIFICATION: _M.FINALIZED_EVENT,
}


@dataclass(frozen=True)
class Reply:
    """What the DSP endpoint answers: a status and a body (None: empty 200)."""

    status: int
    body: dict[str, Any] | None = None


def ack(row: NegotiationRow) -> dict[str, Any]:
    return contract_negotiation(row.provider_pid or "", row.consumer_pid, row.state)


async def negotiation_for_peer(
    context: NodeContext, participant: Any, pid: str
) -> Ok[Reply] | Failure:
    """GET /negotiations/:pid: only the counterparty may see it (else 404)."""
    row = await _store.row_for_peer(context, NegotiationRow, participant, pid)
    if row is None:
        return not_found(f"negotiation {pid} not found")
    return Ok(Reply(200, ack(row)))


async def on_initial_request(
    context: NodeContext, participant: Any, message: dict[str, Any]
) -> Ok[Reply] | Failure:
    """Provider: POST /negotiations/request. Idempotent per (requester, consumerPid)."""
    if "providerPid" in message:
        return bad_request(
            "providerPid: a counter-offer goes to /negotiations/:providerPid/request"
        )
    callback = message["callbackAddress"]
    if not callback.startswith(("http://", "https://")):
        return bad_request("callbackAddress: must be an http(s) URL")
    # A repeated request is not looked up first (a query on every request for the rare
    # repeat): its insert meets the unique (role, requester, consumerPid) and is answered with
    # the stored negotiation's ACK; so is a repeat whose offer no longer resolves.
    resolved = await _policy.resolve_offer(context, participant, message["offer"])
    if isinstance(resolved, Failure):
        existing = await _requested_before(context, participant, message["consumerPid"])
        if existing is not None:
            return Ok(Reply(201, ack(existing)))
        return bad_request(f"offer.@id: {resolved.detail}", *resolved.details)
    decision = _decide(context, participant, message, resolved.value)
    return await _create_provider_row(context, participant, message, resolved.value, decision)


async def _requested_before(
    context: NodeContext, participant: Any, consumer_pid: str
) -> NegotiationRow | None:
    return await _store.by_consumer_pid(
        context, NegotiationRow, Role.PROVIDER, participant, consumer_pid
    )


def _decide(
    context: NodeContext, participant: Any, message: dict[str, Any], resolved: Any
) -> _policy.Verdict:
    """Offer tampering, then the contract policy in scope contract.negotiation."""
    matched = _policy.check_request(
        resolved.policy,
        message["offer"],
        resolved.asset_id,
        context.settings.node.did,
        message.get("@context"),
    )
    if not matched.allowed:
        return matched
    return _policy.evaluate_for(
        resolved.policy, _policy.NEGOTIATION, participant, context.clock.now()
    )


def _provider_row(
    context: NodeContext, participant: Any, message: dict[str, Any], resolved: Any
) -> NegotiationRow:
    """A provider negotiation in REQUESTED; its offer is our policy as offered (compact)."""
    from policies import to_dsp

    now = context.clock.now()
    pid = _store.new_pid()
    offer = to_dsp(resolved.policy, catenax_terms=False)
    offer.update({"@id": message["offer"]["@id"], "@type": "Offer", "target": resolved.asset_id})
    return NegotiationRow(
        id=pid,
        role=Role.PROVIDER,
        state=_S.REQUESTED,
        counterparty_id=participant.did,
        counterparty_address=message["callbackAddress"].rstrip("/"),
        consumer_pid=message["consumerPid"],
        provider_pid=pid,
        offer_id=message["offer"]["@id"],
        asset_id=resolved.asset_id,
        offer=offer,
        contract_definition_id=resolved.contract_definition_id,
        created_at=now,
        updated_at=now,
    )


async def _create_provider_row(
    context: NodeContext,
    participant: Any,
    message: dict[str, Any],
    resolved: Any,
    decision: _policy.Verdict,
) -> Ok[Reply] | Failure:
    row = _provider_row(context, participant, message, resolved)
    pid = row.id
    try:
        async with context.database.unit() as unit:
            unit.add(row)
            if decision.allowed:
                # Our next move is decided now: record it with the request (one commit); the
                # work loop sends the agreement right after. The ACK still reads REQUESTED.
                item = agree_now(context, unit, row)
            else:
                reason = "; ".join(decision.reasons) or "policy denied"
                item = enqueue(context, unit, KIND, pid, "terminate", {"reason": reason})
            await _store.commit_and_dispatch(context, unit, [item], [pid])
    except IntegrityError:
        existing = await _requested_before(context, participant, row.consumer_pid)
        if existing is None:
            raise
        return Ok(Reply(201, ack(existing)))
    return Ok(Reply(201, contract_negotiation(pid, row.consumer_pid, _S.REQUESTED)))


async def on_initial_offer(
    context: NodeContext, participant: Any, message: dict[str, Any]
) -> Ok[Reply] | Failure:
    """Consumer: POST /negotiations/offers (provider-initiated negotiation) -> OFFERED, held for
    the operator. Idempotent per (provider, providerPid)."""
    if "consumerPid" in message:
        return bad_request("consumerPid: an offer in a running negotiation goes to .../offers")
    if not message["callbackAddress"].startswith(("http://", "https://")):
        return bad_request("callbackAddress: must be an http(s) URL")
    offer = message["offer"]
    problems = _counter.offer_problems(offer, message.get("@context"), None, participant.did)
    if not isinstance(offer.get("target"), str):
        problems.insert(0, "offer.target: required")
    if problems:
        return bad_request("the offer cannot be considered", *problems)
    async with context.database.session() as session:
        existing = await _offered_by(session, participant, message["providerPid"])
        if existing is not None:
            return Ok(Reply(201, ack(existing)))
        row = _offered_row(context, participant, message)
        session.add(row)
        await _store.commit_and_dispatch(context, session, [], [row.id])
    return Ok(Reply(201, ack(row)))


async def _offered_by(
    session: AsyncSession, participant: Any, provider_pid: str
) -> NegotiationRow | None:
    statement = select(NegotiationRow).where(
        col(NegotiationRow.role) == Role.CONSUMER,
        col(NegotiationRow.counterparty_id) == participant.did,
        col(NegotiationRow.provider_pid) == provider_pid,
    )
    row: NegotiationRow | None = (await session.exec(statement)).first()
    return row


def _offered_row(context: NodeContext, participant: Any, message: dict[str, Any]) -> NegotiationRow:
    now = context.clock.now()
    pid = _store.new_pid()
    offer = message["offer"]
    return NegotiationRow(
        id=pid,
        role=Role.CONSUMER,
        state=_S.OFFERED,
        counterparty_id=participant.did,
        counterparty_address=message["callbackAddress"].rstrip("/"),
        consumer_pid=pid,
        provider_pid=message["providerPid"],
        offer_id=offer["@id"],
        asset_id=offer["target"],
        offer=offer,
        created_at=now,
        updated_at=now,
    )


@retry_stale
async def on_message(
    context: NodeContext,
    participant: Any,
    pid: str,
    kind: NegotiationMessage,
    message: dict[str, Any],
) -> Ok[Reply] | Failure:
    """Any message addressed to an existing negotiation, provider or consumer side."""
    async with context.database.unit() as unit:
        row = await unit.get(NegotiationRow, pid, for_update=True)
        if row is None or row.counterparty_id != participant.did:
            return not_found(f"negotiation {pid} not found")
        if row.role == Role.PROVIDER and row.consumer_pid == row.id:
            # A provider-initiated negotiation whose 201 ACK we have not processed yet: the
            # authenticated consumer's message tells us its pid.
            row.consumer_pid = str(message.get("consumerPid"))
        problem = check_pids(row, message)
        if problem is not None:
            return problem
        state = NegotiationState(row.state)
        if _is_duplicate(row, kind, message):
            return Ok(Reply(200))
        new_state = received_move(Role(row.role), state, kind)
        if new_state is None:
            return bad_request(f"{kind.value} is not allowed in state {state} ({row.role})")
        row.state = new_state
        applied = await _apply(context, unit, row, participant, kind, message)
        if isinstance(applied, Failure):
            return applied
        follow = _FOLLOW_UP.get(kind)
        if follow is not None:  # our answer is decided: record it in the same commit
            row.state = sent_move(Role(row.role), new_state, follow) or new_state
        row.updated_at = context.clock.now()
        await unit.save(row)
        await _store.commit_and_dispatch(context, unit, applied, [row.id])
    return Ok(Reply(200))


def _is_duplicate(row: NegotiationRow, kind: NegotiationMessage, message: dict[str, Any]) -> bool:
    """A repeat of a message already applied: same agreement, same offer, an ACCEPTED after
    our offer was accepted (never for a negotiation that was not OFFERED)."""
    if row.state not in _DUPLICATE_STATES.get(kind, ()):
        return False
    if kind is _M.AGREEMENT:
        return bool(message["agreement"].get("@id") == row.agreement_id)
    if kind is _M.REQUEST and row.state == _S.OFFERED:  # we offered back to this counter?
        return row.offer_id == _branch.our_offer_id(row, answering=str(message["offer"].get("@id")))
    if kind is _M.REQUEST and row.state != _S.REQUESTED and parse_offer_id(row.offer_id):
        return False  # AGREED on an initial request (a catalog offer id), not on a counter
    if kind in (_M.OFFER, _M.REQUEST):
        return bool(message["offer"].get("@id") == row.offer_id)
    if kind is _M.ACCEPTED_EVENT:
        return row.role == Role.PROVIDER and _branch.is_our_offer(row)
    return True


async def _apply(
    context: NodeContext,
    unit: Unit,
    row: NegotiationRow,
    participant: Any,
    kind: NegotiationMessage,
    message: dict[str, Any],
) -> list[WorkItem] | Failure:
    """The effect of an allowed move (`row.state` is already the new state; the branch
    handlers may record our answer's state too); the work it starts."""
    if kind is _M.AGREEMENT:
        return _accept_agreement(context, unit, row, message)
    if kind is _M.VERIFICATION:
        url = join_url(row.counterparty_address, "negotiations", row.consumer_pid, "events")
        event = negotiation_event(row.id, row.consumer_pid, "FINALIZED")
        payload = _store.prepared(url, row.counterparty_id, event)
        return [enqueue(context, unit, KIND, row.id, "finalize", payload)]
    if kind is _M.ACCEPTED_EVENT:
        return _branch.on_accepted(context, unit, row, participant)
    if kind is _M.OFFER:
        return _branch.on_offer(context, unit, row, message)
    if kind is _M.REQUEST:
        return await _branch.on_counter_request(context, unit, row, participant, message)
    if kind is _M.FINALIZED_EVENT and row.agreement_id is None:
        return bad_request("FINALIZED: no agreement was received for this negotiation")
    if kind is _M.TERMINATION:
        reasons = "; ".join(str(reason) for reason in message.get("reason", ()))
        row.error_detail = f"terminated by the counterparty ({message.get('code', '')}): {reasons}"
    return []


def _accept_agreement(
    context: NodeContext, unit: Unit, row: NegotiationRow, message: dict[str, Any]
) -> list[WorkItem] | Failure:
    """Consumer: the agreement must be the offer we asked for, between the right parties."""
    agreement = message["agreement"]
    problems = _agreement_problems(context, row, agreement, message.get("@context"))
    if problems:
        return bad_request("the agreement does not match the requested offer", *problems)
    unit.add(
        AgreementRow(
            id=agreement["@id"],
            negotiation_id=row.id,
            provider_id=row.counterparty_id,
            consumer_id=context.settings.node.did,
            asset_id=row.asset_id,
            policy=agreement,
            signed_at=_timestamp(agreement.get("timestamp")) or context.clock.now(),
        )
    )
    row.agreement_id = agreement["@id"]
    row.provider_pid = row.provider_pid or message["providerPid"]
    url = join_url(
        row.counterparty_address, "negotiations", row.provider_pid, "agreement", "verification"
    )
    verification = agreement_verification(row.provider_pid, row.consumer_pid)
    payload = _store.prepared(url, row.counterparty_id, verification)
    return [enqueue(context, unit, KIND, row.id, "verify", payload)]


def _agreement_problems(
    context: NodeContext, row: NegotiationRow, agreement: dict[str, Any], message_context: Any
) -> list[str]:
    problems = []
    if agreement.get("target") != row.asset_id:
        problems.append(f"agreement.target: {agreement.get('target')}, expected {row.asset_id}")
    if agreement.get("assignee") != context.settings.node.did:
        problems.append(f"agreement.assignee: {agreement.get('assignee')} is not this node")
    if agreement.get("assigner") != row.counterparty_id:
        problems.append(f"agreement.assigner: {agreement.get('assigner')} is not the provider")
    offered = _policy.read_policy(row.offer)
    agreed = _policy.read_policy(agreement, message_context)
    if offered is None or agreed is None:
        problems.append("agreement: not a readable ODRL policy")
    else:
        from policies import match_offer

        result = match_offer(offered, agreed, target=row.asset_id, assigner=row.counterparty_id)
        problems.extend(result.reasons)
    return problems


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
