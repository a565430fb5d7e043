"""The durable half of the Tractus-X `POST /v3/edrs` chain (edc-mgmt-api.md §3 "Semantics the
EDR flow needs"): when the negotiation reaches FINALIZED, an HttpData-PULL transfer is started
for its agreement, so the EDR gets cached.

`negotiate_edr` takes the fast path itself (it waits for FINALIZED and starts the transfer
before answering). This work item is the safety net for a negotiation that finishes later
(provider down, then back) or a node that stopped in between: it is enqueued without dispatch,
so the work loop picks it up only after its lease expires, then retries with backoff until the
negotiation is final. A transfer that already exists for the agreement is never started twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from connector.management.processes import transfer_module
from connector.negotiation import get_negotiation
from connector.outcome import Failure
from connector.work import Done, Retry, Step, WorkItem, enqueue, finish

if TYPE_CHECKING:
    from connector.context import NodeContext

KIND = "edr-chain"
PULL = "HttpData-PULL"


async def schedule(context: NodeContext, negotiation_id: str, address: str, provider: str) -> None:
    """Record the chain for `negotiation_id` (picked up after the work lease, see above)."""
    async with context.database.session() as session:
        enqueue(
            context,
            session,
            KIND,
            negotiation_id,
            "transfer",
            {"address": address, "provider": provider},
        )
        await session.commit()


async def _done(context: NodeContext, item: WorkItem) -> Done:
    async with context.database.session() as session:
        await finish(session, item)
        await session.commit()
    return Done()


async def _has_transfer(context: NodeContext, agreement_id: str) -> bool:
    module = transfer_module()
    if module is None:
        return False
    rows = await module.query_transfers(context, {"agreement_id": agreement_id}, 0, 1)
    return not isinstance(rows, Failure) and bool(rows.value)


class EdrChainProcessor:
    """Starts the pull transfer of a finalized `POST /v3/edrs` negotiation, once."""

    async def run(self, context: NodeContext, item: WorkItem) -> Step:
        negotiation = await get_negotiation(context, item.subject_id)
        if isinstance(negotiation, Failure) or negotiation.value.state == "TERMINATED":
            return await _done(context, item)
        row = negotiation.value
        if row.state != "FINALIZED" or not row.agreement_id:
            return Retry(f"negotiation {row.id} is {row.state}")
        module = transfer_module()
        if module is None or await _has_transfer(context, row.agreement_id):
            return await _done(context, item)
        started = await module.request_transfer(
            context, item.payload["address"], item.payload["provider"], row.agreement_id, PULL
        )
        if isinstance(started, Failure):
            return Retry(started.detail)
        return await _done(context, item)

    async def give_up(self, context: NodeContext, item: WorkItem, reason: str) -> None:
        await _done(context, item)
