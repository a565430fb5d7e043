"""Outbound steps of a negotiation, run by the work loop (STYLE.md "A process is data": one
step per action returning done or retry). Each step records its own move first (committed),
then sends the message, then deletes the work item; a crash in between re-runs the step, and
the peer drops the duplicate. 5xx / unreachable / 404 -> retry with backoff; another 4xx ->
the negotiation is TERMINATED with the peer's reason."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from connector.dsp import PeerReply, join_url, send_message
from connector.negotiation import _store, schemas
from connector.negotiation._store import retry_stale
from connector.negotiation.models import AgreementRow, NegotiationRow
from connector.negotiation.service import KIND, callback_address
from connector.negotiation.states import TERMINAL, NegotiationState, Role
from connector.work import Done, Retry, Step, WorkItem, enqueue, finish

if TYPE_CHECKING:
    from connector.context import NodeContext
    from connector.db import AnyTransaction

_S = NegotiationState
_NEGOTIATIONS = NegotiationRow.__table__  # type: ignore[attr-defined]


@retry_stale
async def _finish(
    context: NodeContext,
    item: WorkItem,
    change: Callable[[NegotiationRow], None] | None = None,
    follow_up: tuple[str, dict[str, Any]] | None = None,
) -> Done:
    """Delete the item; optionally change the row and enqueue a follow-up, in one commit."""
    async with context.database.unit() as unit:
        items = []
        if change is not None or follow_up is not None:
            row = await unit.get(NegotiationRow, item.subject_id, for_update=True)
            if row is not None and change is not None:
                change(row)
                row.updated_at = context.clock.now()
                await unit.save(row)
            if row is not None and follow_up is not None:
                items.append(enqueue(context, unit, KIND, row.id, *follow_up))
        await finish(unit, item)
        await _store.commit_and_dispatch(context, unit, items, [item.subject_id])
    return Done()


@retry_stale
async def _move(
    context: NodeContext,
    item: WorkItem,
    allowed: frozenset[NegotiationState],
    to: NegotiationState,
    change: Callable[[NegotiationRow], None] | None = None,
) -> NegotiationRow | None:
    """Record our own move before sending (idempotent: already at `to` is fine). None when the
    negotiation is gone or elsewhere (e.g. terminated meanwhile)."""
    async with context.database.unit() as unit:
        row = await unit.get(NegotiationRow, item.subject_id, for_update=True)
        if row is None or (row.state != to and row.state not in allowed):
            return None
        if row.state != to:
            row.state = to
            row.updated_at = context.clock.now()
            if change is not None:
                change(row)
            await unit.save(row)
            await _store.commit_and_dispatch(context, unit, [], [row.id])
        return row


def _terminated(reason: str) -> Callable[[NegotiationRow], None]:
    def change(row: NegotiationRow) -> None:
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
    follow_up = ("terminate", {"reason": reason}) if notify_peer else None
    return await _finish(context, item, _terminated(reason), follow_up)


async def _send_prepared(
    context: NodeContext,
    item: WorkItem,
    ready: tuple[str, str, dict[str, Any]],
    recorded: NegotiationState,
) -> Step:
    """Send a message prepared with the move to `recorded`. A retry first checks that the
    negotiation is still there (terminated meanwhile: nothing is sent); the first attempt runs
    right after that commit and skips the read."""
    if item.attempts > 0:
        async with context.database.unit() as unit:
            row = await unit.get(NegotiationRow, item.subject_id)
        if row is None or row.state != recorded:
            return await _finish(context, item)
    return await _outcome(context, item, await send_message(context, "POST", *ready))


async def _request(context: NodeContext, item: WorkItem) -> Step:
    """Consumer: send the initial ContractRequestMessage; store the providerPid from the ACK."""
    ready = _store.prepared_send(item)
    if ready is None:
        async with context.database.session() as session:
            row = await session.get(NegotiationRow, item.subject_id)
        if row is None or row.state in TERMINAL:
            return await _finish(context, item)
        message = schemas.contract_request(row.consumer_pid, row.offer, callback_address(context))
        url = join_url(row.counterparty_address, "negotiations", "request")
        ready = (url, row.counterparty_id, message)
    reply = await send_message(context, "POST", ready[0], ready[1], ready[2])
    if not reply.ok:
        return await _outcome(context, item, reply, notify_peer=False)
    provider_pid = reply.body.get("providerPid") if isinstance(reply.body, dict) else None
    if not isinstance(provider_pid, str) or not provider_pid:
        return await _finish(context, item, _terminated("the provider's ACK has no providerPid"))

    await _store.finish_with_provider_pid(context, NegotiationRow, item, provider_pid)
    return Done()


async def _agree(context: NodeContext, item: WorkItem) -> Step:
    """Provider: create the agreement and record AGREED (one commit, once), then send the
    ContractAgreementMessage."""
    ready = _store.prepared_send(item)
    if ready is not None:
        return await _send_prepared(context, item, ready, _S.AGREED)
    async with context.database.unit() as unit:
        row = await unit.get(NegotiationRow, item.subject_id, for_update=True)
        if row is None or row.state not in (_S.REQUESTED, _S.ACCEPTED, _S.AGREED):
            row = None
        elif row.state != _S.AGREED:
            agreement = agreement_for(context, row)
            unit.add(agreement_row(context, row, agreement))
            row.agreement_id = agreement["@id"]
            row.state = _S.AGREED
            row.updated_at = context.clock.now()
            await unit.save(row)
            await _store.commit_and_dispatch(context, unit, [], [row.id])
        else:
            stored = await unit.get(AgreementRow, row.agreement_id or "")
            agreement = dict(stored.policy) if stored is not None else {}
    if row is None:
        return await _finish(context, item)
    message = schemas.contract_agreement(row.id, row.consumer_pid, agreement)
    url = join_url(row.counterparty_address, "negotiations", row.consumer_pid, "agreement")
    return await _outcome(
        context, item, await send_message(context, "POST", url, row.counterparty_id, message)
    )


def agreement_for(context: NodeContext, row: NegotiationRow) -> dict[str, Any]:
    policy = {k: v for k, v in row.offer.items() if k not in ("@id", "@type", "target")}
    return {
        "@id": _store.new_pid(),
        "@type": "Agreement",
        **policy,
        "target": row.asset_id,
        "assigner": context.settings.node.did,
        "assignee": row.counterparty_id,
        "timestamp": context.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def agree_now(context: NodeContext, session: AnyTransaction, row: NegotiationRow) -> WorkItem:
    """Provider: the agreement on the current offer, stored with AGREED and the prepared
    ContractAgreementMessage, in the caller's transaction (our answer is decided now)."""
    agreement = agreement_for(context, row)
    session.add(agreement_row(context, row, agreement))
    row.agreement_id = agreement["@id"]
    row.state = _S.AGREED
    url = join_url(row.counterparty_address, "negotiations", row.consumer_pid, "agreement")
    message = schemas.contract_agreement(row.id, row.consumer_pid, agreement)
    payload = _store.prepared(url, row.counterparty_id, message)
    return enqueue(context, session, KIND, row.id, "agree", payload)


