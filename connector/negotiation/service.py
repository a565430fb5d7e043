"""Contract negotiation use cases called by the management API and the consumer convenience
call (docs/dev/interfaces.md "DSP -> MGMT"). The consumer side starts a negotiation here; the
DSP message handlers are in `_inbound.py`, the outbound steps in `processors.py`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from connector.dsp import join_url
from connector.negotiation import _store
from connector.negotiation._policy import read_policy
from connector.negotiation._store import retry_stale
from connector.negotiation.models import AgreementRow, NegotiationRow
from connector.negotiation.schemas import contract_request
from connector.negotiation.states import (
    TERMINAL,
    NegotiationMessage,
    NegotiationState,
    Role,
    sent_move,
)
from connector.outcome import Failure, Ok, bad_request, not_found
from connector.work import enqueue, signals

if TYPE_CHECKING:
    from connector.context import NodeContext

KIND = "negotiation"


def callback_address(context: NodeContext) -> str:
    """Where peers reach this node's DSP endpoints (our callbackAddress)."""
    return f"{context.settings.node.url}/api/dsp"


def offer_for_request(offer: dict[str, Any]) -> Ok[dict[str, Any]] | Failure:
    """The offer as a DSP 2025-1 `Offer` with `target`; its `@id` is echoed byte for byte."""
    if not isinstance(offer, dict):
        return bad_request("offer: must be a JSON object")
    if not isinstance(offer.get("@id"), str) or not offer["@id"]:
        return bad_request("offer.@id: the offer id from the catalog is required")
    policy = read_policy(offer, offer.get("@context"))
    if policy is None:
        return bad_request("offer: not a readable ODRL policy")
    target = offer.get("target") or offer.get("odrl:target")
    if isinstance(target, dict):
        target = target.get("@id")
    if not isinstance(target, str) or not target:
        return bad_request("offer.target: the dataset (asset) id is required")
    if "@context" in offer or any(key.startswith("odrl:") for key in offer):
        from policies import to_dsp

        compact = to_dsp(policy, catenax_terms=False)
        compact["@id"] = offer["@id"]
    else:
        compact = dict(offer)
    compact["@type"] = "Offer"
    compact["target"] = target
    return Ok(compact)


async def request_contract(
    context: NodeContext, counterparty_address: str, counterparty_id: str, offer: dict[str, Any]
) -> Ok[NegotiationRow] | Failure:
    """Start a negotiation as consumer: the row is stored REQUESTED and the
    ContractRequestMessage is sent at once by the work loop."""
    prepared = offer_for_request(offer)
    if isinstance(prepared, Failure):
        return prepared
    if not counterparty_address.startswith(("http://", "https://")):
        return bad_request("counterPartyAddress: must be an http(s) URL")
    now = context.clock.now()
    pid = _store.new_pid()
    row = NegotiationRow(
        id=pid,
        role=Role.CONSUMER,
        state=NegotiationState.REQUESTED,
        counterparty_id=counterparty_id,
        counterparty_address=counterparty_address.rstrip("/"),
        consumer_pid=pid,
        offer_id=prepared.value["@id"],
        asset_id=prepared.value["target"],
        offer=prepared.value,
        created_at=now,
        updated_at=now,
    )
    async with context.database.unit() as unit:
        unit.add(row)
        message = contract_request(pid, row.offer, callback_address(context))
        url = join_url(row.counterparty_address, "negotiations", "request")
        payload = _store.prepared(url, counterparty_id, message)
        item = enqueue(context, unit, KIND, pid, "request", payload)
        await _store.commit_and_dispatch(context, unit, [item], [pid])
    return Ok(row)


async def get_negotiation(
    context: NodeContext, negotiation_id: str
) -> Ok[NegotiationRow] | Failure:
    async with context.database.session() as session:
        row = await session.get(NegotiationRow, negotiation_id)
    return Ok(row) if row is not None else not_found(f"negotiation {negotiation_id} not found")


