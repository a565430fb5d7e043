"""Transfer process use cases called by the management API and the consumer convenience call
(docs/dev/interfaces.md "DSP -> MGMT"), and the consumer's EDR cache. Inbound DSP messages are
handled in `_inbound.py`, outbound steps in `processors.py`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from connector.dsp import join_url
from connector.negotiation import (
    AgreementRow,
    Role,
    callback_address,
    commit_and_dispatch,
    load_for_update,
    new_pid,
    prepared,
    query_rows,
    retry_stale,
)
from connector.outcome import Failure, Ok, bad_request, not_found
from connector.transfer.models import EdrRow, TransferRow
from connector.transfer.schemas import PULL_FORMAT
from connector.transfer.schemas import transfer_request as transfer_request_message
from connector.transfer.states import TERMINAL, TransferMessage, TransferState, sent_move
from connector.work import as_utc, enqueue, signals

if TYPE_CHECKING:
    from connector.context import NodeContext

KIND = "transfer"
SUPPORTED_FORMATS = frozenset({PULL_FORMAT})
REFRESH_MARGIN_S = 30


async def request_transfer(
    context: NodeContext,
    counterparty_address: str,
    counterparty_id: str,
    agreement_id: str,
    transfer_type: str = PULL_FORMAT,
) -> Ok[TransferRow] | Failure:
    """Start a pull transfer as consumer under an agreement we hold; the
    TransferRequestMessage is sent at once by the work loop."""
    if transfer_type not in SUPPORTED_FORMATS:
        return bad_request(f"transferType: {transfer_type!r} is not supported (HttpData-PULL)")
    if not counterparty_address.startswith(("http://", "https://")):
        return bad_request("counterPartyAddress: must be an http(s) URL")
    async with context.database.unit() as unit:
        agreement = await unit.get(AgreementRow, agreement_id)
        if agreement is None or agreement.consumer_id != context.settings.node.did:
            return bad_request(f"contractId: no agreement {agreement_id} held by this node")
        if agreement.provider_id != counterparty_id:
            return bad_request(
                f"counterPartyId: the agreement's provider is {agreement.provider_id}"
            )
        row = _consumer_row(context, counterparty_address, agreement, transfer_type)
        pid = row.id
        unit.add(row)
        message = transfer_request_message(
            pid, agreement_id, transfer_type, callback_address(context)
        )
        url = join_url(row.counterparty_address, "transfers", "request")
        payload = prepared(url, counterparty_id, message)
        item = enqueue(context, unit, KIND, pid, "request", payload)
        await commit_and_dispatch(context, unit, [item], [pid])
    return Ok(row)


def _consumer_row(
    context: NodeContext, address: str, agreement: AgreementRow, transfer_type: str
) -> TransferRow:
    now = context.clock.now()
    pid = new_pid()
    return TransferRow(
        id=pid,
        role=Role.CONSUMER,
        state=TransferState.REQUESTED,
        counterparty_id=agreement.provider_id,
        counterparty_address=address.rstrip("/"),
        consumer_pid=pid,
        agreement_id=agreement.id,
        asset_id=agreement.asset_id,
        transfer_type=transfer_type,
        created_at=now,
        updated_at=now,
    )


async def get_transfer(context: NodeContext, transfer_id: str) -> Ok[TransferRow] | Failure:
    async with context.database.session() as session:
        row = await session.get(TransferRow, transfer_id)
    return Ok(row) if row is not None else not_found(f"transfer process {transfer_id} not found")


async def query_transfers(
    context: NodeContext,
    filters: Mapping[str, Any] | None = None,
    offset: int = 0,
    limit: int = 50,
    sort: tuple[str, str] | None = None,
) -> Ok[list[TransferRow]] | Failure:
    return await query_rows(context, TransferRow, filters, offset, limit, sort)


@retry_stale
async def _own_move(
    context: NodeContext,
    transfer_id: str,
    message: TransferMessage,
    action: str,
    reason: str | None = None,
) -> Ok[TransferRow] | Failure:
    """Record a move this node makes and enqueue the message that tells the peer."""
    async with context.database.session() as session:
        row = await load_for_update(context, session, TransferRow, transfer_id)
        if row is None:
            return not_found(f"transfer process {transfer_id} not found")
        new_state = sent_move(Role(row.role), TransferState(row.state), message)
        if new_state is None:
            return bad_request(f"transfer process {transfer_id} is {row.state}: cannot {action}")
        row.state = new_state
        row.updated_at = context.clock.now()
        if reason is not None:
            row.error_detail = reason
        session.add(row)
        item = enqueue(context, session, KIND, row.id, action, {"reason": reason or ""})
        await commit_and_dispatch(context, session, [item], [row.id])
    return Ok(row)


async def suspend_transfer(
    context: NodeContext, transfer_id: str, reason: str = "suspended by the owner"
) -> Ok[TransferRow] | Failure:
    """STARTED -> SUSPENDED; as provider the EDR stops working at once."""
    return await _own_move(context, transfer_id, TransferMessage.SUSPENSION, "suspend", reason)


async def resume_transfer(context: NodeContext, transfer_id: str) -> Ok[TransferRow] | Failure:
    """SUSPENDED -> STARTED: the provider issues a new EDR; a consumer asks the provider."""
    async with context.database.session() as session:
        row = await session.get(TransferRow, transfer_id)
    if row is None:
        return not_found(f"transfer process {transfer_id} not found")
    action = "start" if row.role == Role.PROVIDER else "resume"
    return await _own_move(context, transfer_id, TransferMessage.START, action)


async def terminate_transfer(
    context: NodeContext, transfer_id: str, reason: str = "terminated by the owner"
) -> Ok[TransferRow] | Failure:
    return await _own_move(context, transfer_id, TransferMessage.TERMINATION, "terminate", reason)


async def complete_transfer(context: NodeContext, transfer_id: str) -> Ok[TransferRow] | Failure:
    return await _own_move(context, transfer_id, TransferMessage.COMPLETION, "complete")


async def wait_for_transfer(
    context: NodeContext,
    transfer_id: str,
    states: Collection[str] = (TransferState.STARTED,),
    timeout_s: float = 30.0,
) -> Ok[TransferRow] | Failure:
    """Wait (event-driven) until the transfer is in one of `states` or terminal."""

    async def check() -> TransferRow | None:
        row = await context.database.get(TransferRow, transfer_id)
        if row is None or row.state in states or row.state in TERMINAL:
            return row
        return None

    row = await signals(context).wait_until(
        transfer_id, check, timeout_s, lambda state: state in states or state in TERMINAL
    )
    if row is None:
        return not_found(f"transfer process {transfer_id} not found or not ready in {timeout_s}s")
    if row.state not in states:
        return bad_request(f"transfer process {transfer_id} is {row.state}: {row.error_detail}")
    return Ok(row)


async def query_edrs(
    context: NodeContext,
    filters: Mapping[str, Any] | None = None,
    offset: int = 0,
    limit: int = 50,
    sort: tuple[str, str] | None = None,
) -> Ok[list[EdrRow]] | Failure:
    """The consumer's cached EDRs (one per started pull transfer)."""
    return await query_rows(context, EdrRow, filters, offset, limit, sort)


