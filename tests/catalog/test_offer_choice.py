"""Offer selection (issue 7, item 1): negotiate the offer whose contract policy our own
credentials satisfy; none satisfiable means policy_denied without negotiating."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from catalog import Dataset, NoOffer, Offer, OfferChoice, choose_offer, request_offer
from policies import CredentialClaim, Policy, policy_template

US = "did:web:127.0.0.1%3A9103"
AUTHORITY = "did:web:127.0.0.1%3A9100"
NOW = datetime(2026, 3, 1, tzinfo=UTC)
PCF = policy_template("members-with-pcf-framework")
GOVERNANCE = policy_template("members-with-pcf-framework", framework="DataExchangeGovernance")
PARTNERS = policy_template("named-customers", groups=["tier1"], require_membership=False)


def _claim(kind: str, **claims: str) -> CredentialClaim:
    return CredentialClaim(
        frozenset({"VerifiableCredential", kind}),
        AUTHORITY,
        US,
        claims,
        NOW - timedelta(days=1),
        NOW + timedelta(days=300),
    )


OURS = (
    _claim("MembershipCredential", memberOf="carbonspace"),
    _claim("PcfFrameworkCredential", contractVersion="1.0"),
)


def _dataset(*offers: tuple[str, Policy]) -> Dataset:
    return Dataset(
        "pcf-coil",
        tuple(
            Offer(offer_id, replace(policy, target=None), {"@id": offer_id, "@type": "Offer"})
            for offer_id, policy in offers
        ),
    )


def test_choose_offer_when_first_needs_a_credential_we_lack_picks_the_second() -> None:
    dataset = _dataset(("offer-governance", GOVERNANCE), ("offer-pcf", PCF))
    choice = choose_offer([dataset], US, NOW, OURS)
    assert isinstance(choice, OfferChoice)
    assert (choice.offer.id, choice.dataset.id, choice.checked) == ("offer-pcf", "pcf-coil", True)


def test_choose_offer_when_none_satisfiable_names_each_offer_and_the_missing_credential() -> None:
    dataset = _dataset(("offer-governance", GOVERNANCE))
    choice = choose_offer([dataset], US, NOW, OURS)
    assert isinstance(choice, NoOffer)
    (reason,) = choice.reasons
    assert reason.startswith("offer offer-governance: constraint_unsatisfied")
    assert "DataExchangeGovernance" in reason
    assert choice.detail("did:web:mill", "coil").startswith(
        "did:web:mill offers product coil only under contract policies we cannot satisfy: "
        "offer offer-governance: "
    )


def test_choose_offer_when_credential_expired_treats_it_as_missing() -> None:
    expired = tuple(replace(c, expires_at=NOW - timedelta(seconds=1)) for c in OURS)
    choice = choose_offer([_dataset(("offer-pcf", PCF))], US, NOW, expired)
    assert isinstance(choice, NoOffer)


def test_choose_offer_when_only_provider_groups_unknown_tries_that_offer() -> None:
    dataset = _dataset(("offer-governance", GOVERNANCE), ("offer-partners", PARTNERS))
    choice = choose_offer([dataset], US, NOW, OURS)
    assert isinstance(choice, OfferChoice)
    assert choice.offer.id == "offer-partners"


def test_choose_offer_when_satisfiable_offer_follows_a_provider_side_one_prefers_it() -> None:
    dataset = _dataset(("offer-partners", PARTNERS), ("offer-pcf", PCF))
    choice = choose_offer([dataset], US, NOW, OURS)
    assert isinstance(choice, OfferChoice)
    assert choice.offer.id == "offer-pcf"


def test_choose_offer_when_own_credentials_unknown_leaves_the_choice_to_the_provider() -> None:
    dataset = _dataset(("offer-governance", GOVERNANCE), ("offer-pcf", PCF))
    choice = choose_offer([dataset], US, NOW, None)
    assert isinstance(choice, OfferChoice)
    assert (choice.offer.id, choice.checked) == ("offer-governance", False)


def test_request_offer_when_built_targets_the_dataset_and_names_the_provider() -> None:
    dataset = _dataset(("offer-pcf", PCF))
    choice = OfferChoice(dataset, dataset.offers[0])
    offer = request_offer({"@context": ["ctx"]}, choice, "did:web:mill")
    assert offer == {
        "@context": ["ctx"],
        "@id": "offer-pcf",
        "@type": "Offer",
        "target": "pcf-coil",
        "assigner": "did:web:mill",
    }
