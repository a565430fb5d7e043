"""Cross-check with a real JSON-LD processor (pyld, offline loader with the spec contexts):
what a JSON-LD peer such as the DSP TCK reads from our output is what we meant, and what we read
from a processor's expansion is what the compact message says."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pyld import jsonld

from policies import (
    Policy,
    PolicyType,
    dsp_context_for,
    normalise,
    parse_policy,
    parse_policy_document,
    policy_template,
    to_dsp,
    to_expanded,
)
from tests.policies.conftest import CONSUMER, SPECS

CX_DIR = SPECS / "catenax-pcf/policy-profile-2025-09/context"
CONTEXTS = {
    "https://w3id.org/dspace/2025/1/context.jsonld": SPECS / "dsp/context/dspace.jsonld",
    "https://w3id.org/dspace/2025/1/odrl-profile.jsonld": SPECS / "dsp/context/odrl.jsonld",
    "https://w3id.org/catenax/2025/9/policy/context.jsonld": CX_DIR / "context.jsonld",
}


def test_catenax_context_after_dsp_context_when_expanded_is_rejected() -> None:
    message = {
        "@context": [
            "https://w3id.org/dspace/2025/1/context.jsonld",
            "https://w3id.org/catenax/2025/9/policy/context.jsonld",
        ],
        "@type": "ContractRequestMessage",
        "consumerPid": "urn:uuid:c",
    }
    with pytest.raises(jsonld.JsonLdError) as error:
        _expand(message)
    assert error.value.code == "protected term redefinition"


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXTS[url].read_text()),
    }


def _expand(document: Any) -> list[dict[str, Any]]:
    return jsonld.expand(document, {"documentLoader": _loader, "base": None})  # type: ignore[no-any-return]


def _messages() -> list[tuple[str, str]]:
    return [
        ("negotiation/contract-agreement-message-full.json", "agreement"),
        ("negotiation/contract-agreement-message.json", "agreement"),
        ("negotiation/contract-offer-message.json", "offer"),
        ("negotiation/contract-request-message.json", "offer"),
        ("negotiation/contract-request-message_initial.json", "offer"),
    ]


@pytest.mark.parametrize(("name", "key"), _messages())
def test_processor_expansion_of_dsp_example_when_read_equals_compact_reading(
    name: str, key: str
) -> None:
    message = json.loads((SPECS / "dsp/examples" / name).read_text())
    expanded = _expand(message)[0]["https://w3id.org/dspace/2025/1/" + key]
    compact = parse_policy(message[key], context=message["@context"])
    assert parse_policy_document(expanded) == compact


POLICIES = [
    policy_template(
        "members-with-pcf-framework",
        policy_type="Offer",
        uid="urn:uuid:o1",
        target="asset-1",
        not_after="2026-12-31T23:59:59Z",
    ),
    policy_template(
        "named-customers",
        policy_type="Offer",
        uid="urn:uuid:o2",
        target="asset-2",
        customers=[CONSUMER],
        groups=["tier1"],
        usage_days=30,
    ),
]


@pytest.mark.parametrize("policy", POLICIES, ids=["pcf-framework", "named-customers"])
def test_our_dsp_offer_when_expanded_by_a_processor_reads_back_unchanged(policy: Policy) -> None:
    message = {
        "@context": dsp_context_for(policy),
        "@type": "ContractRequestMessage",
        "consumerPid": "urn:uuid:c",
        "callbackAddress": "https://c.example/cb",
        "offer": to_dsp(policy),
    }
    expanded = _expand(message)[0]["https://w3id.org/dspace/2025/1/offer"]
    # JSON-LD has no one-element lists outside @list/@set: ["x"] reads back as "x"
    assert normalise(parse_policy_document(expanded)) == normalise(policy)


def test_our_dsp_agreement_when_expanded_by_a_processor_keeps_parties_and_timestamp() -> None:
    base = POLICIES[0]
    agreement = Policy(
        type=PolicyType.AGREEMENT,
        uid="urn:uuid:a1",
        target="asset-1",
        assigner="did:web:p",
        assignee=CONSUMER,
        timestamp="2026-06-01T12:00:00Z",
        permissions=base.permissions,
    )
    message = {
        "@context": dsp_context_for(agreement),
        "@type": "ContractAgreementMessage",
        "providerPid": "urn:uuid:p",
        "consumerPid": "urn:uuid:c",
        "agreement": to_dsp(agreement),
    }
    read = parse_policy_document(_expand(message)[0]["https://w3id.org/dspace/2025/1/agreement"])
    assert normalise(read) == normalise(agreement)
    assert (read.assigner, read.assignee, read.timestamp) == (
        "did:web:p",
        CONSUMER,
        "2026-06-01T12:00:00Z",
    )


@pytest.mark.parametrize("policy", POLICIES, ids=["pcf-framework", "named-customers"])
def test_our_expanded_form_when_expanded_again_is_a_fixed_point(policy: Policy) -> None:
    assert _expand(to_expanded(policy)) == to_expanded(policy)