async def get_edr_data_address(
    context: NodeContext, transfer_id: str, refresh: bool = False
) -> Ok[dict[str, Any]] | Failure:
    """The EDR's data address (`endpoint`, `authorization`, `authType`, `expiresAt`, ...),
    refreshed first when asked or when the token expires within 30 s."""
    edr = await context.database.get(EdrRow, transfer_id)
    if edr is None:
        return not_found(f"no EDR for transfer process {transfer_id}")
    soon = context.clock.now() + timedelta(seconds=REFRESH_MARGIN_S)
    if refresh or as_utc(edr.expires_at) <= soon:
        from connector.transfer._refresh import refresh_edr

        refreshed = await refresh_edr(context, edr)
        if isinstance(refreshed, Failure):
            return refreshed
        edr = refreshed.value
    return Ok(edr_data_address(edr))


def edr_data_address(edr: EdrRow) -> dict[str, Any]:
    return {
        "endpoint": edr.endpoint,
        "endpointType": edr.endpoint_type,
        "authorization": edr.token,
        "authType": "bearer",
        "expiresAt": as_utc(edr.expires_at).isoformat(),
        "refreshEndpoint": edr.refresh_endpoint,
        "transferProcessId": edr.transfer_id,
        "agreementId": edr.agreement_id,
        "assetId": edr.asset_id,
    }
