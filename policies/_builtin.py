"""Built-in constraint functions: identity, credentials, purpose and time (docs/policies.md).

Credential claims come from `PolicyContext.credentials`, already verified by the identity module;
a credential counts only when it is about the counterparty (`subject_id == participant_id`) and
valid at `now`. Credential checks run in the catalog, negotiation and transfer scopes; a
data-plane call (`data.access`) runs under an agreement whose transfer start already checked them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Final

from policies._compare import (
    RightOperandError,
    collection_test,
    comparator,
    hashable_set,
    parse_datetime,
    parse_duration,
    parse_non_negative_int,
    scalar_test,
    single_string,
)
from policies._context import PolicyContext, Scope
from policies._decision import Reason
from policies._functions import (
    CREDENTIAL_SCOPES,
    Compiled,
    ConstraintFunction,
    note,
    unsatisfied,
)
from policies._model import Constraint
from policies._vocab import CX_POLICY_LEGACY_NS, EDC_IN_FORCE_DATE, LeftOperand, Operator

EQ_ONLY: Final = frozenset({Operator.EQ})
IDENTITY_OPERATORS: Final = frozenset(
    {
        Operator.EQ,
        Operator.NEQ,
        Operator.IS_ANY_OF,
        Operator.IS_NONE_OF,
        Operator.IS_PART_OF,
        Operator.IS_ALL_OF,
        Operator.HAS_PART,
    }
)
ORDERING: Final = frozenset(
    {Operator.EQ, Operator.NEQ, Operator.GT, Operator.GTEQ, Operator.LT, Operator.LTEQ}
)
BPN_CLAIMS: Final = ("holderIdentifier", "bpn", "businessPartnerNumber")
# Short purposes used by carbonspace and the Catena-X usage purposes they stand for.
PURPOSE_ALIASES: Final[dict[str, str]] = {"pcf": "cx.pcf.base:1"}
AGREEMENT_SCOPES: Final = frozenset({Scope.TRANSFER, Scope.DATA_ACCESS})


def _legacy(operand: LeftOperand) -> str:
    return CX_POLICY_LEGACY_NS + operand.value.rsplit("/", 1)[1]


def _expected(constraint: Constraint) -> Any:
    if constraint.operator in (Operator.EQ, Operator.NEQ):
        return single_string(constraint.right_operand)
    return hashable_set(constraint.right_operand)


def _compile_participant(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    expected = _expected(constraint)
    test = scalar_test(constraint.operator, expected)

    def check(ctx: PolicyContext) -> Reason | None:
        if test(ctx.participant_id):
            return None
        return unsatisfied(
            constraint, path, "participant not allowed", expected, ctx.participant_id
        )

    return Compiled(check=check)


def _compile_membership(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    if single_string(constraint.right_operand) != "active":
        raise RightOperandError("Membership expects 'active'")

    def check(ctx: PolicyContext) -> Reason | None:
        if ctx.has_valid_credential("MembershipCredential"):
            return None
        return unsatisfied(constraint, path, "no valid MembershipCredential", "active", None)

    return Compiled(check=check)


def _framework_types(subtype: str) -> tuple[str, str]:
    name = subtype[:1].upper() + subtype[1:]
    base = name.removesuffix("Framework")
    return f"{base}Credential", f"{base}FrameworkCredential"


def _compile_framework(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    text = single_string(constraint.right_operand)
    subtype, _, version = text.partition(":")
    if not subtype or ":" in version:
        raise RightOperandError("FrameworkAgreement expects '<subtype>[:<version>]'")
    types = _framework_types(subtype)

    def check(ctx: PolicyContext) -> Reason | None:
        found = [c for t in types for c in ctx.valid_credentials(t)]
        versions = [str(c.claims.get("contractVersion")) for c in found]
        if found and (not version or version in versions):
            return None
        actual = versions or None
        wanted = f"valid {types[1]} or {types[0]}" + (
            f" with contractVersion {version}" if version else ""
        )
        return unsatisfied(constraint, path, f"no {wanted}", text, actual)

    return Compiled(check=check)


def business_partner_numbers(ctx: PolicyContext) -> frozenset[str]:
    """The counterparty's BPNs, from the BPN claims of its valid credentials."""
    return frozenset(
        str(c.claims[claim])
        for c in ctx.credentials
        if c.valid_for(ctx.participant_id, ctx.now)
        for claim in BPN_CLAIMS
        if claim in c.claims
    )