async def query_negotiations(
    context: NodeContext,
    filters: Mapping[str, Any] | None = None,
    offset: int = 0,
    limit: int = 50,
    sort: tuple[str, str] | None = None,
) -> Ok[list[NegotiationRow]] | Failure:
    """Negotiations by column equality (`state`, `counterparty_id`, `asset_id`, ...)."""
    return await _store.query_rows(context, NegotiationRow, filters, offset, limit, sort)


@retry_stale
async def terminate_negotiation(
    context: NodeContext, negotiation_id: str, reason: str = "terminated by the owner"
) -> Ok[NegotiationRow] | Failure:
    """Terminate in any non-terminal state; the peer is told by the work loop."""
    async with context.database.session() as session:
        row = await _store.load_for_update(context, session, NegotiationRow, negotiation_id)
        if row is None:
            return not_found(f"negotiation {negotiation_id} not found")
        new_state = sent_move(
            Role(row.role), NegotiationState(row.state), NegotiationMessage.TERMINATION
        )
        if new_state is None:
            return bad_request(f"negotiation {negotiation_id} is {row.state}: cannot terminate")
        row.state = new_state
        row.error_detail = reason
        row.updated_at = context.clock.now()
        session.add(row)
        item = enqueue(context, session, KIND, row.id, "terminate", {"reason": reason})
        await _store.commit_and_dispatch(context, session, [item], [row.id])
    return Ok(row)


async def wait_for_negotiation(
    context: NodeContext,
    negotiation_id: str,
    states: Collection[str] = (NegotiationState.FINALIZED,),
    timeout_s: float = 30.0,
) -> Ok[NegotiationRow] | Failure:
    """Wait (event-driven, no polling) until the negotiation is in one of `states` or
    terminal; a Failure when it ends elsewhere or the time runs out."""

    async def check() -> NegotiationRow | None:
        row = await context.database.get(NegotiationRow, negotiation_id)
        if row is None or row.state in states or row.state in TERMINAL:
            return row
        return None

    row = await signals(context).wait_until(
        negotiation_id, check, timeout_s, lambda state: state in states or state in TERMINAL
    )
    if row is None:
        return not_found(f"negotiation {negotiation_id} not found or not done in {timeout_s}s")
    if row.state not in states:
        return bad_request(f"negotiation {negotiation_id} ended {row.state}: {row.error_detail}")
    return Ok(row)


async def get_agreement(context: NodeContext, agreement_id: str) -> Ok[AgreementRow] | Failure:
    row = await context.database.get(AgreementRow, agreement_id)
    return Ok(row) if row is not None else not_found(f"agreement {agreement_id} not found")


async def query_agreements(
    context: NodeContext,
    filters: Mapping[str, Any] | None = None,
    offset: int = 0,
    limit: int = 50,
    sort: tuple[str, str] | None = None,
) -> Ok[list[AgreementRow]] | Failure:
    return await _store.query_rows(context, AgreementRow, filters, offset, limit, sort)


async def revoke_agreement(
    context: NodeContext, agreement_id: str, reason: str = "revoked by the provider"
) -> Ok[AgreementRow] | Failure:
    """Revoke an agreement we provide: every EDR issued under it fails from now on (403)."""
    async with context.database.session() as session:
        row = await _store.load_for_update(context, session, AgreementRow, agreement_id)
        if row is None:
            return not_found(f"agreement {agreement_id} not found")
        if row.provider_id != context.settings.node.did:
            return bad_request(f"agreement {agreement_id}: only the provider can revoke it")
        if row.revoked_at is None:
            row.revoked_at = context.clock.now()
            row.revocation_reason = reason
            session.add(row)
        await session.commit()
    return Ok(row)


async def reinstate_agreement(
    context: NodeContext, agreement_id: str
) -> Ok[AgreementRow] | Failure:
    """Undo a revocation (Tractus-X "reactivate a retired agreement"): new EDRs work again."""
    async with context.database.session() as session:
        row = await _store.load_for_update(context, session, AgreementRow, agreement_id)
        if row is None:
            return not_found(f"agreement {agreement_id} not found")
        if row.revoked_at is None:
            return not_found(f"agreement {agreement_id} is not revoked")
        row.revoked_at = None
        row.revocation_reason = None
        session.add(row)
        await session.commit()
    return Ok(row)
