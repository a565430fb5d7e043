"""The policy checks of a negotiation and of everything that runs under an agreement: offer
matching and evaluation (POLICY stream, `policies`), with the offers MGMT resolves
(`connector.contracts.service.resolve_offer`). Fail closed: a policy that cannot be read denies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from connector.outcome import Failure, Ok, bad_request, not_found
from policies import (
    AgreementInfo,
    Policy,
    PolicyContext,
    PolicyParseError,
    PolicyType,
    Scope,
    evaluate,
    match_offer,
    parse_policy,
    to_dsp,
)

if TYPE_CHECKING:
    from connector.context import NodeContext
    from connector.negotiation.models import AgreementRow


@dataclass(frozen=True)
class Verdict:
    """allowed, or the reasons why not (one line each)."""

    allowed: bool
    reasons: tuple[str, ...] = ()


def _reasons(decision: Any) -> tuple[str, ...]:
    return tuple(getattr(reason, "message", str(reason)) for reason in decision.reasons)


def read_policy(document: Any, context: Any = None) -> Any:
    """A `policies.Policy` from a compact/expanded ODRL node, or None when unreadable."""
    try:
        return parse_policy(document, context=context)
    except (PolicyParseError, TypeError, ValueError):
        return None


_AGREEMENT_CACHE = "negotiation.agreement_policies"
_AGREEMENT_CACHE_SIZE = 4096


def agreement_policy(context: NodeContext, agreement: AgreementRow) -> Any:
    """The agreement's parsed policy; agreements never change, so it is parsed once per node
    (the data plane re-checks it on every call)."""
    cache: dict[str, Any] = context.services.setdefault(_AGREEMENT_CACHE, {})
    if agreement.id not in cache:
        if len(cache) >= _AGREEMENT_CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[agreement.id] = read_policy(agreement.policy)
    return cache[agreement.id]


def check_request(
    offered: Any,
    requested_document: dict[str, Any],
    asset_id: str,
    provider_id: str,
    message_context: Any,
) -> Verdict:
    """The requested offer must equal the offered policy (target = the asset)."""
    requested = read_policy(requested_document, message_context)
    if requested is None:
        return Verdict(False, ("the requested offer is not a readable ODRL policy",))
    result = match_offer(offered, requested, target=asset_id, assigner=provider_id)
    if not result.matched:
        return Verdict(False, ("the request does not match the offer", *result.reasons))
    return Verdict(True)


def evaluate_for(
    policy: Any,
    scope: Scope,
    participant: Any,
    now: datetime,
    agreement: AgreementRow | None = None,
) -> Verdict:
    """Evaluate `policy` in `scope` for a verified participant (DID + credential claims)."""
    if policy is None:
        return Verdict(False, ("the policy cannot be read",))
    info = AgreementInfo(agreement.id, _aware(agreement.signed_at)) if agreement else None
    context = PolicyContext(
        participant_id=participant.did,
        now=now,
        credentials=tuple(getattr(participant, "credentials", ())),
        agreement=info,
    )
    decision = evaluate(policy, scope, context)
    return Verdict(decision.allowed, _reasons(decision))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def resolve_offer(context: NodeContext, participant: Any, offer: dict[str, Any]) -> Any:
    """MGMT's offer resolution (`connector.contracts.service.resolve_offer`)."""
    from connector.contracts import service as contracts

    return await contracts.resolve_offer(context, participant, offer)


async def definition_policy(context: NodeContext, definition_id: str | None) -> Any:
    """The contract policy of a contract definition as it is now, or None when the definition
    is gone or unreadable (a counter-offer is judged against it)."""
    from connector.contracts import offer_definitions

    if definition_id is None:
        return None
    found = await offer_definitions(context, definition_id)
    return found[0].contract_policy if found else None


async def offered_policy(
    context: NodeContext, asset_id: str, definition_id: str | None
) -> Ok[tuple[str, Any]] | Failure:
    """(contract definition id, contract policy) of the first definition (or the one named)
    whose asset selector selects `asset_id`: what a provider-initiated offer proposes."""
    from catalog import matches_all
    from connector.assets import asset_entry
    from connector.assets.models import AssetRow
    from connector.contracts import offer_definitions

    row = await context.database.get(AssetRow, asset_id)
    if row is None:
        return not_found(f"assetId: asset {asset_id!r} not found")
    record = asset_entry(row).record()
    for definition in await offer_definitions(context, definition_id):
        if matches_all(definition.assets_selector, record):
            return Ok((definition.id, definition.contract_policy))
    named = f"contract definition {definition_id!r}" if definition_id else "no contract definition"
    return bad_request(f"contractDefinitionId: {named} offers asset {asset_id!r}")


def offer_document(offer_id: str, provider_id: str, asset_id: str, policy: Any) -> dict[str, Any]:
    """A DSP 2025-1 `Offer` (compact, with `target` and `assigner`) of `policy`'s rules."""
    offered = Policy(
        type=PolicyType.OFFER,
        uid=offer_id,
        assigner=provider_id,
        target=asset_id,
        permissions=policy.permissions,
        prohibitions=policy.prohibitions,
        obligations=policy.obligations,
        profiles=policy.profiles,
    )
    document = to_dsp(offered, catenax_terms=False)
    document.update({"@id": offer_id, "@type": "Offer", "target": asset_id})
    return document


NEGOTIATION = Scope.NEGOTIATION
TRANSFER = Scope.TRANSFER
DATA_ACCESS = Scope.DATA_ACCESS
