"""Which offer of a dataset a consumer negotiates ("pick the offer whose policy we can
satisfy": the upstream resolver and `fetch`).

A provider may offer one dataset under several contract definitions (one catalog offer each).
Before negotiating, the consumer evaluates every offered contract policy with the policy engine
(`policies.evaluate`, scope `contract.negotiation`) against its own verified credentials, the
way the provider will, and picks the first offer that holds. Constraints only the provider can
evaluate (its business partner groups) do not rule an offer out: such an offer is the second
choice. When no offer can hold, the caller gets every offer's reasons and starts no negotiation
(it would only end TERMINATED): the resolver flags the line `policy_denied`, fetch answers 403.
The consumer's own credentials come from `NodeIdentity.own_credentials` (connector.identity)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from catalog._model import Dataset, Offer
from policies import CredentialClaim, Decision, PolicyContext, Scope, evaluate

# Left operands whose data only the provider holds: we cannot tell whether they hold for us.
PROVIDER_SIDE = frozenset({"BusinessPartnerGroup"})


@dataclass(frozen=True)
class OfferChoice:
    """The offer to negotiate; `checked` is False when our credentials were unknown."""

    dataset: Dataset
    offer: Offer
    checked: bool = True


@dataclass(frozen=True)
class NoOffer:
    """No offer's contract policy can hold for us: one line per offer, with the reasons."""

    reasons: tuple[str, ...]

    def detail(self, supplier: str, product_id: str) -> str:
        return (
            f"{supplier} offers product {product_id} only under contract policies we cannot "
            "satisfy: " + " | ".join(self.reasons)
        )


def _short(iri: str | None) -> str:
    text = iri or ""
    for separator in ("/", "#", ":"):
        text = text.rsplit(separator, 1)[-1]
    return text


def _rank(decision: Decision) -> int:
    """0: holds; 1: only provider-side terms unknown to us fail; 2: cannot hold."""
    if decision.allowed:
        return 0
    provider_side = all(
        r.code == "constraint_unsatisfied" and _short(r.left_operand) in PROVIDER_SIDE
        for r in decision.reasons
    )
    return 1 if provider_side and decision.reasons else 2


def choose_offer(
    datasets: Sequence[Dataset],
    participant_id: str,
    now: datetime,
    credentials: Sequence[CredentialClaim] | None,
) -> OfferChoice | NoOffer:
    """The first offer (catalog order) whose contract policy holds for us, else the first one
    that fails only on provider-side terms; `credentials=None` (unknown): the first offer that
    holds without credentials, else the catalog's first (the provider decides)."""
    context = PolicyContext(participant_id, now, tuple(credentials or ()))
    best: tuple[int, OfferChoice] | None = None
    reasons: list[str] = []
    for dataset in datasets:
        for offer in dataset.offers:
            decision = evaluate(offer.policy, Scope.NEGOTIATION, context)
            rank = _rank(decision)
            if rank == 0:
                return OfferChoice(dataset, offer, credentials is not None)
            if rank == 1 and (best is None or best[0] > 1):
                best = (1, OfferChoice(dataset, offer))
            reasons.append(
                f"offer {offer.id}: " + "; ".join(r.describe() for r in decision.reasons)
            )
    if best is not None:
        return best[1]
    if credentials is None and datasets and datasets[0].offers:
        return OfferChoice(datasets[0], datasets[0].offers[0], checked=False)
    return NoOffer(tuple(reasons) or ("the dataset carries no offer",))


def request_offer(
    document: dict[str, Any], choice: OfferChoice, provider_id: str
) -> dict[str, Any]:
    """The chosen catalog offer as a contract request's offer (DSP 2025-1: target, assigner)."""
    raw = dict(choice.offer.raw)
    context_value = document.get("@context")
    offer = {"@context": context_value, **raw} if context_value else raw
    offer.update({"target": choice.dataset.id, "assigner": provider_id})
    return offer
