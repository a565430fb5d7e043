"""Inbound handlers of the OFFERED/ACCEPTED branch (DSP 2025-1 "Contract Negotiation Protocol":
ContractOfferMessage to the consumer, a counter-offer ContractRequestMessage and the ACCEPTED
event to the provider). Each runs inside `on_message`'s transaction after the move was checked
against the state table; it decides our answer and records it with the message (one commit)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from connector.db import AnyTransaction
from connector.dsp import join_url
from connector.negotiation import _counter, _policy, _store
from connector.negotiation._counter import CounterAction
from connector.negotiation.models import NegotiationRow
from connector.negotiation.processors import agree_now
from connector.negotiation.schemas import contract_offer, negotiation_event
from connector.negotiation.service import KIND
from connector.negotiation.states import NegotiationState
from connector.outcome import Failure, bad_request
from connector.work import WorkItem, enqueue

if TYPE_CHECKING:
    from connector.context import NodeContext

_S = NegotiationState


def our_offer_id(row: NegotiationRow, answering: str | None = None) -> str:
    """Offers this provider makes in a negotiation carry ids under its pid, so a repeated
    ACCEPTED event can be told from one for a negotiation that was never OFFERED; an offer
    made back to a counter-offer ends with a digest of the counter-offer's id, so a repeat of
    that counter-offer is recognised too."""
    if answering is None:
        return f"{row.id}:offer:{uuid.uuid4().hex}"
    return f"{row.id}:offer:{hashlib.sha256(answering.encode()).hexdigest()[:32]}"


def is_our_offer(row: NegotiationRow) -> bool:
    return row.offer_id.startswith(f"{row.id}:offer:")


def offer_item(
    context: NodeContext,
    session: AnyTransaction,
    row: NegotiationRow,
    initial_callback: str | None = None,
) -> WorkItem:
    """Provider: the prepared ContractOfferMessage of `row.offer` (OFFERED recorded by the
    caller in the same commit), and the withdrawal of the offer if it is still unanswered
    after `[negotiation] offer_ttl_s` (added to the same commit, left to the sweep)."""
    ttl_s = context.settings.negotiation.offer_ttl_s
    if ttl_s > 0:
        due_at = context.clock.now() + timedelta(seconds=ttl_s)
        expiry = {"offerId": row.offer_id, "ttlS": ttl_s}
        enqueue(context, session, KIND, row.id, "expire_offer", expiry, due_at)
    if initial_callback is not None:
        url = join_url(row.counterparty_address, "negotiations", "offers")
        message = contract_offer(row.id, row.offer, callback_address=initial_callback)
    else:
        url = join_url(row.counterparty_address, "negotiations", row.consumer_pid, "offers")
        message = contract_offer(row.id, row.offer, consumer_pid=row.consumer_pid)
    payload = _store.prepared(url, row.counterparty_id, message)
    return enqueue(context, session, KIND, row.id, "offer", payload)


def accept_item(context: NodeContext, session: AnyTransaction, row: NegotiationRow) -> WorkItem:
    """Consumer: the prepared ACCEPTED event (ACCEPTED recorded by the caller)."""
    provider_pid = row.provider_pid or ""
    url = join_url(row.counterparty_address, "negotiations", provider_pid, "events")
    event = negotiation_event(provider_pid, row.consumer_pid, "ACCEPTED")
    payload = _store.prepared(url, row.counterparty_id, event)
    return enqueue(context, session, KIND, row.id, "accept", payload)


def on_offer(
    context: NodeContext, session: AnyTransaction, row: NegotiationRow, message: dict[str, Any]
) -> list[WorkItem] | Failure:
    """Consumer, REQUESTED -> OFFERED: an offer with exactly the terms we requested is
    accepted at once (ACCEPTED recorded now); anything else waits for the operator."""
    offer = message["offer"]
    problems = _counter.offer_problems(
        offer, message.get("@context"), row.asset_id, row.counterparty_id
    )
    if problems:
        return bad_request("the offer cannot be considered", *problems)
    requested = row.offer
    row.offer, row.offer_id = offer, offer["@id"]
    row.provider_pid = row.provider_pid or message["providerPid"]
    if not _counter.takes_at_once(requested, offer, message.get("@context"), row.asset_id):
        return []
    row.state = _S.ACCEPTED
    return [accept_item(context, session, row)]


async def on_counter_request(
    context: NodeContext,
    session: AnyTransaction,
    row: NegotiationRow,
    participant: Any,
    message: dict[str, Any],
) -> list[WorkItem]:
    """Provider, OFFERED -> REQUESTED: the counter-offer judged against the contract
    definition's policy: agreement, our terms offered back, or termination with the reasons."""
    definition = await _policy.definition_policy(context, row.contract_definition_id)
    counter = _policy.read_policy(message["offer"], message.get("@context"))
    decision = _counter.judge_counter(
        definition, row.offer, counter, row.asset_id, participant, context.clock.now()
    )
    row.offer_id = message["offer"]["@id"]
    if counter is not None:  # stored in our compact form: what an agreement on it carries
        did = context.settings.node.did
        row.offer = _policy.offer_document(row.offer_id, did, row.asset_id, counter)
    if decision.action is CounterAction.AGREE:
        return [agree_now(context, session, row)]
    if decision.action is CounterAction.OFFER:
        return [_offer_back(context, session, row, definition)]
    reason = "; ".join(decision.reasons)
    return [enqueue(context, session, KIND, row.id, "terminate", {"reason": reason})]


def _offer_back(
    context: NodeContext, session: AnyTransaction, row: NegotiationRow, definition: Any
) -> WorkItem:
    offer_id = our_offer_id(row, answering=row.offer_id)
    row.offer = _policy.offer_document(
        offer_id, context.settings.node.did, row.asset_id, definition
    )
    row.offer_id = offer_id
    row.state = _S.OFFERED
    return offer_item(context, session, row)


def on_accepted(
    context: NodeContext, session: AnyTransaction, row: NegotiationRow, participant: Any
) -> list[WorkItem]:
    """Provider, OFFERED -> ACCEPTED: the consumer accepted our offer; if our offer's policy
    admits it (scope contract.negotiation) the agreement is decided now, else terminated."""
    verdict = _policy.evaluate_for(
        _policy.read_policy(row.offer), _policy.NEGOTIATION, participant, context.clock.now()
    )
    if verdict.allowed:
        return [agree_now(context, session, row)]
    reason = "; ".join(("the contract policy does not admit the consumer", *verdict.reasons))
    return [enqueue(context, session, KIND, row.id, "terminate", {"reason": reason})]
