"""Decisions of the OFFERED/ACCEPTED branch (DSP 2025-1 "Contract Negotiation Protocol", state
machine: OFFERED -> REQUESTED by a counter-offer, OFFERED -> ACCEPTED): whether the consumer takes
an offer at once, and how the provider answers a counter-offer. Pure: the caller supplies the
policies, the participant and the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from connector.negotiation._policy import NEGOTIATION, evaluate_for, read_policy
from policies import Policy, match_offer, normalise


class CounterAction(StrEnum):
    AGREE = "agree"
    OFFER = "offer"
    TERMINATE = "terminate"


@dataclass(frozen=True)
class CounterDecision:
    """The provider's answer to a counter-offer, with the reasons (one line each)."""

    action: CounterAction
    reasons: tuple[str, ...] = ()


def _rules(policy: Policy) -> tuple[Any, ...]:
    """`policies.normalise` without the target: (permissions, prohibitions, obligations,
    profiles), each a frozenset of order-insensitive rule forms."""
    return cast(tuple[Any, ...], normalise(policy))[1:]


def _narrower(rule: Any, offered: frozenset[Any]) -> bool:
    """A permission of the counter-offer is one of ours with the same or more constraints and
    duties (same action, same extra properties)."""
    action, constraints, duties, extras = rule
    for their_action, their_constraints, their_duties, their_extras in offered:
        if (action, extras) != (their_action, their_extras):
            continue
        if constraints >= their_constraints and (duties or frozenset()) >= (
            their_duties or frozenset()
        ):
            return True
    return False


def widenings(counter: Policy, offered: Policy) -> tuple[str, ...]:
    """Why `counter` grants more than `offered` (empty: it is the same or stricter): every
    permission must narrow one of ours; our prohibitions, obligations and profiles must stay."""
    permissions, prohibitions, obligations, profiles = _rules(counter)
    our_permissions, our_prohibitions, our_obligations, our_profiles = _rules(offered)
    reasons = [
        f"a permission to {rule[0].rsplit('/', 1)[-1]} is wider than the offer"
        for rule in permissions
        if not _narrower(rule, our_permissions)
    ]
    if our_prohibitions - prohibitions:
        reasons.append("a prohibition of the offer is missing")
    if our_obligations - obligations:
        reasons.append("an obligation of the offer is missing")
    if profiles != our_profiles:
        reasons.append("profile differs")
    return tuple(reasons)


def same_terms(first: Policy, second: Policy) -> bool:
    """The two policies have the same rules (targets and ids aside)."""
    return bool(_rules(first) == _rules(second))


def offer_problems(
    offer: dict[str, Any], message_context: Any, asset_id: str | None, provider_id: str
) -> list[str]:
    """Consumer: why an offer cannot be considered (unreadable, another dataset, another
    assigner). `asset_id` None: a provider-initiated offer (any dataset)."""
    policy = read_policy(offer, message_context)
    if policy is None:
        return ["offer: not a readable ODRL policy"]
    problems = []
    if asset_id is not None and policy.target != asset_id:
        problems.append(f"offer.target: {policy.target}, the negotiation is about {asset_id}")
    if policy.assigner is not None and policy.assigner != provider_id:
        problems.append(f"offer.assigner: {policy.assigner} is not the provider")
    return problems


def takes_at_once(
    requested: dict[str, Any], offer: dict[str, Any], message_context: Any, asset_id: str
) -> bool:
    """Consumer: an offer with exactly the terms we requested is accepted at once; anything
    else waits in OFFERED for the operator."""
    ours = read_policy(requested)
    theirs = read_policy(offer, message_context)
    if ours is None or theirs is None:
        return False
    return match_offer(ours, theirs, target=asset_id).matched


def judge_counter(
    definition: Policy | None,
    last_offer: dict[str, Any],
    counter: Policy | None,
    asset_id: str,
    participant: Any,
    now: datetime,
) -> CounterDecision:
    """Provider: the counter-offer against the contract definition's policy. The consumer must
    qualify under the definition (policy engine, scope contract.negotiation); a counter-offer
    that is the same or stricter, and that the consumer satisfies, is agreed; otherwise the
    definition's terms are offered back, unless that is what we last offered (then the
    negotiation ends with the reasons)."""
    if definition is None:
        return _terminate("the contract definition of this negotiation is no longer offered")
    if counter is None:
        return _terminate("the counter-offer is not a readable ODRL policy")
    if counter.target != asset_id:
        return _terminate(f"offer.target: {counter.target}, the negotiation is about {asset_id}")
    qualifies = evaluate_for(definition, NEGOTIATION, participant, now)
    if not qualifies.allowed:
        return _terminate("the contract policy does not admit the consumer", *qualifies.reasons)
    wider = widenings(counter, definition)
    if not wider:
        own = evaluate_for(counter, NEGOTIATION, participant, now)
        if own.allowed:
            return CounterDecision(CounterAction.AGREE)
        wider = ("the consumer does not satisfy its own counter-offer", *own.reasons)
    last = read_policy(last_offer)
    if last is None or not same_terms(last, definition):
        return CounterDecision(CounterAction.OFFER, wider)
    return _terminate("the counter-offer is not acceptable", *wider)


def _terminate(*reasons: str) -> CounterDecision:
    return CounterDecision(CounterAction.TERMINATE, reasons)
