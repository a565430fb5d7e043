"""Shipped templates for carbon data and offer/agreement matching."""

from __future__ import annotations

import pytest

from policies import (
    Constraint,
    LogicalConstraint,
    LogicalOperator,
    Permission,
    Policy,
    PolicyType,
    Prohibition,
    Scope,
    TemplateError,
    evaluate,
    list_templates,
    match_offer,
    normalise,
    parse_policy,
    policy_template,
    to_dsp,
)
from tests.policies.conftest import CONSUMER, NOW, agreement, context, member, pcf

CX = "https://w3id.org/catenax/2025/9/policy/"


def test_templates_when_listed_have_names_descriptions_and_options() -> None:
    names = [t.name for t in list_templates()]
    assert names == ["members-only", "members-with-pcf-framework", "named-customers"]
    assert all(t.description and t.options for t in list_templates())


def test_members_only_template_when_rendered_is_catenax_shaped() -> None:
    policy = policy_template("members only", uid="p-1")
    assert to_dsp(policy) == {
        "@id": "p-1",
        "@type": "Set",
        "permission": [
            {
                "action": "use",
                "constraint": [
                    {
                        "and": [
                            {
                                "leftOperand": "Membership",
                                "operator": "eq",
                                "rightOperand": "active",
                            },
                            {
                                "leftOperand": "UsagePurpose",
                                "operator": "isAnyOf",
                                "rightOperand": ["cx.pcf.base:1"],
                            },
                        ]
                    }
                ],
            }
        ],
    }


def test_members_only_template_when_evaluated_needs_membership() -> None:
    policy = policy_template("members-only")
    assert evaluate(policy, Scope.CATALOG, context(credentials=(member(),))).allowed is True
    assert evaluate(policy, Scope.CATALOG, context()).allowed is False


def test_pcf_template_when_evaluated_needs_framework_version() -> None:
    policy = policy_template(
        "members-with-pcf-framework",
        framework_version="1.0",
        purposes="cx.pcf.base:1,cbam",
        not_after="2026-12-31T23:59:59Z",
    )
    good = context(credentials=(member(), pcf("1.0")), purpose="pcf")
    assert evaluate(policy, Scope.NEGOTIATION, good).allowed is True
    old = context(credentials=(member(), pcf("0.9")), purpose="pcf")
    assert evaluate(policy, Scope.NEGOTIATION, old).allowed is False
    late = context(now=NOW.replace(year=2027), credentials=(member(), pcf("1.0")))
    assert evaluate(policy, Scope.NEGOTIATION, late).allowed is False
    wrong_purpose = context(credentials=(member(), pcf("1.0")), purpose="marketing")
    assert evaluate(policy, Scope.NEGOTIATION, wrong_purpose).allowed is False


def test_named_customers_template_when_evaluated_admits_only_them() -> None:
    policy = policy_template(
        "named-customers",
        customers=[CONSUMER],
        groups="tier1",
        require_membership=False,
        usage_days=30,
        purposes=[],
    )
    assert evaluate(policy, Scope.TRANSFER, context(agreement=agreement(3))).allowed is True
    stranger = context(participant_id="did:web:x", agreement=agreement(3))
    assert evaluate(policy, Scope.TRANSFER, stranger).allowed is False
    grouped = context(
        participant_id="did:web:x",
        agreement=agreement(3),
        partner_groups={"tier1": frozenset({"did:web:x"})},
    )
    assert evaluate(policy, Scope.TRANSFER, grouped).allowed is True
    expired = context(agreement=agreement(31))
    assert evaluate(policy, Scope.TRANSFER, expired).allowed is False


def test_template_options_when_given_set_type_target_and_window() -> None:
    policy = policy_template(
        "members-only",
        policy_type="Offer",
        target="asset-1",
        assigner="did:web:p",
        not_before="2026-01-01",
        purposes=None,
    )
    assert (policy.type, policy.target, policy.assigner) == (
        PolicyType.OFFER,
        "asset-1",
        "did:web:p",
    )
    conjunction = policy.permissions[0].constraints[0]
    assert isinstance(conjunction, LogicalConstraint)
    assert conjunction.constraints[1] == Constraint("dateTime", "gteq", "2026-01-01")


