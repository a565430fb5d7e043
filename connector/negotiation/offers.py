"""Operator moves of the OFFERED/ACCEPTED branch (DSP 2025-1 "Contract Negotiation Protocol"):
a provider offers a contract on its own initiative; a consumer accepts an offer it holds in
OFFERED or counters it with a changed offer. Each move is checked against the state table,
recorded with its prepared message in one commit, and sent by the work loop at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connector.dsp import join_url
from connector.negotiation import _branch, _policy, _store
from connector.negotiation._store import retry_stale
from connector.negotiation.models import NegotiationRow
from connector.negotiation.schemas import contract_counter_request
from connector.negotiation.service import KIND, callback_address, offer_for_request
from connector.negotiation.states import NegotiationMessage, NegotiationState, Role, sent_move
from connector.outcome import Failure, Ok, bad_request, not_found
from connector.work import enqueue

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from connector.context import NodeContext

_M = NegotiationMessage


async def offer_contract(
    context: NodeContext,
    counterparty_address: str,
    counterparty_id: str,
    asset_id: str,
    contract_definition_id: str | None = None,
) -> Ok[NegotiationRow] | Failure:
    """Provider-initiated negotiation: offer `asset_id` under the contract policy of the
    contract definition that selects it (or the one named). The row is OFFERED and the initial
    ContractOfferMessage goes to the consumer's `/negotiations/offers` at once; the consumer's
    credentials are checked against the policy when it accepts."""
    if not counterparty_address.startswith(("http://", "https://")):
        return bad_request("counterPartyAddress: must be an http(s) URL")
    if not counterparty_id:
        return bad_request("counterPartyId: required")
    found = await _policy.offered_policy(context, asset_id, contract_definition_id)
    if isinstance(found, Failure):
        return found
    definition_id, policy = found.value
    now = context.clock.now()
    pid = _store.new_pid()
    row = NegotiationRow(
        id=pid,
        role=Role.PROVIDER,
        state=NegotiationState.OFFERED,
        counterparty_id=counterparty_id,
        counterparty_address=counterparty_address.rstrip("/"),
        consumer_pid=pid,  # until the consumer's 201 ACK names its own
        provider_pid=pid,
        offer_id="",
        asset_id=asset_id,
        contract_definition_id=definition_id,
        created_at=now,
        updated_at=now,
    )
    row.offer_id = _branch.our_offer_id(row)
    row.offer = _policy.offer_document(row.offer_id, context.settings.node.did, asset_id, policy)
    async with context.database.session() as session:
        session.add(row)
        item = _branch.offer_item(context, session, row, callback_address(context))
        await _store.commit_and_dispatch(context, session, [item], [pid])
    return Ok(row)


async def _held_offer(
    context: NodeContext, session: AsyncSession, negotiation_id: str, move: NegotiationMessage
) -> Ok[NegotiationRow] | Failure:
    """The consumer negotiation `negotiation_id`, if `move` is allowed in its state."""
    row = await _store.load_for_update(context, session, NegotiationRow, negotiation_id)
    if row is None:
        return not_found(f"negotiation {negotiation_id} not found")
    if row.role != Role.CONSUMER:
        return bad_request(f"negotiation {negotiation_id}: only the consumer answers an offer")
    if sent_move(Role.CONSUMER, NegotiationState(row.state), move) is None:
        verb = "accept" if move is _M.ACCEPTED_EVENT else "counter"
        return bad_request(f"negotiation {negotiation_id} is {row.state}: cannot {verb} it")
    if row.provider_pid is None:
        return bad_request(f"negotiation {negotiation_id}: the provider's pid is not known yet")
    return Ok(row)


@retry_stale
async def accept_offer(context: NodeContext, negotiation_id: str) -> Ok[NegotiationRow] | Failure:
    """Consumer: accept the offer held in OFFERED (the ACCEPTED event); the provider then
    sends the agreement, which must match this offer."""
    async with context.database.session() as session:
        held = await _held_offer(context, session, negotiation_id, _M.ACCEPTED_EVENT)
        if isinstance(held, Failure):
            return held
        row = held.value
        row.state = NegotiationState.ACCEPTED
        row.updated_at = context.clock.now()
        session.add(row)
        item = _branch.accept_item(context, session, row)
        await _store.commit_and_dispatch(context, session, [item], [row.id])
    return Ok(row)


@retry_stale
async def counter_offer(
    context: NodeContext, negotiation_id: str, offer: dict[str, Any]
) -> Ok[NegotiationRow] | Failure:
    """Consumer: answer the offer held in OFFERED with a changed one (a ContractRequestMessage
    with the providerPid); back to REQUESTED. `offer` is an ODRL offer in any form we read; it
    gets a new `@id`; `target` defaults to the negotiation's dataset."""
    if not isinstance(offer, dict):
        return bad_request("policy: must be a JSON object")
    async with context.database.session() as session:
        held = await _held_offer(context, session, negotiation_id, _M.REQUEST)
        if isinstance(held, Failure):
            return held
        row = held.value
        prepared = offer_for_request(_with_defaults(offer, row.asset_id))
        if isinstance(prepared, Failure):
            return prepared
        if prepared.value["target"] != row.asset_id:
            return bad_request(f"policy.target: the negotiation is about {row.asset_id}")
        row.offer, row.offer_id = prepared.value, prepared.value["@id"]
        row.state = NegotiationState.REQUESTED
        row.updated_at = context.clock.now()
        session.add(row)
        provider_pid = row.provider_pid or ""
        message = contract_counter_request(row.consumer_pid, provider_pid, row.offer)
        url = join_url(row.counterparty_address, "negotiations", provider_pid, "request")
        payload = _store.prepared(url, row.counterparty_id, message)
        item = enqueue(context, session, KIND, row.id, "counter", payload)
        await _store.commit_and_dispatch(context, session, [item], [row.id])
    return Ok(row)


def _with_defaults(offer: dict[str, Any], asset_id: str) -> dict[str, Any]:
    """A new `@id` (each counter-offer is a new offer, so a repeat is recognised by its id)
    and the negotiation's dataset as `target` when the operator gave none."""
    document = {**offer, "@id": _store.new_pid()}
    if "target" not in document and "odrl:target" not in document:
        document["odrl:target" if "@context" in document else "target"] = asset_id
    return document
