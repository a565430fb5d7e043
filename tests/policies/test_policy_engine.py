"""The engine: every operator, logical constraint, fail-closed case, rule kind and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from policies import (
    Constraint,
    Duty,
    LogicalConstraint,
    LogicalOperator,
    Permission,
    Policy,
    Prohibition,
    Reason,
    Scope,
    compile_policy,
    evaluate,
    validate_policy,
)
from tests.policies.conftest import CONSUMER, NOW, agreement, context, member, one

ODRL = "http://www.w3.org/ns/odrl/2/"
CS = "https://w3id.org/carbonspace/policy/"
OTHER = "did:web:other.example"


def allowed(policy: Policy, scope: Scope = Scope.NEGOTIATION, **fields: object) -> bool:
    return evaluate(policy, scope, context(**fields)).allowed


@pytest.mark.parametrize(
    ("operator", "right", "expected"),
    [
        ("eq", CONSUMER, True),
        ("eq", OTHER, False),
        ("neq", OTHER, True),
        ("neq", CONSUMER, False),
        ("isAnyOf", [OTHER, CONSUMER], True),
        ("isAnyOf", [OTHER], False),
        ("isNoneOf", [OTHER], True),
        ("isNoneOf", [CONSUMER, OTHER], False),
        ("isPartOf", [CONSUMER, OTHER], True),
        ("isPartOf", [OTHER], False),
    ],
)
def test_participant_operator_when_evaluated_matches_odrl_semantics(
    operator: str, right: object, expected: bool
) -> None:
    assert allowed(one("ParticipantId", operator, right)) is expected


@pytest.mark.parametrize(
    ("operator", "offset_days", "expected"),
    [
        ("eq", 0, True),
        ("eq", 1, False),
        ("neq", 1, True),
        ("neq", 0, False),
        ("gt", -1, True),
        ("gt", 0, False),
        ("gteq", 0, True),
        ("gteq", 1, False),
        ("lt", 1, True),
        ("lt", 0, False),
        ("lteq", 0, True),
        ("lteq", -1, False),
    ],
)
def test_datetime_operator_when_evaluated_compares_now(
    operator: str, offset_days: int, expected: bool
) -> None:
    bound = (NOW + timedelta(days=offset_days)).isoformat()
    assert allowed(one("dateTime", operator, bound)) is expected


@pytest.mark.parametrize(
    ("operator", "groups", "expected"),
    [
        ("isAnyOf", ["tier1", "x"], True),
        ("isAnyOf", ["x"], False),
        ("isNoneOf", ["x"], True),
        ("isNoneOf", ["tier1"], False),
        ("eq", "tier1", True),
        ("neq", "tier1", False),
        ("isPartOf", ["tier1", "customers", "x"], True),
        ("isPartOf", ["tier1"], False),
    ],
)
def test_group_operator_when_evaluated_uses_provider_groups(
    operator: str, groups: object, expected: bool
) -> None:
    held = {"tier1": frozenset({CONSUMER}), "customers": frozenset({CONSUMER}), "x": frozenset()}
    policy = one("BusinessPartnerGroup", operator, groups)
    assert allowed(policy, partner_groups=held) is expected


@pytest.mark.parametrize(
    ("operator", "right", "expected"),
    [
        ("isAllOf", ["tier1", "customers"], True),
        ("isAllOf", ["tier1", "x"], False),
        ("hasPart", ["customers"], True),
        ("hasPart", ["x"], False),
    ],
)
def test_containment_operator_when_evaluated_on_groups(
    operator: str, right: object, expected: bool
) -> None:
    held = {"tier1": frozenset({CONSUMER}), "customers": frozenset({CONSUMER}), "x": frozenset()}
    assert allowed(one("BusinessPartnerGroup", operator, right), partner_groups=held) is expected


def test_logical_and_when_one_member_fails_names_it() -> None:
    policy = Policy(
        permissions=(
            Permission(
                "use",
                (
                    LogicalConstraint(
                        LogicalOperator.AND,
                        (
                            Constraint("ParticipantId", "eq", CONSUMER),
                            Constraint("dateTime", "lt", NOW.isoformat()),
                        ),
                    ),
                ),
            ),
        )
    )
    decision = evaluate(policy, Scope.NEGOTIATION, context())
    assert decision.allowed is False
    assert [r.path for r in decision.reasons] == ["permission[0].constraint[0].and[1]"]
    assert decision.reasons[0].left_operand == ODRL + "dateTime"
    assert decision.reasons[0].expected == NOW.isoformat()
    assert decision.reasons[0].actual == NOW.isoformat()


@pytest.mark.parametrize(
    ("kind", "first", "second", "expected"),
    [
        (LogicalOperator.OR, True, False, True),
        (LogicalOperator.OR, False, False, False),
        (LogicalOperator.XONE, True, False, True),
        (LogicalOperator.XONE, True, True, False),
        (LogicalOperator.XONE, False, False, False),
        (LogicalOperator.AND_SEQUENCE, True, True, True),
        (LogicalOperator.AND_SEQUENCE, True, False, False),
        (LogicalOperator.AND, True, True, True),
    ],
)
def test_logical_constraint_when_evaluated_combines_members(
    kind: LogicalOperator, first: bool, second: bool, expected: bool
) -> None:
    def member_of(holds: bool) -> Constraint:
        return Constraint("ParticipantId", "eq", CONSUMER if holds else OTHER)

    policy = Policy(
        permissions=(
            Permission("use", (LogicalConstraint(kind, (member_of(first), member_of(second))),)),
        )
    )
    assert allowed(policy) is expected


def test_xone_when_both_hold_says_how_many() -> None:
    policy = Policy(
        permissions=(
            Permission(
                "use",
                (
                    LogicalConstraint(
                        LogicalOperator.XONE,
                        (
                            Constraint("ParticipantId", "eq", CONSUMER),
                            Constraint("ParticipantId", "neq", OTHER),
                        ),
                    ),
                ),
            ),
        )
    )
    decision = evaluate(policy, Scope.CATALOG, context())
    assert decision.reasons == (
        Reason(
            "constraint_unsatisfied",
            "xone: 2 alternatives hold, exactly one must",
            "permission[0].constraint[0]",
            expected=1,
            actual=2,
        ),
    )


def test_unknown_left_operand_when_evaluated_denies_naming_it() -> None:
    decision = evaluate(one("https://example.org/color", "eq", "red"), Scope.CATALOG, context())
    assert decision.allowed is False
    assert decision.reasons[0].code == "unknown_left_operand"
    assert decision.reasons[0].left_operand == "https://example.org/color"
    assert "https://example.org/color" in decision.reasons[0].message


def test_unknown_left_operand_inside_or_when_other_branch_holds_still_denies() -> None:
    policy = Policy(
        permissions=(
            Permission(
                "use",
                (
                    LogicalConstraint(
                        LogicalOperator.OR,
                        (
                            Constraint("ParticipantId", "eq", CONSUMER),
                            Constraint("spatial", "eq", "EU"),
                        ),
                    ),
                ),
            ),
        )
    )
    decision = evaluate(policy, Scope.CATALOG, context())
    assert (decision.allowed, decision.reasons[0].code) == (False, "unknown_left_operand")
    assert decision.reasons[0].message == "unknown left operand spatial"


def test_unknown_operator_when_evaluated_denies_naming_it() -> None:
    decision = evaluate(
        one("ParticipantId", "https://example.org/like", CONSUMER), Scope.CATALOG, context()
    )
    assert [(r.code, r.operator) for r in decision.reasons] == [
        ("unknown_operator", "https://example.org/like")
    ]


def test_isa_operator_when_evaluated_denies_as_unknown() -> None:
    decision = evaluate(one("ParticipantId", "isA", CONSUMER), Scope.CATALOG, context())
    assert decision.reasons[0].code == "unknown_operator"


def test_operator_not_supported_by_function_when_evaluated_denies() -> None:
    decision = evaluate(
        one("Membership", "neq", "active"), Scope.CATALOG, context(credentials=(member(),))
    )
    assert decision.reasons[0].code == "unsupported_operator"
    assert decision.reasons[0].message == "operator neq not supported for Membership"


def test_unknown_action_when_evaluated_denies_naming_it() -> None:
    policy = Policy(permissions=(Permission("https://example.org/peek"),))
    decision = evaluate(policy, Scope.CATALOG, context())
    assert [(r.code, r.message) for r in decision.reasons] == [
        ("unknown_action", "unknown action https://example.org/peek")
    ]


def test_unknown_action_in_duty_when_evaluated_denies() -> None:
    policy = Policy(permissions=(Permission("use", duties=(Duty("https://example.org/x"),)),))
    assert allowed(policy) is False


def test_unknown_left_operand_in_prohibition_when_evaluated_denies() -> None:
    policy = Policy(
        permissions=(Permission("use"),),
        prohibitions=(Prohibition("use", (Constraint("https://example.org/x", "eq", 1),)),),
    )
    assert allowed(policy) is False


def test_invalid_right_operand_when_evaluated_denies_naming_the_operand() -> None:
    decision = evaluate(one("dateTime", "lteq", "end of year"), Scope.CATALOG, context())
    assert decision.reasons[0].code == "invalid_right_operand"
    assert decision.reasons[0].message == "dateTime: not an xsd:dateTime: 'end of year'"


def test_unsupported_constraint_property_when_evaluated_denies() -> None:
    policy = one("ParticipantId", "eq", CONSUMER, extras=((ODRL + "unit", '"m"'),))
    decision = evaluate(policy, Scope.CATALOG, context())
    assert decision.reasons[0].code == "unsupported_property"


def test_annotation_and_rule_target_when_evaluated_are_ignored() -> None:
    rule = Permission(
        "use",
        (
            Constraint(
                "ParticipantId",
                "eq",
                CONSUMER,
                extras=(("http://purl.org/dc/terms/description", '"x"'),),
            ),
        ),
        extras=((ODRL + "target", '"asset-1"'),),
    )
    assert allowed(Policy(permissions=(rule,))) is True


def test_policy_without_permission_when_evaluated_denies() -> None:
    decision = evaluate(Policy(), Scope.CATALOG, context())
    assert [r.code for r in decision.reasons] == ["no_permission"]


def test_permission_for_other_action_when_evaluated_does_not_grant_use() -> None:
    decision = evaluate(Policy(permissions=(Permission("display"),)), Scope.CATALOG, context())
    assert [r.code for r in decision.reasons] == ["no_permission"]
    assert [n.code for n in decision.notes] == ["other_action"]


def test_every_permission_when_one_fails_denies_as_edc_does() -> None:
    policy = Policy(
        permissions=(
            Permission("use", (Constraint("ParticipantId", "eq", CONSUMER),)),
            Permission("use", (Constraint("ParticipantId", "eq", OTHER),)),
        )
    )
    assert allowed(policy) is False


def test_empty_permission_when_evaluated_allows() -> None:
    assert allowed(Policy(permissions=(Permission("use"),))) is True


def test_prohibition_when_its_constraints_hold_denies() -> None:
    policy = Policy(
        permissions=(Permission("use"),),
        prohibitions=(Prohibition("use", (Constraint("ParticipantId", "isAnyOf", [CONSUMER]),)),),
    )
    decision = evaluate(policy, Scope.NEGOTIATION, context())
    assert [(r.code, r.path) for r in decision.reasons] == [("prohibited", "prohibition[0]")]


def test_prohibition_when_its_constraints_fail_allows() -> None:
    policy = Policy(
        permissions=(Permission("use"),),
        prohibitions=(Prohibition("use", (Constraint("ParticipantId", "isAnyOf", [OTHER]),)),),
    )
    assert allowed(policy) is True


def test_unconditional_prohibition_of_use_when_evaluated_denies() -> None:
    assert (
        allowed(Policy(permissions=(Permission("use"),), prohibitions=(Prohibition("use"),)))
        is False
    )


def test_contractual_prohibition_when_evaluated_is_an_accepted_term() -> None:
    policy = Policy(
        permissions=(Permission("use"),),
        prohibitions=(
            Prohibition(
                "use", (Constraint("UsageRestriction", "isAllOf", ["cx.thirdParty.forbidden:1"]),)
            ),
        ),
    )
    decision = evaluate(policy, Scope.NEGOTIATION, context())
    assert decision.allowed is True
    assert [n.code for n in decision.notes] == ["accepted_by_contract", "accepted_by_contract"]


def test_duties_when_evaluated_are_notes_not_denials() -> None:
    policy = Policy(
        permissions=(
            Permission("use", duties=(Duty("delete", (Constraint("elapsedTime", "eq", "P30D"),)),)),
        ),
        obligations=(Duty("inform"),),
    )
    decision = evaluate(policy, Scope.TRANSFER, context(agreement=agreement(1)))
    assert decision.allowed is True
    assert [(n.code, n.path) for n in decision.notes] == [
        ("duty", "permission[0].duty[0]"),
        ("duty", "obligation[0]"),
    ]


def test_credential_check_in_data_access_scope_when_evaluated_is_deferred() -> None:
    decision = evaluate(one("Membership", "eq", "active"), Scope.DATA_ACCESS, context())
    assert decision.allowed is True
    assert [n.code for n in decision.notes] == ["deferred"]


@pytest.mark.parametrize("scope", [Scope.CATALOG, Scope.NEGOTIATION, Scope.TRANSFER])
def test_credential_check_in_earlier_scopes_when_missing_denies(scope: Scope) -> None:
    assert allowed(one("Membership", "eq", "active"), scope) is False


def test_validate_policy_when_terms_unknown_lists_each_once() -> None:
    policy = Policy(
        permissions=(
            Permission(
                "use",
                (
                    Constraint("https://example.org/x", "eq", 1),
                    Constraint("dateTime", "eq", "never"),
                ),
            ),
        )
    )
    assert [(r.code, r.path) for r in validate_policy(policy)] == [
        ("unknown_left_operand", "permission[0].constraint[0]"),
        ("invalid_right_operand", "permission[0].constraint[1]"),
    ]


def test_compiled_policy_when_reused_gives_the_same_decision() -> None:
    compiled = compile_policy(one("ParticipantId", "eq", CONSUMER), Scope.CATALOG)
    assert compiled is compile_policy(one("ParticipantId", "eq", CONSUMER), Scope.CATALOG)
    assert compiled.evaluate(context()).allowed is True
    assert compiled.evaluate(context(participant_id=OTHER)).allowed is False


def test_decision_when_serialised_is_machine_readable() -> None:
    decision = evaluate(one("ParticipantId", "isAnyOf", [OTHER]), Scope.CATALOG, context())
    assert decision.to_json() == {
        "allowed": False,
        "notes": [],
        "reasons": [
            {
                "code": "constraint_unsatisfied",
                "message": "ParticipantId isAnyOf: participant not allowed",
                "path": "permission[0].constraint[0]",
                "leftOperand": CS + "ParticipantId",
                "operator": ODRL + "isAnyOf",
                "expected": [OTHER],
                "actual": CONSUMER,
            }
        ],
    }
    assert decision.messages() == [
        "constraint_unsatisfied [permission[0].constraint[0]]: ParticipantId isAnyOf: "
        "participant not allowed"
    ]


def test_policy_inheriting_rules_when_evaluated_denies_unseen_rules() -> None:
    policy = Policy(
        permissions=(Permission("use"),), extras=((ODRL + "inheritFrom", '"urn:policy:parent"'),)
    )
    decision = evaluate(policy, Scope.CATALOG, context())
    assert [r.message for r in decision.reasons] == [
        f"unsupported policy property {ODRL}inheritFrom"
    ]


def test_policy_metadata_and_conflict_when_evaluated_are_ignored() -> None:
    policy = Policy(
        permissions=(Permission("use"),),
        extras=((ODRL + "conflict", '"perm"'), ("http://purl.org/dc/terms/title", '"PCF offer"')),
    )
    assert allowed(policy) is True


def test_policy_with_unknown_profile_when_evaluated_denies() -> None:
    policy = Policy(permissions=(Permission("use"),), profiles=("https://test.com/profile",))
    decision = evaluate(policy, Scope.CATALOG, context())
    assert [(r.code, r.path) for r in decision.reasons] == [("unsupported_profile", "profile")]


def test_policy_with_catenax_profile_when_evaluated_allows() -> None:
    legacy = "https://w3id.org/catenax/policy/profile2405"
    assert allowed(Policy(permissions=(Permission("use"),), profiles=(legacy,))) is True