@pytest.mark.parametrize(
    ("name", "options", "option"),
    [
        ("nobody", {}, "name"),
        ("members-only", {"colour": "red"}, "colour"),
        ("members-only", {"not_after": "tomorrow"}, "not_after"),
        ("members-only", {"usage_days": "-3"}, "usage_days"),
        ("named-customers", {}, "customers"),
        ("members-only", {"policy_type": "Deal"}, "policy_type"),
    ],
)
def test_template_when_misused_names_the_option(
    name: str, options: dict[str, object], option: str
) -> None:
    with pytest.raises(TemplateError) as error:
        policy_template(name, **options)
    assert error.value.option == option


OFFER = Policy(
    type=PolicyType.OFFER,
    uid="offer-1",
    target="asset-1",
    assigner="did:web:p",
    permissions=(
        Permission(
            "use",
            (
                LogicalConstraint(
                    LogicalOperator.AND,
                    (
                        Constraint("Membership", "eq", "active"),
                        Constraint("UsagePurpose", "isAnyOf", ("cx.pcf.base:1", "cbam")),
                    ),
                ),
            ),
        ),
    ),
)


def test_match_when_request_reorders_and_flattens_matches() -> None:
    requested = parse_policy(
        {
            "@type": "Offer",
            "@id": "offer-1",
            "target": "asset-1",
            "assigner": "did:web:p",
            "permission": [
                {
                    "action": "use",
                    "constraint": [
                        {
                            "leftOperand": "UsagePurpose",
                            "operator": "isAnyOf",
                            "rightOperand": ["cbam", "cx.pcf.base:1"],
                        },
                        {"leftOperand": "Membership", "operator": "eq", "rightOperand": "active"},
                    ],
                }
            ],
        }
    )
    assert match_offer(OFFER, requested).matched is True
    assert normalise(OFFER) == normalise(requested)


def test_match_when_catalog_offer_lacks_target_uses_expected_target() -> None:
    catalog_offer = Policy(type=PolicyType.OFFER, uid="offer-1", permissions=OFFER.permissions)
    assert match_offer(catalog_offer, OFFER, target="asset-1").matched is True
    result = match_offer(catalog_offer, OFFER, target="asset-2")
    assert result.reasons == ("target differs: offered asset-2, requested asset-1",)


@pytest.mark.parametrize(
    ("requested", "reason"),
    [
        (
            Policy(type=PolicyType.OFFER, target="asset-1", permissions=(Permission("use"),)),
            "permission missing from the request: ",
        ),
        (
            Policy(
                type=PolicyType.OFFER,
                target="asset-1",
                assigner="did:web:evil",
                permissions=OFFER.permissions,
            ),
            "assigner differs: offered did:web:p, requested did:web:evil",
        ),
        (Policy(type=PolicyType.OFFER, permissions=OFFER.permissions), "the request has no target"),
        (
            Policy(
                type=PolicyType.OFFER,
                target="asset-1",
                permissions=OFFER.permissions,
                prohibitions=(Prohibition("use"),),
            ),
            'prohibition not in the offer: {"action": "use"}',
        ),
    ],
)
def test_match_when_request_differs_reports_the_difference(requested: Policy, reason: str) -> None:
    result = match_offer(OFFER, requested)
    assert result.matched is False
    assert result.reasons[0].startswith(reason)


def test_match_when_and_sequence_reordered_does_not_match() -> None:
    def seq(*values: str) -> Policy:
        members = tuple(Constraint("ParticipantId", "neq", v) for v in values)
        return Policy(
            target="t",
            permissions=(
                Permission("use", (LogicalConstraint(LogicalOperator.AND_SEQUENCE, members),)),
            ),
        )

    assert match_offer(seq("a", "b"), seq("a", "b")).matched is True
    assert match_offer(seq("a", "b"), seq("b", "a")).matched is False


def test_match_when_agreement_carries_offer_rules_matches() -> None:
    agreed = Policy(
        type=PolicyType.AGREEMENT,
        uid="agr-1",
        target="asset-1",
        assigner="did:web:p",
        assignee=CONSUMER,
        timestamp="2026-06-01T12:00:00Z",
        permissions=OFFER.permissions,
    )
    assert match_offer(OFFER, agreed).matched is True
