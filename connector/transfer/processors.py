"""Outbound steps of a transfer process, run by the work loop: request (consumer), start with a
fresh EDR (provider), resume (consumer), suspend / complete / terminate (either role). Our own
move is committed before the message goes out (the provider's STARTED before its Start message,
so the consumer never fetches from a data plane that does not know the transfer is running)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from connector.assets.models import AssetRow
from connector.dataplane import issue_edr
from connector.dsp import PeerReply, join_url, send_message
from connector.negotiation import (
    AgreementRow,
    Role,
    callback_address,
    commit_and_dispatch,
    finish_with_provider_pid,
    load_for_update,
    prepared_send,
    retry_stale,
)
from connector.transfer import schemas
from connector.transfer.models import TransferRow
from connector.transfer.service import KIND
from connector.transfer.states import TERMINAL, TransferState
from connector.work import Done, Retry, Step, WorkItem, enqueue, finish

if TYPE_CHECKING:
    from connector.context import NodeContext

_S = TransferState


@retry_stale
async def _finish(
    context: NodeContext,
    item: WorkItem,
    change: Callable[[TransferRow], None] | None = None,
    notify_reason: str | None = None,
) -> Done:
    """Delete the item; optionally change the row and tell the peer we terminated."""
    async with context.database.unit() as unit:
        items = []
        if change is not None:
            row = await unit.get(TransferRow, item.subject_id, for_update=True)
            if row is not None:
                change(row)
                row.updated_at = context.clock.now()
                await unit.save(row)
                if notify_reason is not None:
                    items.append(
                        enqueue(
                            context,
                            unit,
                            KIND,
                            row.id,
                            "terminate",
                            {"reason": notify_reason, "notify_only": True},
                        )
                    )
        await finish(unit, item)
        await commit_and_dispatch(context, unit, items, [item.subject_id])
    return Done()


def _terminated(reason: str) -> Callable[[TransferRow], None]:
    def change(row: TransferRow) -> None:
        if row.state not in TERMINAL:
            row.state = _S.TERMINATED
            row.error_detail = reason[:4000]

    return change


async def _outcome(
    context: NodeContext, item: WorkItem, reply: PeerReply, notify_peer: bool = True
) -> Step:
    if reply.ok:
        return await _finish(context, item)
    if reply.retryable:
        return Retry(reply.describe())
    reason = reply.describe()
    return await _finish(context, item, _terminated(reason), reason if notify_peer else None)


async def _load(context: NodeContext, item: WorkItem) -> TransferRow | None:
    async with context.database.unit() as unit:
        return await unit.get(TransferRow, item.subject_id)


async def _request(context: NodeContext, item: WorkItem) -> Step:
    """Consumer: send TransferRequestMessage; store the providerPid from the ACK."""
    ready = prepared_send(item)
    if ready is None:
        row = await _load(context, item)
        if row is None or row.state in TERMINAL:
            return await _finish(context, item)
        message = schemas.transfer_request(
            row.consumer_pid, row.agreement_id, row.transfer_type, callback_address(context)
        )
        url = join_url(row.counterparty_address, "transfers", "request")
        ready = (url, row.counterparty_id, message)
    reply = await send_message(context, "POST", *ready)
    if not reply.ok:
        return await _outcome(context, item, reply, notify_peer=False)
    provider_pid = reply.body.get("providerPid") if isinstance(reply.body, dict) else None
    if not isinstance(provider_pid, str) or not provider_pid:
        return await _finish(context, item, _terminated("the provider's ACK has no providerPid"))

    await finish_with_provider_pid(context, TransferRow, item, provider_pid)
    return Done()


async def _start(context: NodeContext, item: WorkItem) -> Step:
    """Provider: record STARTED, issue a fresh EDR, send TransferStartMessage with it."""
    start = item.payload.get("start")
    if isinstance(start, dict):  # decided (and STARTED recorded) with the transfer request
        return await _send_start(context, item, start)
    problem: str | None = None
    async with context.database.session() as session:
        row = await load_for_update(context, session, TransferRow, item.subject_id)
        running = (_S.REQUESTED, _S.SUSPENDED, _S.STARTED)
        agreement = await session.get(AgreementRow, row.agreement_id) if row else None
        asset = await session.get(AssetRow, row.asset_id) if row else None
        if row is None or row.state not in running:
            row = None
        elif agreement is None or agreement.revoked_at is not None:
            problem = f"agreement {row.agreement_id} is revoked or gone"
        elif row.state != _S.STARTED:
            row.state = _S.STARTED
            row.updated_at = context.clock.now()
            session.add(row)
            await commit_and_dispatch(context, session, [], [row.id])
    if row is None:
        return await _finish(context, item)
    if problem is not None:
        return await _finish(context, item, _terminated(problem), problem)
    return await _send_start(context, item, start_payload(row, asset.data_address if asset else {}))


def start_payload(row: TransferRow, data_address: dict[str, Any]) -> dict[str, Any]:
    """What a provider Start needs (the EDR is signed at send time, fresh on every attempt)."""
    return {
        "url": join_url(row.counterparty_address, "transfers", row.consumer_pid, "start"),
        "consumer": row.counterparty_id,
        "provider_pid": row.id,
        "consumer_pid": row.consumer_pid,
        "agreement_id": row.agreement_id,
        "asset_id": row.asset_id,
        "data_address": dict(data_address),
    }


async def _send_start(context: NodeContext, item: WorkItem, start: dict[str, Any]) -> Step:
    edr = issue_edr(
        context,
        consumer_id=start["consumer"],
        transfer_id=start["provider_pid"],
        agreement_id=start["agreement_id"],
        asset_id=start["asset_id"],
        data_address=start["data_address"],
    )
    address = schemas.data_address(edr.endpoint, edr.properties())
    message = schemas.transfer_start(start["provider_pid"], start["consumer_pid"], address)
    reply = await send_message(context, "POST", start["url"], start["consumer"], message)
    return await _outcome(context, item, reply)


def _peer_url(row: TransferRow, action: str) -> str | None:
    peer_pid = row.consumer_pid if row.role == Role.PROVIDER else row.provider_pid
    if peer_pid is None:
        return None
    return join_url(row.counterparty_address, "transfers", peer_pid, action)


async def _notify(context: NodeContext, item: WorkItem, action: str) -> Step:
    """Send a suspension / completion / termination / consumer start (resume) message for a
    move already recorded."""
    row = await _load(context, item)
    if row is None or row.provider_pid is None:
        return await _finish(context, item)
    reason = str(item.payload.get("reason") or "") or None
    builders = {
        "suspension": lambda: schemas.transfer_suspension(
            row.provider_pid or "", row.consumer_pid, "409", reason
        ),
        "completion": lambda: schemas.transfer_completion(row.provider_pid or "", row.consumer_pid),
        "termination": lambda: schemas.transfer_termination(
            row.provider_pid or "", row.consumer_pid, "409", reason
        ),
        "start": lambda: schemas.transfer_start(row.provider_pid or "", row.consumer_pid, None),
    }
    url = _peer_url(row, action)
    if url is None:
        return Retry("the counterparty's process id is not known yet")
    reply = await send_message(context, "POST", url, row.counterparty_id, builders[action]())
    if action == "termination":
        if reply.retryable and reply.status != 404:
            return Retry(reply.describe())
        return await _finish(context, item)
    return await _outcome(context, item, reply)


async def _terminate(context: NodeContext, item: WorkItem) -> Step:
    """Record TERMINATED (if not yet), then tell the peer; its error answers are ignored."""
    reason = str(item.payload.get("reason") or "terminated")
    async with context.database.unit() as unit:
        row = await unit.get(TransferRow, item.subject_id, for_update=True)
        if row is not None and row.state not in TERMINAL:
            _terminated(reason)(row)
            row.updated_at = context.clock.now()
            await unit.save(row)
            await commit_and_dispatch(context, unit, [], [row.id])
    return await _notify(context, item, "termination")


async def _suspend(context: NodeContext, item: WorkItem) -> Step:
    return await _notify(context, item, "suspension")


async def _complete(context: NodeContext, item: WorkItem) -> Step:
    return await _notify(context, item, "completion")


async def _resume(context: NodeContext, item: WorkItem) -> Step:
    return await _notify(context, item, "start")


_ACTIONS: dict[str, Callable[[NodeContext, WorkItem], Awaitable[Step]]] = {
    "request": _request,
    "start": _start,
    "resume": _resume,
    "suspend": _suspend,
    "complete": _complete,
    "terminate": _terminate,
}


class TransferProcessor:
    """The work-loop processor for `kind="transfer"` items."""

    async def run(self, context: NodeContext, item: WorkItem) -> Step:
        return await _ACTIONS[item.action](context, item)

    async def give_up(self, context: NodeContext, item: WorkItem, reason: str) -> None:
        await _finish(context, item, _terminated(f"gave up after retries: {reason}"))
