"""Handlers of inbound transfer process messages, both roles (DSP 2025-1 "Transfer Process
Protocol"; shared/reference/dsp.md §3.4, §6). The provider re-checks the agreement at transfer
start: held by the requester, negotiation verified, not revoked, policy allows
`transfer.process`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from connector.assets.models import AssetRow
from connector.db import Unit
from connector.dsp import check_pids
from connector.negotiation import (
    TRANSFER,
    AgreementRow,
    NegotiationRow,
    NegotiationState,
    Reply,
    Role,
    agreement_policy,
    by_consumer_pid,
    commit_and_dispatch,
    evaluate_for,
    new_pid,
    retry_stale,
    row_for_peer,
)
from connector.outcome import Failure, Ok, bad_request, not_found
from connector.transfer._refresh import edr_from_address, store_edr
from connector.transfer.models import TransferRow
from connector.transfer.processors import start_payload
from connector.transfer.schemas import transfer_process
from connector.transfer.service import KIND, SUPPORTED_FORMATS
from connector.transfer.states import TransferMessage, TransferState, received_move
from connector.work import WorkItem, enqueue

if TYPE_CHECKING:
    from connector.context import NodeContext

_M = TransferMessage
_S = TransferState

_DUPLICATE_STATES: dict[TransferMessage, frozenset[TransferState]] = {
    _M.START: frozenset({_S.STARTED}),
    _M.SUSPENSION: frozenset({_S.SUSPENDED}),
    _M.COMPLETION: frozenset({_S.COMPLETED}),
}


def ack(row: TransferRow) -> dict[str, Any]:
    return transfer_process(row.provider_pid or "", row.consumer_pid, row.state)


async def transfer_for_peer(
    context: NodeContext, participant: Any, pid: str
) -> Ok[Reply] | Failure:
    """GET /transfers/:pid: only the counterparty may see it (else 404)."""
    row = await row_for_peer(context, TransferRow, participant, pid)
    if row is None:
        return not_found(f"transfer process {pid} not found")
    return Ok(Reply(200, ack(row)))


async def _usable_agreement(
    context: NodeContext, participant: Any, agreement_id: str
) -> Ok[AgreementRow] | Failure:
    agreement = await context.database.get(AgreementRow, agreement_id)
    if (
        agreement is None
        or agreement.provider_id != context.settings.node.did
        or agreement.consumer_id != participant.did
    ):
        return bad_request(f"agreementId: no agreement {agreement_id} with this participant")
    negotiation = await context.database.get(NegotiationRow, agreement.negotiation_id)
    done = (NegotiationState.VERIFIED, NegotiationState.FINALIZED)
    if negotiation is None or negotiation.state not in done:
        return bad_request(f"agreementId: the negotiation of {agreement_id} is not finalized")
    return Ok(agreement)


def agreement_problem(
    context: NodeContext, participant: Any, agreement: AgreementRow, scope: Any
) -> str | None:
    """Why the agreement no longer covers the participant in `scope` (None: it does)."""
    if agreement.revoked_at is not None:
        return f"agreement {agreement.id} was revoked: {agreement.revocation_reason}"
    verdict = evaluate_for(
        agreement_policy(context, agreement), scope, participant, context.clock.now(), agreement
    )
    if not verdict.allowed:
        return "policy denies: " + ("; ".join(verdict.reasons) or "no permission applies")
    return None


async def on_transfer_request(
    context: NodeContext, participant: Any, message: dict[str, Any]
) -> Ok[Reply] | Failure:
    """Provider: POST /transfers/request. Idempotent per (requester, consumerPid)."""
    if message["format"] not in SUPPORTED_FORMATS:
        return bad_request(f"format: {message['format']!r} is not offered (HttpData-PULL)")
    if "dataAddress" in message:
        return bad_request("dataAddress: push transfers are not supported")
    if not message["callbackAddress"].startswith(("http://", "https://")):
        return bad_request("callbackAddress: must be an http(s) URL")
    consumer_pid = message["consumerPid"]
    existing = await by_consumer_pid(context, TransferRow, Role.PROVIDER, participant, consumer_pid)
    if existing is not None:
        return Ok(Reply(201, ack(existing)))
    agreement = await _usable_agreement(context, participant, message["agreementId"])
    if isinstance(agreement, Failure):
        return agreement
    problem = agreement_problem(context, participant, agreement.value, TRANSFER)
    return await _create(context, participant, message, agreement.value, problem)


def _provider_row(
    context: NodeContext, participant: Any, message: dict[str, Any], agreement: AgreementRow
) -> TransferRow:
    now = context.clock.now()
    pid = new_pid()
    return TransferRow(
        id=pid,
        role=Role.PROVIDER,
        state=_S.REQUESTED,
        counterparty_id=participant.did,
        counterparty_address=message["callbackAddress"].rstrip("/"),
        consumer_pid=message["consumerPid"],
        provider_pid=pid,
        agreement_id=agreement.id,
        asset_id=agreement.asset_id,
        transfer_type=message["format"],
        created_at=now,
        updated_at=now,
    )


async def _create(
    context: NodeContext,
    participant: Any,
    message: dict[str, Any],
    agreement: AgreementRow,
    problem: str | None,
) -> Ok[Reply] | Failure:
    row = _provider_row(context, participant, message, agreement)
    pid = row.id
    try:
        async with context.database.unit() as unit:
            unit.add(row)
            if problem is None:
                row.state = _S.STARTED  # decided now, recorded with the request; ACK: REQUESTED
                asset = await unit.get(AssetRow, row.asset_id)
                payload = {"start": start_payload(row, asset.data_address if asset else {})}
                item = enqueue(context, unit, KIND, pid, "start", payload)
            else:
                item = enqueue(context, unit, KIND, pid, "terminate", {"reason": problem})
            await commit_and_dispatch(context, unit, [item], [pid])
    except IntegrityError:
        existing = await by_consumer_pid(
            context, TransferRow, Role.PROVIDER, participant, row.consumer_pid
        )
        if existing is None:
            raise
        return Ok(Reply(201, ack(existing)))
    return Ok(Reply(201, transfer_process(pid, row.consumer_pid, _S.REQUESTED)))


@retry_stale
async def on_message(
    context: NodeContext,
    participant: Any,
    pid: str,
    kind: TransferMessage,
    message: dict[str, Any],
) -> Ok[Reply] | Failure:
    """Start / completion / suspension / termination of an existing transfer, either role."""
    async with context.database.unit() as unit:
        row = await unit.get(TransferRow, pid, for_update=True)
        if row is None or row.counterparty_id != participant.did:
            return not_found(f"transfer process {pid} not found")
        problem = check_pids(row, message)
        if problem is not None:
            return problem
        state = TransferState(row.state)
        new_state = received_move(Role(row.role), state, kind)
        if new_state is None:
            if state in _DUPLICATE_STATES.get(kind, ()):
                return Ok(Reply(200))
            return bad_request(f"{kind.value} is not allowed in state {state} ({row.role})")
        applied = await _apply(context, unit, row, kind, message)
        if isinstance(applied, Failure):
            return applied
        row.state = new_state
        row.updated_at = context.clock.now()
        await unit.save(row)
        await commit_and_dispatch(context, unit, applied, [row.id])
    return Ok(Reply(200))


async def _apply(
    context: NodeContext,
    unit: Unit,
    row: TransferRow,
    kind: TransferMessage,
    message: dict[str, Any],
) -> list[WorkItem] | Failure:
    if kind is _M.START and row.role == Role.PROVIDER:
        return [enqueue(context, unit, KIND, row.id, "start")]
    if kind is _M.START:
        edr = edr_from_address(row, message.get("dataAddress"), context.clock.now())
        if isinstance(edr, Failure):
            return edr
        await store_edr(unit, edr.value)
        row.provider_pid = row.provider_pid or message["providerPid"]
    if kind in (_M.TERMINATION, _M.SUSPENSION):
        reasons = "; ".join(str(reason) for reason in message.get("reason", ()))
        verb = "terminated" if kind is _M.TERMINATION else "suspended"
        row.error_detail = f"{verb} by the counterparty ({message.get('code', '')}): {reasons}"
    return []