def _compile_bpn(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    expected = _expected(constraint)
    test = collection_test(constraint.operator, expected)

    def check(ctx: PolicyContext) -> Reason | None:
        bpns = business_partner_numbers(ctx)
        if bpns and test(bpns):
            return None
        message = "no verified BPN claim" if not bpns else "business partner not allowed"
        return unsatisfied(constraint, path, message, expected, sorted(bpns) or None)

    return Compiled(check=check)


def _compile_group(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    expected = _expected(constraint)
    test = collection_test(constraint.operator, expected)

    # Shortcut on the DID's groups only where more groups can never turn true into false.
    monotone = constraint.operator in (
        Operator.IS_ANY_OF,
        Operator.IS_ALL_OF,
        Operator.HAS_PART,
        Operator.EQ,
    )

    def check(ctx: PolicyContext) -> Reason | None:
        me = ctx.participant_id
        groups = frozenset(g for g, members in ctx.partner_groups.items() if me in members)
        if monotone and test(groups):
            return None
        bpns = business_partner_numbers(ctx) if ctx.partner_groups else frozenset()
        if bpns:  # groups may also list business partner numbers
            groups |= {g for g, members in ctx.partner_groups.items() if bpns & members}
        if test(groups):
            return None
        return unsatisfied(
            constraint, path, "business partner group not allowed", expected, sorted(groups)
        )

    return Compiled(check=check)


def _purpose(value: str) -> str:
    return PURPOSE_ALIASES.get(value, value)


def _compile_purpose(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    raw = _expected(constraint)
    expected = _purpose(raw) if isinstance(raw, str) else frozenset(_purpose(str(v)) for v in raw)
    test = scalar_test(constraint.operator, expected)
    accepted = note(
        constraint,
        path,
        "accepted_by_contract",
        "no purpose declared; the purpose binds the counterparty as a contract term",
    )

    def check(ctx: PolicyContext) -> Reason | None:
        if ctx.purpose is None or test(_purpose(ctx.purpose)):
            return None
        return unsatisfied(constraint, path, "declared purpose not allowed", raw, ctx.purpose)

    return Compiled(check=check, note=accepted)


def _compile_datetime(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    bound = parse_datetime(constraint.right_operand)
    compare = comparator(constraint.operator)

    def check(ctx: PolicyContext) -> Reason | None:
        if compare(ctx.now, bound):
            return None
        return unsatisfied(
            constraint, path, "outside the validity window", bound.isoformat(), ctx.now.isoformat()
        )

    return Compiled(check=check)


def _agreement_check(
    constraint: Constraint, scope: Scope, path: str, limit: timedelta, compare_op: str
) -> Compiled:
    if scope not in AGREEMENT_SCOPES:
        return Compiled(
            note=note(
                constraint, path, "deferred", "agreement-relative; checked once an agreement exists"
            )
        )
    compare = comparator(compare_op)

    def check(ctx: PolicyContext) -> Reason | None:
        if ctx.agreement is None:
            return Reason(
                "missing_agreement",
                "agreement-relative constraint without an agreement",
                path,
                constraint.left_operand,
                constraint.operator,
                str(constraint.right_operand),
                None,
                constraint.uid,
            )
        elapsed = ctx.now - ctx.agreement.signed_at
        if compare(elapsed, limit):
            return None
        return unsatisfied(
            constraint,
            path,
            "agreement period exceeded",
            f"{limit.total_seconds():g}s",
            f"{elapsed.total_seconds():g}s",
        )

    return Compiled(check=check)


def _compile_elapsed(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    limit = parse_duration(constraint.right_operand)
    return _agreement_check(constraint, scope, path, limit, constraint.operator)


def _compile_usage_end_days(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    days = parse_non_negative_int(constraint.right_operand)
    return _agreement_check(constraint, scope, path, timedelta(days=days), Operator.LTEQ)


def _compile_usage_end_date(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    end = parse_datetime(constraint.right_operand)

    def check(ctx: PolicyContext) -> Reason | None:
        if ctx.now <= end:
            return None
        return unsatisfied(
            constraint, path, "usage period ended", end.isoformat(), ctx.now.isoformat()
        )

    return Compiled(check=check)


_IN_FORCE_RELATIVE: Final = re.compile(r"^contractAgreement\+(\d+)([smhd])$", re.IGNORECASE)
_UNITS: Final = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _compile_in_force(constraint: Constraint, scope: Scope, path: str) -> Compiled:
    text = single_string(constraint.right_operand).replace(" ", "")
    relative = _IN_FORCE_RELATIVE.match(text)
    if relative is None:
        return _compile_datetime(constraint, scope, path)
    offset = timedelta(**{_UNITS[relative.group(2).lower()]: int(relative.group(1))})
    return _agreement_check(constraint, scope, path, offset, constraint.operator)


def builtin_functions() -> list[ConstraintFunction]:
    """The identity, credential, purpose and time functions (docs/policies.md)."""
    return _identity_functions() + _time_functions()


def _identity_functions() -> list[ConstraintFunction]:
    lo = LeftOperand
    return [
        ConstraintFunction(
            "participant-id",
            (lo.PARTICIPANT_ID,),
            IDENTITY_OPERATORS,
            _compile_participant,
            "The counterparty's participant id (DID) equals / is (not) in the listed DIDs.",
        ),
        ConstraintFunction(
            "membership",
            (lo.MEMBERSHIP, _legacy(lo.MEMBERSHIP)),
            EQ_ONLY,
            _compile_membership,
            "`active`: the counterparty holds a valid MembershipCredential.",
            CREDENTIAL_SCOPES,
        ),
        ConstraintFunction(
            "framework-agreement",
            (lo.FRAMEWORK_AGREEMENT, _legacy(lo.FRAMEWORK_AGREEMENT)),
            EQ_ONLY,
            _compile_framework,
            "`<Subtype>[:<version>]`: a valid <Subtype>FrameworkCredential or <Subtype>Credential"
            " whose contractVersion equals the version.",
            CREDENTIAL_SCOPES,
        ),
        ConstraintFunction(
            "business-partner-number",
            (lo.BUSINESS_PARTNER_NUMBER, _legacy(lo.BUSINESS_PARTNER_NUMBER)),
            IDENTITY_OPERATORS,
            _compile_bpn,
            "The BPN claimed in the counterparty's valid credentials is (not) in the list.",
            CREDENTIAL_SCOPES,
        ),
        ConstraintFunction(
            "business-partner-group",
            (lo.BUSINESS_PARTNER_GROUP, _legacy(lo.BUSINESS_PARTNER_GROUP)),
            IDENTITY_OPERATORS,
            _compile_group,
            "The provider's groups holding the counterparty's DID (or BPN) meet the list.",
        ),
        ConstraintFunction(
            "usage-purpose",
            (lo.PURPOSE, lo.USAGE_PURPOSE, _legacy(lo.USAGE_PURPOSE)),
            IDENTITY_OPERATORS,
            _compile_purpose,
            "The declared purpose is among the allowed ones; undeclared = accepted by contract.",
        ),
    ]


def _time_functions() -> list[ConstraintFunction]:
    lo = LeftOperand
    return [
        ConstraintFunction(
            "date-time",
            (lo.DATE_TIME,),
            ORDERING,
            _compile_datetime,
            "The current time compared with an xsd:dateTime (validity window).",
        ),
        ConstraintFunction(
            "elapsed-time",
            (lo.ELAPSED_TIME,),
            ORDERING,
            _compile_elapsed,
            "Time since the agreement was signed compared with an xsd:duration.",
        ),
        ConstraintFunction(
            "data-usage-end-date",
            (lo.DATA_USAGE_END_DATE, _legacy(lo.DATA_USAGE_END_DATE)),
            EQ_ONLY,
            _compile_usage_end_date,
            "Use allowed until the given xsd:dateTime.",
        ),
        ConstraintFunction(
            "data-usage-end-duration-days",
            (lo.DATA_USAGE_END_DURATION_DAYS, _legacy(lo.DATA_USAGE_END_DURATION_DAYS)),
            EQ_ONLY,
            _compile_usage_end_days,
            "Use allowed for N days from the agreement's signing.",
        ),
        ConstraintFunction(
            "edc-in-force-date",
            (EDC_IN_FORCE_DATE,),
            ORDERING,
            _compile_in_force,
            "EDC's contract validity: now compared with an xsd:dateTime or with "
            "`contractAgreement+<n>(s|m|h|d)`.",
        ),
    ]