def agreement_row(
    context: NodeContext, row: NegotiationRow, agreement: dict[str, Any]
) -> AgreementRow:
    return AgreementRow(
        id=agreement["@id"],
        negotiation_id=row.id,
        provider_id=context.settings.node.did,
        consumer_id=row.counterparty_id,
        asset_id=row.asset_id,
        policy=agreement,
        contract_definition_id=row.contract_definition_id,
        signed_at=context.clock.now(),
    )


async def _verify(context: NodeContext, item: WorkItem) -> Step:
    """Consumer: record VERIFIED, send ContractAgreementVerificationMessage."""
    ready = _store.prepared_send(item)
    if ready is not None:
        return await _send_prepared(context, item, ready, _S.VERIFIED)
    row = await _move(context, item, frozenset({_S.AGREED}), _S.VERIFIED)
    if row is None or row.provider_pid is None:
        return await _finish(context, item)
    message = schemas.agreement_verification(row.provider_pid, row.consumer_pid)
    url = join_url(
        row.counterparty_address, "negotiations", row.provider_pid, "agreement", "verification"
    )
    return await _outcome(
        context, item, await send_message(context, "POST", url, row.counterparty_id, message)
    )


async def _finalize(context: NodeContext, item: WorkItem) -> Step:
    """Provider: record FINALIZED, send the FINALIZED event."""
    ready = _store.prepared_send(item)
    if ready is not None:
        return await _send_prepared(context, item, ready, _S.FINALIZED)
    row = await _move(context, item, frozenset({_S.VERIFIED}), _S.FINALIZED)
    if row is None:
        return await _finish(context, item)
    message = schemas.negotiation_event(row.id, row.consumer_pid, "FINALIZED")
    url = join_url(row.counterparty_address, "negotiations", row.consumer_pid, "events")
    return await _outcome(
        context, item, await send_message(context, "POST", url, row.counterparty_id, message)
    )


async def _send_while(
    context: NodeContext, item: WorkItem, still: Callable[[NegotiationRow], bool]
) -> tuple[NegotiationRow, tuple[str, str, dict[str, Any]]] | None:
    """The row and the prepared message, when the row is still where the step left it (a
    re-run after the negotiation moved on sends nothing)."""
    ready = _store.prepared_send(item)
    async with context.database.unit() as unit:
        row = await unit.get(NegotiationRow, item.subject_id)
    if ready is None or row is None or not still(row):
        return None
    return row, ready


async def _accept(context: NodeContext, item: WorkItem) -> Step:
    """Consumer: send the ACCEPTED event (ACCEPTED was recorded with the decision)."""
    found = await _send_while(context, item, lambda row: row.state == _S.ACCEPTED)
    if found is None:
        return await _finish(context, item)
    return await _outcome(context, item, await send_message(context, "POST", *found[1]))


