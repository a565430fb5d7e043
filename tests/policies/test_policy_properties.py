"""Property tests: determinism, order independence, round trips, monotonicity (issue 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policies import (
    Constraint,
    ConstraintLike,
    Duty,
    IriRef,
    LogicalConstraint,
    LogicalOperator,
    Permission,
    Policy,
    PolicyContext,
    PolicyType,
    Prohibition,
    Scope,
    TypedLiteral,
    evaluate,
    match_offer,
    normalise,
    parse_policy,
    parse_policy_document,
    to_dsp,
    to_edc,
    to_edc_policy_definition,
    to_expanded,
)
from tests.policies.conftest import AUTHORITY, credential

DIDS = ["did:web:a", "did:web:b", "did:web:c"]
GROUPS = ["g1", "g2", "g3"]
BASE = datetime(2026, 6, 1, tzinfo=UTC)

names = st.sampled_from(DIDS)
days = st.integers(min_value=-5, max_value=5)


def _atoms() -> st.SearchStrategy[Constraint]:
    identity = st.builds(
        Constraint, st.just("ParticipantId"), st.sampled_from(["eq", "neq"]), names
    )
    listed = st.builds(
        Constraint,
        st.just("ParticipantId"),
        st.sampled_from(["isAnyOf", "isNoneOf", "isPartOf", "isAllOf", "hasPart"]),
        st.lists(names, min_size=1, max_size=3, unique=True).map(tuple),
    )
    groups = st.builds(
        Constraint,
        st.just("BusinessPartnerGroup"),
        st.sampled_from(["isAnyOf", "isNoneOf"]),
        st.lists(st.sampled_from(GROUPS), min_size=1, max_size=2).map(tuple),
    )
    when = st.builds(
        Constraint,
        st.just("dateTime"),
        st.sampled_from(["eq", "neq", "gt", "gteq", "lt", "lteq"]),
        days.map(lambda d: (BASE + timedelta(days=d)).isoformat()),
    )
    member = st.just(Constraint("Membership", "eq", "active"))
    framework = st.builds(
        Constraint,
        st.just("FrameworkAgreement"),
        st.just("eq"),
        st.sampled_from(["Pcf:1.0", "Pcf:2.0", "Pcf"]),
    )
    purpose = st.builds(
        Constraint,
        st.just("UsagePurpose"),
        st.just("isAnyOf"),
        st.lists(st.sampled_from(["pcf", "cbam", "cx.pcf.base:1"]), min_size=1, max_size=2).map(
            tuple
        ),
    )
    return st.one_of(identity, listed, groups, when, member, framework, purpose)


constraints: st.SearchStrategy[ConstraintLike] = st.recursive(
    _atoms(),
    lambda inner: st.builds(
        LogicalConstraint,
        st.sampled_from(list(LogicalOperator)),
        st.lists(inner, min_size=1, max_size=3).map(tuple),
    ),
    max_leaves=6,
)
rules = st.lists(constraints, max_size=3).map(tuple)
policies = st.builds(
    lambda perms, prohibs, kind, uid, target: Policy(
        type=kind,
        uid=uid,
        target=target,
        permissions=tuple(Permission("use", c) for c in perms),
        prohibitions=tuple(Prohibition("use", c) for c in prohibs),
    ),
    st.lists(rules, min_size=1, max_size=2),
    st.lists(rules, max_size=1),
    st.sampled_from(list(PolicyType)),
    st.none() | st.just("urn:uuid:p"),
    st.none() | st.just("asset-1"),
)


scalars = st.one_of(
    st.text(min_size=1, max_size=8),
    st.integers(-5, 5),
    st.booleans(),
    st.builds(IriRef, st.sampled_from(["http://example.org/EU", "urn:x:1"])),
    st.builds(
        TypedLiteral,
        st.just("2026-01-01T00:00:00Z"),
        st.just("http://www.w3.org/2001/XMLSchema#dateTime"),
    ),
)
operands = st.one_of(scalars, st.lists(scalars, max_size=3).map(tuple))
odd_constraints = st.builds(
    Constraint,
    st.sampled_from(["spatial", "https://example.org/x", "UsageRestriction"]),
    st.sampled_from(["eq", "isAnyOf", "https://example.org/like"]),
    operands,
    st.none() | st.just("urn:c:1"),
    st.sampled_from([(), (("http://purl.org/dc/terms/title", '"t"'),)]),
)
duties = st.builds(
    Duty,
    st.sampled_from(["delete", "inform", "use"]),
    st.lists(odd_constraints, max_size=2).map(tuple),
)
rich_policies = st.builds(
    lambda base, extra, duty_list, obligations, parties, stamp, profiles: Policy(
        type=base.type,
        uid=base.uid,
        target=base.target,
        assigner=parties[0],
        assignee=parties[1],
        timestamp=stamp,
        profiles=profiles,
        permissions=(
            Permission("use", (*base.permissions[0].constraints, *extra), tuple(duty_list)),
            *base.permissions[1:],
        ),
        prohibitions=base.prohibitions,
        obligations=tuple(obligations),
    ),
    policies,
    st.lists(odd_constraints, max_size=2),
    st.lists(duties, max_size=2),
    st.lists(duties, max_size=2),
    st.tuples(st.none() | st.just("did:web:p"), st.none() | st.just("did:web:c")),
    st.none() | st.just("2026-06-01T12:00:00Z"),
    st.sampled_from([(), ("https://w3id.org/catenax/policy/profile2405",)]),
)


@st.composite
def contexts(draw: st.DrawFn) -> PolicyContext:
    me = draw(names)
    creds = []
    if draw(st.booleans()):
        creds.append(credential("MembershipCredential", subject=me))
    if draw(st.booleans()):
        creds.append(
            credential(
                "PcfFrameworkCredential",
                subject=me,
                contractVersion=draw(st.sampled_from(["1.0", "2.0"])),
            )
        )
    groups = {g: frozenset(draw(st.lists(names, max_size=3))) for g in GROUPS}
    return PolicyContext(
        participant_id=me,
        now=BASE + timedelta(days=draw(days), hours=draw(st.integers(0, 23))),
        credentials=tuple(creds),
        purpose=draw(st.none() | st.sampled_from(["pcf", "cbam"])),
        partner_groups=groups,
    )


scopes = st.sampled_from(list(Scope))


def _shuffled(item: ConstraintLike, order: list[int]) -> ConstraintLike:
    if isinstance(item, Constraint):
        return item
    members = [_shuffled(c, order) for c in item.constraints]
    if item.operator in (LogicalOperator.AND, LogicalOperator.OR):
        members = [
            members[i % len(members)]
            for i in sorted(range(len(members)), key=lambda i: order[i % len(order)])
        ]
    return LogicalConstraint(item.operator, tuple(members))


@settings(max_examples=150, deadline=None)
@given(policies, contexts(), scopes)
def test_evaluation_when_repeated_is_deterministic(
    policy: Policy, ctx: PolicyContext, scope: Scope
) -> None:
    first = evaluate(policy, scope, ctx)
    assert evaluate(policy, scope, ctx) == first
    rebuilt = parse_policy_document(to_expanded(policy))
    assert evaluate(rebuilt, scope, ctx) == first


@settings(max_examples=150, deadline=None)
@given(policies, contexts(), scopes, st.lists(st.integers(0, 9), min_size=1, max_size=5))
def test_evaluation_when_and_or_members_reordered_is_unchanged(
    policy: Policy, ctx: PolicyContext, scope: Scope, order: list[int]
) -> None:
    reordered = Policy(
        type=policy.type,
        uid=policy.uid,
        target=policy.target,
        permissions=tuple(
            Permission(p.action, tuple(_shuffled(c, order) for c in reversed(p.constraints)))
            for p in policy.permissions
        ),
        prohibitions=policy.prohibitions,
    )
    before, after = evaluate(policy, scope, ctx), evaluate(reordered, scope, ctx)
    assert after.allowed is before.allowed
    key = lambda r: tuple(map(str, (r.code, r.left_operand, r.operator, r.expected, r.actual)))  # noqa: E731
    assert sorted(map(key, after.reasons)) == sorted(map(key, before.reasons))


@settings(max_examples=200, deadline=None)
@given(rich_policies)
def test_policy_when_written_in_any_form_round_trips(policy: Policy) -> None:
    assert parse_policy(to_dsp(policy)) == policy
    assert parse_policy(to_dsp(policy, catenax_terms=False)) == policy
    assert parse_policy(to_edc(policy)) == policy
    assert parse_policy_document(to_edc_policy_definition(policy, "d")) == policy
    assert parse_policy_document(to_expanded(policy)) == policy
    assert normalise(parse_policy(to_dsp(policy))) == normalise(policy)
    if policy.target is not None:
        assert match_offer(policy, parse_policy(to_dsp(policy))).matched


@settings(max_examples=200, deadline=None)
@given(policies, constraints, contexts(), scopes, st.integers(0, 3))
def test_adding_a_permission_constraint_when_denied_never_allows(
    policy: Policy, extra: ConstraintLike, ctx: PolicyContext, scope: Scope, where: int
) -> None:
    before = evaluate(policy, scope, ctx)
    index = where % len(policy.permissions)
    target = policy.permissions[index]
    tightened = Permission(target.action, (*target.constraints, extra))
    permissions = (*policy.permissions[:index], tightened, *policy.permissions[index + 1 :])
    after = evaluate(
        Policy(type=policy.type, permissions=permissions, prohibitions=policy.prohibitions),
        scope,
        ctx,
    )
    if not before.allowed:
        assert not after.allowed


@settings(max_examples=100, deadline=None)
@given(policies, contexts(), scopes)
def test_adding_an_unknown_left_operand_when_anywhere_denies(
    policy: Policy, ctx: PolicyContext, scope: Scope
) -> None:
    unknown = Constraint("https://example.org/unknown", "eq", "x")
    first = policy.permissions[0]
    wrapped = LogicalConstraint(LogicalOperator.OR, (*first.constraints, unknown))
    tightened = Policy(permissions=(Permission("use", (wrapped,)), *policy.permissions[1:]))
    decision = evaluate(tightened, scope, ctx)
    assert decision.allowed is False
    assert "unknown_left_operand" in {r.code for r in decision.reasons}


def test_credential_factory_when_used_sets_authority() -> None:
    assert credential("MembershipCredential").issuer == AUTHORITY
