"""Constraint functions: credentials, identity, purpose, time, Catena-X terms, plug-ins."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from policies import (
    DEFAULT_REGISTRY,
    Compiled,
    Constraint,
    ConstraintFunction,
    CredentialClaim,
    Operator,
    Permission,
    Policy,
    PolicyContext,
    Reason,
    Scope,
    evaluate,
    parse_policy,
    parse_policy_document,
    unsatisfied,
)
from tests.policies.conftest import (
    AUTHORITY,
    CONSUMER,
    NOW,
    SPECS,
    agreement,
    context,
    credential,
    member,
    one,
    pcf,
)

CX_LEGACY = "https://w3id.org/catenax/policy/"


def decide(policy: Policy, scope: Scope = Scope.NEGOTIATION, **fields: object) -> bool:
    return evaluate(policy, scope, context(**fields)).allowed


def test_membership_when_valid_credential_present_allows() -> None:
    assert decide(one("Membership", "eq", "active"), credentials=(member(),)) is True


@pytest.mark.parametrize(
    "claim",
    [
        CredentialClaim(
            frozenset({"MembershipCredential"}),
            AUTHORITY,
            CONSUMER,
            expires_at=NOW - timedelta(seconds=1),
        ),
        CredentialClaim(
            frozenset({"MembershipCredential"}),
            AUTHORITY,
            CONSUMER,
            issued_at=NOW + timedelta(seconds=1),
        ),
        CredentialClaim(frozenset({"MembershipCredential"}), AUTHORITY, "did:web:someone-else"),
        CredentialClaim(frozenset({"PcfFrameworkCredential"}), AUTHORITY, CONSUMER),
    ],
    ids=["expired", "not-yet-valid", "other-subject", "other-type"],
)
def test_membership_when_credential_not_valid_denies(claim: CredentialClaim) -> None:
    decision = evaluate(
        one("Membership", "eq", "active"), Scope.CATALOG, context(credentials=(claim,))
    )
    assert decision.reasons[0].message == "Membership eq: no valid MembershipCredential"


def test_membership_type_as_iri_when_evaluated_counts() -> None:
    claim = CredentialClaim(
        frozenset({"https://w3id.org/catenax/credentials/MembershipCredential"}),
        AUTHORITY,
        CONSUMER,
    )
    assert decide(one("Membership", "eq", "active"), credentials=(claim,)) is True


def test_membership_with_other_right_operand_when_evaluated_is_invalid() -> None:
    decision = evaluate(
        one("Membership", "eq", "inactive"), Scope.CATALOG, context(credentials=(member(),))
    )
    assert decision.reasons[0].code == "invalid_right_operand"


@pytest.mark.parametrize(
    ("right", "claims", "expected"),
    [
        ("Pcf:1.0", (pcf("1.0"),), True),
        ("Pcf:2.0", (pcf("1.0"),), False),
        ("Pcf", (pcf("3.1"),), True),
        ("pcf:1.0", (pcf("1.0"),), True),
        ("Pcf:1.0", (), False),
        (
            "DataExchangeGovernance:1.0",
            (credential("DataExchangeGovernanceCredential", contractVersion="1.0"),),
            True,
        ),
        ("DataExchangeGovernance:1.0", (pcf("1.0"),), False),
    ],
)
def test_framework_agreement_when_evaluated_matches_type_and_version(
    right: str, claims: tuple[CredentialClaim, ...], expected: bool
) -> None:
    assert decide(one("FrameworkAgreement", "eq", right), credentials=claims) is expected


def test_framework_agreement_when_version_differs_reports_found_versions() -> None:
    decision = evaluate(
        one("FrameworkAgreement", "eq", "Pcf:2.0"),
        Scope.NEGOTIATION,
        context(credentials=(pcf("1.0"),)),
    )
    reason = decision.reasons[0]
    assert (reason.expected, reason.actual) == ("Pcf:2.0", ["1.0"])
    assert reason.message == (
        "FrameworkAgreement eq: no valid PcfFrameworkCredential or "
        "PcfCredential with contractVersion 2.0"
    )


def test_legacy_catenax_namespace_when_evaluated_maps_to_same_function() -> None:
    policy = one(CX_LEGACY + "FrameworkAgreement", "eq", "Pcf:1.0")
    assert decide(policy, credentials=(pcf(),)) is True


@pytest.mark.parametrize(
    ("operator", "right", "claims", "expected"),
    [
        ("isAnyOf", ["BPNL000000000002"], (pcf(),), True),
        ("isAnyOf", ["BPNL000000000009"], (pcf(),), False),
        ("isNoneOf", ["BPNL000000000009"], (pcf(),), True),
        ("isNoneOf", ["BPNL000000000009"], (), False),
        ("eq", "BPNL000000000002", (member(holderIdentifier="BPNL000000000002"),), True),
    ],
)
def test_business_partner_number_when_evaluated_uses_verified_claims(
    operator: str, right: object, claims: tuple[CredentialClaim, ...], expected: bool
) -> None:
    assert decide(one("BusinessPartnerNumber", operator, right), credentials=claims) is expected


def test_business_partner_group_when_group_lists_bpn_matches() -> None:
    groups = {"ecu-suppliers": frozenset({"BPNL000000000002"})}
    policy = one("BusinessPartnerGroup", "isAnyOf", ["ecu-suppliers"])
    assert decide(policy, credentials=(pcf(),), partner_groups=groups) is True
    assert decide(policy, partner_groups=groups) is False


def test_business_partner_group_when_denied_reports_groups_held() -> None:
    groups = {"a": frozenset({CONSUMER}), "b": frozenset()}
    decision = evaluate(
        one("BusinessPartnerGroup", "isAnyOf", ["b"]),
        Scope.DATA_ACCESS,
        context(partner_groups=groups),
    )
    assert (decision.reasons[0].expected, decision.reasons[0].actual) == (frozenset({"b"}), ["a"])


@pytest.mark.parametrize(
    ("left", "operator", "right", "purpose", "expected"),
    [
        ("UsagePurpose", "isAnyOf", ["cx.pcf.base:1"], "cx.pcf.base:1", True),
        ("UsagePurpose", "isAnyOf", ["cx.pcf.base:1"], "pcf", True),
        ("UsagePurpose", "isAnyOf", ["cx.pcf.base:1"], "cbam", False),
        ("purpose", "eq", "cbam", "cbam", True),
        ("purpose", "isAnyOf", ["pcf", "cbam"], "cx.pcf.base:1", True),
        ("purpose", "isNoneOf", ["marketing"], "cbam", True),
        ("purpose", "neq", "marketing", "marketing", False),
        ("UsagePurpose", "isAnyOf", ["cx.pcf.base:1"], None, True),
    ],
)
def test_purpose_when_evaluated_compares_declared_purpose(
    left: str, operator: str, right: object, purpose: str | None, expected: bool
) -> None:
    assert decide(one(left, operator, right), purpose=purpose) is expected


def test_purpose_when_not_declared_is_noted_as_contract_term() -> None:
    decision = evaluate(
        one("UsagePurpose", "isAnyOf", ["cx.pcf.base:1"]), Scope.NEGOTIATION, context()
    )
    assert [n.code for n in decision.notes] == ["accepted_by_contract"]


@pytest.mark.parametrize(
    ("scope", "signed_days_ago", "expected"),
    [
        (Scope.TRANSFER, 10, True),
        (Scope.TRANSFER, 31, False),
        (Scope.DATA_ACCESS, 29.9, True),
        (Scope.DATA_ACCESS, 30.1, False),
        (Scope.CATALOG, None, True),
        (Scope.NEGOTIATION, None, True),
    ],
)
def test_elapsed_time_when_evaluated_is_agreement_relative(
    scope: Scope, signed_days_ago: float | None, expected: bool
) -> None:
    deal = None if signed_days_ago is None else agreement(signed_days_ago)
    assert decide(one("elapsedTime", "lteq", "P30D"), scope, agreement=deal) is expected


@pytest.mark.parametrize("scope", [Scope.TRANSFER, Scope.DATA_ACCESS])
def test_agreement_relative_constraint_without_agreement_when_evaluated_denies(
    scope: Scope,
) -> None:
    decision = evaluate(one("elapsedTime", "lteq", "PT12H"), scope, context())
    assert [r.code for r in decision.reasons] == ["missing_agreement"]


@pytest.mark.parametrize("duration", ["P1Y", "P1M", "30 days", "P", "PT"])
def test_elapsed_time_with_unusable_duration_when_evaluated_is_invalid(duration: str) -> None:
    decision = evaluate(
        one("elapsedTime", "lteq", duration), Scope.TRANSFER, context(agreement=agreement(1))
    )
    assert decision.reasons[0].code == "invalid_right_operand"


@pytest.mark.parametrize(("days_ago", "expected"), [(29, True), (31, False)])
def test_data_usage_end_duration_days_when_evaluated_counts_from_signing(
    days_ago: int, expected: bool
) -> None:
    policy = one("DataUsageEndDurationDays", "eq", 30)
    assert decide(policy, Scope.DATA_ACCESS, agreement=agreement(days_ago)) is expected


@pytest.mark.parametrize(("end_offset", "expected"), [(1, True), (-1, False)])
def test_data_usage_end_date_when_evaluated_compares_now(end_offset: int, expected: bool) -> None:
    end = (NOW + timedelta(days=end_offset)).isoformat()
    assert decide(one("DataUsageEndDate", "eq", end), Scope.CATALOG) is expected


@pytest.mark.parametrize(
    ("operator", "right", "days_ago", "expected"),
    [
        ("lteq", "contractAgreement+30d", 29, True),
        ("lteq", "contractAgreement + 30d", 31, False),
        ("gteq", "contractAgreement+12h", 1, True),
        ("lteq", "2026-12-31T00:00:00.123456789Z", 1, True),
        ("gteq", "2026-12-31T00:00:00Z", 1, False),
    ],
)
def test_edc_in_force_date_when_evaluated_supports_relative_and_absolute(
    operator: str, right: str, days_ago: int, expected: bool
) -> None:
    policy = one("https://w3id.org/edc/v0.0.1/ns/inForceDate", operator, right)
    assert decide(policy, Scope.TRANSFER, agreement=agreement(days_ago)) is expected


@pytest.mark.parametrize(
    ("left", "operator", "right", "code"),
    [
        ("ContractReference", "isAllOf", ["ContractID250620197"], None),
        ("Liability", "eq", "cx.grossNegligence:1", None),
        ("DataProvisioningEndDurationDays", "eq", 2, None),
        ("Liability", "isAnyOf", ["cx.grossNegligence:1"], "unsupported_operator"),
        ("DataProvisioningEndDate", "eq", "soon", "invalid_right_operand"),
        ("WarrantyDurationMonths", "eq", "six", "invalid_right_operand"),
    ],
)
def test_catenax_contractual_term_when_evaluated_is_validated_then_noted(
    left: str, operator: str, right: object, code: str | None
) -> None:
    decision = evaluate(one(left, operator, right), Scope.NEGOTIATION, context())
    if code is None:
        assert (decision.allowed, [n.code for n in decision.notes]) == (
            True,
            ["accepted_by_contract"],
        )
    else:
        assert [r.code for r in decision.reasons] == [code]


def test_plugged_in_function_when_registered_decides_its_left_operand() -> None:
    left = "https://example.org/partner"

    def compile_partner(constraint: Constraint, scope: Scope, path: str) -> Compiled:
        def check(ctx: PolicyContext) -> Reason | None:
            tiers = {str(c.claims.get("tier")) for c in ctx.valid_credentials("PartnerCredential")}
            if constraint.right_operand in tiers:
                return None
            return unsatisfied(
                constraint, path, "tier missing", constraint.right_operand, sorted(tiers)
            )

        return Compiled(check=check)

    registry = DEFAULT_REGISTRY.with_function(
        ConstraintFunction(
            "partner", (left,), frozenset({Operator.EQ}), compile_partner, "Partner tier."
        )
    )
    policy = one(left, "eq", "gold")
    gold = (credential("PartnerCredential", tier="gold"),)
    assert evaluate(policy, Scope.CATALOG, context(credentials=gold), registry).allowed is True
    assert evaluate(policy, Scope.CATALOG, context(), registry).allowed is False
    assert evaluate(policy, Scope.CATALOG, context(credentials=gold)).allowed is False


def _partner_registry() -> object:
    def compile_partner(constraint: Constraint, scope: Scope, path: str) -> Compiled:
        def check(ctx: PolicyContext) -> Reason | None:
            tiers = {
                str(c.claims.get("partner")) for c in ctx.valid_credentials("PartnerCredential")
            }
            ok = constraint.right_operand in tiers
            return (
                None if ok else unsatisfied(constraint, path, "no", constraint.right_operand, None)
            )

        return Compiled(check=check)

    spec = ConstraintFunction(
        "partner",
        ("http://www.w3.org/ns/odrl/2/partner", "partner", "constraint1", "constraint2"),
        frozenset({Operator.EQ}),
        compile_partner,
        "test partner",
    )
    return DEFAULT_REGISTRY.with_function(spec)


def _dsp_agreement(name: str) -> Policy:
    message = json.loads((SPECS / "dsp/examples/negotiation" / name).read_text())
    return parse_policy(message["agreement"], context=message["@context"])


@pytest.mark.parametrize(("month", "expected"), [(6, True), (12, True)])
def test_dsp_agreement_example_when_before_its_end_date_allows(month: int, expected: bool) -> None:
    policy = _dsp_agreement("contract-agreement-message.json")
    when = NOW.replace(year=2023, month=month, day=1)
    deal = agreement(1)
    assert evaluate(policy, Scope.TRANSFER, context(now=when, agreement=deal)).allowed is expected


def test_dsp_agreement_example_when_after_its_end_date_denies() -> None:
    policy = _dsp_agreement("contract-agreement-message.json")
    decision = evaluate(policy, Scope.DATA_ACCESS, context(now=NOW.replace(year=2024)))
    assert decision.reasons[0].message == "dateTime lteq: outside the validity window"
    assert decision.reasons[0].expected == "2023-12-31T06:00:00+00:00"


def test_dsp_catalog_example_when_evaluated_denies_unknown_spatial_operand() -> None:
    catalog = json.loads((SPECS / "dsp/examples/catalog/catalog.json").read_text())
    offer = parse_policy(catalog["dataset"][0]["hasPolicy"][0], context=catalog["@context"])
    decision = evaluate(offer, Scope.CATALOG, context())
    assert [(r.code, r.left_operand) for r in decision.reasons] == [
        ("unknown_left_operand", "http://www.w3.org/ns/odrl/2/spatial")
    ]


def test_dsp_offer_without_constraints_when_evaluated_allows() -> None:
    message = json.loads(
        (SPECS / "dsp/examples/negotiation/contract-request-message_initial.json").read_text()
    )
    assert evaluate(parse_policy(message["offer"]), Scope.NEGOTIATION, context()).allowed is True


@pytest.mark.parametrize(
    ("index", "partners", "expected"),
    [
        (1, {"gold", "silver"}, True),  # and: both
        (1, {"gold"}, False),
        (2, {"silver"}, True),  # or
        (2, set(), False),
        (3, {"gold"}, True),
        (4, {"gold", "silver"}, True),  # andSequence
        (5, {"gold"}, True),  # xone
        (5, {"gold", "silver"}, False),
        (6, {"silver"}, True),  # (c1 and c2) or silver
    ],
)
def test_dsp_full_agreement_permissions_when_evaluated_mean_what_they_say(
    index: int, partners: set[str], expected: bool
) -> None:
    full = _dsp_agreement("contract-agreement-message-full.json")
    policy = Policy(permissions=(full.permissions[index],))
    claims = tuple(credential("PartnerCredential", partner=p) for p in sorted(partners))
    decision = evaluate(policy, Scope.TRANSFER, context(credentials=claims), _partner_registry())  # type: ignore[arg-type]
    assert decision.allowed is expected


def test_dsp_full_agreement_when_evaluated_with_defaults_denies_unknown_partner() -> None:
    full = _dsp_agreement("contract-agreement-message-full.json")
    decision = evaluate(full, Scope.TRANSFER, context(now=NOW.replace(year=2023)))
    assert {r.message for r in decision.reasons} == {
        "unknown left operand partner",
        "unknown left operand constraint1",
        "unknown left operand constraint2",
        "unsupported ODRL profile https://test.com/profile",
    }


def _catenax(name: str) -> Policy:
    path = SPECS / "catenax-pcf/policy-profile-2025-09/samples" / name
    return parse_policy_document(json.loads(path.read_text()))


def test_catenax_access_policy_when_member_with_listed_bpn_allows() -> None:
    policy = _catenax("access-policy.json")
    ok = (member(holderIdentifier="BPNL012345678910"),)
    assert decide(policy, Scope.CATALOG, credentials=ok) is True
    wrong = (member(holderIdentifier="BPNL000000000009"),)
    assert decide(policy, Scope.CATALOG, credentials=wrong) is False
    assert decide(policy, Scope.CATALOG) is False


def test_catenax_usage_policy_when_framework_credential_held_allows_with_terms() -> None:
    policy = _catenax("usage-policy-sample.json")
    governance = credential("DataExchangeGovernanceCredential", contractVersion="1.0")
    decision = evaluate(policy, Scope.NEGOTIATION, context(credentials=(governance,)))
    assert decision.allowed is True
    assert [(n.code, n.path) for n in decision.notes] == [
        ("accepted_by_contract", "permission[0].constraint[0].and[1]"),  # UsagePurpose
        ("accepted_by_contract", "permission[0].constraint[0].and[2]"),  # DataUsageEndDefinition
        ("accepted_by_contract", "prohibition[0].constraint[0].and[0]"),  # UsageRestriction
        ("accepted_by_contract", "prohibition[0]"),
        ("accepted_by_contract", "obligation[0].constraint[0].and[0]"),  # DataProvisioningEndDate
        ("duty", "obligation[0]"),
    ]
    assert decide(policy, Scope.NEGOTIATION) is False


def test_catenax_comprehensive_policy_when_evaluated_accepts_contract_terms() -> None:
    policy = _catenax("usage-policy-comprehensive-sample.json")
    governance = credential("DataExchangeGovernanceCredential", contractVersion="1.0")
    decision = evaluate(
        policy, Scope.NEGOTIATION, context(credentials=(governance,), purpose="cx.pcf.base:1")
    )
    assert decision.allowed is True
    assert decide(policy, Scope.NEGOTIATION, credentials=(governance,), purpose="cbam") is False


def test_edc_openapi_example_when_evaluated_denies_display_only_agreement() -> None:
    node = {
        "@context": "http://www.w3.org/ns/odrl.jsonld",
        "@type": "Set",
        "@id": "offer-id",
        "permission": [{"target": "asset-id", "action": "display"}],
    }
    decision = evaluate(parse_policy(node), Scope.TRANSFER, context())
    assert [r.code for r in decision.reasons] == ["no_permission"]


def test_edc_catalog_example_when_evaluated_uses_in_force_window() -> None:
    node = {
        "@type": "odrl:Set",
        "odrl:permission": {
            "odrl:target": "bcca61be",
            "odrl:action": {"odrl:type": "http://www.w3.org/ns/odrl/2/use"},
            "odrl:constraint": {
                "odrl:and": [
                    {
                        "odrl:leftOperand": "https://w3id.org/edc/v0.0.1/ns/inForceDate",
                        "odrl:operator": {"@id": "odrl:gteq"},
                        "odrl:rightOperand": "2023-07-07T07:19:58.585601395Z",
                    },
                    {
                        "odrl:leftOperand": "https://w3id.org/edc/v0.0.1/ns/inForceDate",
                        "odrl:operator": {"@id": "odrl:lteq"},
                        "odrl:rightOperand": "2023-07-12T07:19:58.585601395Z",
                    },
                ]
            },
        },
        "odrl:prohibition": [],
        "odrl:obligation": [],
    }
    policy = parse_policy(node)
    inside = NOW.replace(year=2023, month=7, day=10)
    assert evaluate(policy, Scope.CATALOG, context(now=inside)).allowed is True
    assert evaluate(policy, Scope.CATALOG, context(now=NOW)).allowed is False


def test_context_when_now_is_naive_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        PolicyContext(CONSUMER, NOW.replace(tzinfo=None))


def test_policy_with_permission_model_when_built_directly_evaluates() -> None:
    policy = Policy(
        permissions=(Permission("use", (Constraint("dateTime", "gteq", "2026-01-01"),)),)
    )
    assert decide(policy) is True


@pytest.mark.parametrize(("operator", "expected"), [("isNoneOf", False), ("neq", False)])
def test_business_partner_group_exclusion_when_bpn_listed_denies(
    operator: str, expected: bool
) -> None:
    groups = {"blocked": frozenset({"BPNL000000000002"}), "other": frozenset({CONSUMER})}
    right = ["blocked"] if operator == "isNoneOf" else "blocked"
    policy = one("BusinessPartnerGroup", operator, right)
    assert decide(policy, credentials=(pcf(),), partner_groups=groups) is expected