def _offer_id(item: WorkItem) -> Any:
    ready = _store.prepared_send(item)
    return ready[2].get("offer", {}).get("@id") if ready is not None else None


async def _counter(context: NodeContext, item: WorkItem) -> Step:
    """Consumer: send the counter-offer (REQUESTED was recorded with it)."""
    offer_id = _offer_id(item)
    found = await _send_while(
        context, item, lambda row: row.state == _S.REQUESTED and row.offer_id == offer_id
    )
    if found is None:
        return await _finish(context, item)
    return await _outcome(context, item, await send_message(context, "POST", *found[1]))


async def _offer(context: NodeContext, item: WorkItem) -> Step:
    """Provider: send a ContractOfferMessage (OFFERED was recorded with it). The initial one
    of a provider-initiated negotiation learns the consumerPid from the 201 ACK."""
    offer_id = _offer_id(item)
    found = await _send_while(
        context, item, lambda row: row.state == _S.OFFERED and row.offer_id == offer_id
    )
    if found is None:
        return await _finish(context, item)
    initial = "callbackAddress" in found[1][2]
    reply = await send_message(context, "POST", *found[1])
    if not initial or not reply.ok:
        return await _outcome(context, item, reply, notify_peer=not initial)
    consumer_pid = reply.body.get("consumerPid") if isinstance(reply.body, dict) else None
    if not isinstance(consumer_pid, str) or not consumer_pid:
        return await _finish(context, item, _terminated("the consumer's ACK has no consumerPid"))
    async with context.database.unit() as unit:
        await unit.execute(
            update(_NEGOTIATIONS)
            .where(
                _NEGOTIATIONS.c.id == item.subject_id,
                _NEGOTIATIONS.c.consumer_pid == item.subject_id,
            )
            .values(consumer_pid=consumer_pid)
        )
        await finish(unit, item)
        await unit.commit()
    return Done()


async def _terminate(context: NodeContext, item: WorkItem) -> Step:
    """Either role: record TERMINATED with the reason, tell the peer (its errors are ignored)."""
    reason = str(item.payload.get("reason") or "terminated")
    async with context.database.unit() as unit:
        row = await unit.get(NegotiationRow, item.subject_id, for_update=True)
        if row is not None and row.state not in TERMINAL:
            _terminated(reason)(row)
            row.updated_at = context.clock.now()
            await unit.save(row)
            await _store.commit_and_dispatch(context, unit, [], [row.id])
    if row is None or row.provider_pid is None:
        return await _finish(context, item)
    peer_pid = row.consumer_pid if row.role == Role.PROVIDER else row.provider_pid
    message = schemas.negotiation_termination(row.provider_pid, row.consumer_pid, "400", reason)
    url = join_url(row.counterparty_address, "negotiations", peer_pid, "termination")
    reply = await send_message(context, "POST", url, row.counterparty_id, message)
    if reply.retryable and not reply.ok and reply.status != 404:
        return Retry(reply.describe())
    return await _finish(context, item)


@retry_stale
async def _expire_offer(context: NodeContext, item: WorkItem) -> Step:
    """Provider: an offer of ours still unanswered after `[negotiation] offer_ttl_s` is
    withdrawn: TERMINATED in the same commit as the check, then the consumer is told. Nothing
    happens when the consumer answered meanwhile or we offered other terms since."""
    offer_id = item.payload.get("offerId")
    reason = f"offer {offer_id} withdrawn: no answer within {item.payload.get('ttlS')} s"
    async with context.database.unit() as unit:
        row = await unit.get(NegotiationRow, item.subject_id, for_update=True)
        items = []
        if row is not None and row.state == _S.OFFERED and row.offer_id == offer_id:
            _terminated(reason)(row)
            row.updated_at = context.clock.now()
            await unit.save(row)
            items.append(enqueue(context, unit, KIND, row.id, "terminate", {"reason": reason}))
        await finish(unit, item)
        await _store.commit_and_dispatch(context, unit, items, [item.subject_id])
    return Done()


_ACTIONS: dict[str, Callable[[NodeContext, WorkItem], Awaitable[Step]]] = {
    "request": _request,
    "agree": _agree,
    "verify": _verify,
    "finalize": _finalize,
    "terminate": _terminate,
    "offer": _offer,
    "accept": _accept,
    "counter": _counter,
    "expire_offer": _expire_offer,
}


class NegotiationProcessor:
    """The work-loop processor for `kind="negotiation"` items."""

    async def run(self, context: NodeContext, item: WorkItem) -> Step:
        return await _ACTIONS[item.action](context, item)

    async def give_up(self, context: NodeContext, item: WorkItem, reason: str) -> None:
        """Out of attempts: TERMINATED locally with the last reason."""
        await _finish(context, item, _terminated(f"gave up after retries: {reason}"))
