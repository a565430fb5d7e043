"""The provider's judgement of a counter-offer and the consumer's take-at-once rule, as pure
decisions (connector/negotiation/_counter.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from connector.negotiation._counter import (
    CounterAction,
    judge_counter,
    offer_problems,
    takes_at_once,
    widenings,
)
from policies import parse_policy

NOW = datetime(2026, 6, 1, tzinfo=UTC)
BEFORE_2099 = {
    "leftOperand": "dateTime",
    "operator": "lteq",
    "rightOperand": "2099-01-01T00:00:00Z",
}
BEFORE_2000 = {
    "leftOperand": "dateTime",
    "operator": "lteq",
    "rightOperand": "2000-01-01T00:00:00Z",
}
MEMBER = {
    "leftOperand": "https://w3id.org/catenax/policy/Membership",
    "operator": "eq",
    "rightOperand": "active",
}


@dataclass(frozen=True)
class Participant:
    did: str = "did:web:consumer.test"
    credentials: tuple[object, ...] = ()


def offer(*constraints, target="asset-1", extra=None, offer_id="o-1"):
    document = {
        "@id": offer_id,
        "@type": "Offer",
        "target": target,
        "permission": [{"action": "use", "constraint": list(constraints)}],
    }
    document.update(extra or {})
    return document


def policy(document):
    return parse_policy(document)


def test_widenings_are_empty_when_counter_adds_a_constraint():
    assert widenings(policy(offer(BEFORE_2099, MEMBER)), policy(offer(MEMBER))) == ()


def test_widenings_name_the_permission_when_counter_drops_a_constraint():
    assert widenings(policy(offer()), policy(offer(BEFORE_2099))) == (
        "a permission to use is wider than the offer",
    )


def test_widenings_name_missing_prohibition_when_counter_drops_it():
    prohibited = offer(extra={"prohibition": [{"action": "distribute"}]})
    assert widenings(policy(offer()), policy(prohibited)) == (
        "a prohibition of the offer is missing",
    )


def test_widenings_name_missing_obligation_when_counter_drops_it():
    obliged = offer(extra={"obligation": [{"action": "inform"}]})
    assert widenings(policy(offer()), policy(obliged)) == ("an obligation of the offer is missing",)


def test_counter_is_agreed_when_stricter_and_satisfied():
    decision = judge_counter(
        policy(offer(BEFORE_2099)),
        offer(BEFORE_2099),
        policy(offer(BEFORE_2099, {**BEFORE_2099, "rightOperand": "2098-01-01T00:00:00Z"})),
        "asset-1",
        Participant(),
        NOW,
    )
    assert decision.action is CounterAction.AGREE
    assert decision.reasons == ()


def test_counter_is_terminated_when_wider_than_standing_offer():
    decision = judge_counter(
        policy(offer(BEFORE_2099)),
        offer(BEFORE_2099),
        policy(offer()),
        "asset-1",
        Participant(),
        NOW,
    )
    assert decision.action is CounterAction.TERMINATE
    assert decision.reasons == (
        "the counter-offer is not acceptable",
        "a permission to use is wider than the offer",
    )


def test_definition_is_offered_back_when_it_changed_since_last_offer():
    decision = judge_counter(
        policy(offer(BEFORE_2099)), offer(), policy(offer()), "asset-1", Participant(), NOW
    )
    assert decision.action is CounterAction.OFFER
    assert decision.reasons == ("a permission to use is wider than the offer",)


def test_counter_is_not_agreed_when_consumer_fails_its_own_terms():
    decision = judge_counter(
        policy(offer()), offer(), policy(offer(BEFORE_2000)), "asset-1", Participant(), NOW
    )
    assert decision.action is CounterAction.TERMINATE
    assert decision.reasons[:2] == (
        "the counter-offer is not acceptable",
        "the consumer does not satisfy its own counter-offer",
    )


def test_counter_is_terminated_when_definition_denies_consumer():
    decision = judge_counter(
        policy(offer(MEMBER)), offer(MEMBER), policy(offer(MEMBER)), "asset-1", Participant(), NOW
    )
    assert decision.action is CounterAction.TERMINATE
    assert decision.reasons[0] == "the contract policy does not admit the consumer"


def test_counter_is_terminated_when_target_or_definition_is_wrong():
    other = judge_counter(
        policy(offer()), offer(), policy(offer(target="asset-2")), "asset-1", Participant(), NOW
    )
    assert other.reasons == ("offer.target: asset-2, the negotiation is about asset-1",)
    gone = judge_counter(None, offer(), policy(offer()), "asset-1", Participant(), NOW)
    assert gone.reasons == ("the contract definition of this negotiation is no longer offered",)
    unreadable = judge_counter(policy(offer()), offer(), None, "asset-1", Participant(), NOW)
    assert unreadable.reasons == ("the counter-offer is not a readable ODRL policy",)


def test_offer_is_taken_at_once_only_when_terms_are_identical():
    requested = offer(BEFORE_2099)
    assert takes_at_once(requested, offer(BEFORE_2099, offer_id="o-2"), None, "asset-1")
    assert not takes_at_once(requested, offer(), None, "asset-1")
    assert not takes_at_once(requested, {"@id": "x", "permission": "nonsense"}, None, "asset-1")


def test_offer_problems_name_target_and_assigner_when_they_differ():
    foreign = offer(target="asset-2", extra={"assigner": "did:web:other"})
    assert offer_problems(foreign, None, "asset-1", "did:web:provider") == [
        "offer.target: asset-2, the negotiation is about asset-1",
        "offer.assigner: did:web:other is not the provider",
    ]
    assert offer_problems(offer(), None, "asset-1", "did:web:provider") == []
