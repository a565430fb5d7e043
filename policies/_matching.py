"""Offer/agreement matching (DSP 2025-1 §Contract Negotiation; EDC `ContractValidationService`).

A contract request must carry exactly the offered policy: the same target and the same rules
after normalisation. Normalisation ignores what ODRL leaves unordered (rules of one kind, the
members of a rule's constraint list and of `and` / `or` / `xone`, the values of set operators),
flattens nested `and`s and one-member logical constraints, and treats a single value and a
one-element list alike for set operators. `andSequence` keeps its order. Ids and `@type` are not
compared: the caller looks the offer up by its id.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass

from policies._compare import SET_OPERATORS, plain
from policies._model import (
    Constraint,
    ConstraintLike,
    Duty,
    LogicalConstraint,
    Permission,
    Policy,
    Prohibition,
    RightOperand,
)
from policies._vocab import LogicalOperator
from policies._write import to_dsp


@dataclass(frozen=True)
class MatchResult:
    """Whether a requested policy equals the offered one, and each difference found."""

    matched: bool
    reasons: tuple[str, ...] = ()


def _operand(operator: str, value: RightOperand) -> Hashable:
    items = value if isinstance(value, tuple) else (value,)
    if operator in SET_OPERATORS:
        return frozenset(plain(v) for v in items)
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return plain(value)


def _flatten_and(items: tuple[ConstraintLike, ...]) -> list[ConstraintLike]:
    out: list[ConstraintLike] = []
    for item in items:
        if isinstance(item, LogicalConstraint) and (
            item.operator is LogicalOperator.AND or len(item.constraints) == 1
        ):
            out.extend(_flatten_and(item.constraints))
        else:
            out.append(item)
    return out


def _canon(item: ConstraintLike) -> Hashable:
    if isinstance(item, Constraint):
        return (
            "atom",
            item.left_operand,
            item.operator,
            _operand(item.operator, item.right_operand),
            item.extras,
        )
    if item.operator is LogicalOperator.AND_SEQUENCE:
        return ("andSequence", tuple(_canon(c) for c in item.constraints))
    if item.operator is LogicalOperator.AND:
        return ("and", frozenset(_canon(c) for c in _flatten_and(item.constraints)))
    return (item.operator.value, frozenset(_canon(c) for c in item.constraints))


def _conjunction(items: tuple[ConstraintLike, ...]) -> frozenset[Hashable]:
    return frozenset(_canon(c) for c in _flatten_and(items))


def _rule(rule: Permission | Prohibition | Duty) -> Hashable:
    duties = frozenset(_rule(d) for d in rule.duties) if isinstance(rule, Permission) else None
    return (rule.action, _conjunction(rule.constraints), duties, rule.extras)


def normalise(policy: Policy) -> Hashable:
    """The order-insensitive form used for matching (equal iff the policies mean the same)."""
    return (
        policy.target,
        frozenset(_rule(r) for r in policy.permissions),
        frozenset(_rule(r) for r in policy.prohibitions),
        frozenset(_rule(r) for r in policy.obligations),
        frozenset(policy.profiles),
    )


def _describe(kind: str, rule: Permission | Prohibition | Duty) -> str:
    field = {
        "permission": "permissions",
        "prohibition": "prohibitions",
        "obligation": "obligations",
    }[kind]
    body = to_dsp(Policy(**{field: (rule,)}))[kind][0]  # type: ignore[arg-type]
    return json.dumps(body, sort_keys=True)


def _rule_differences(
    kind: str,
    offered: tuple[Permission | Prohibition | Duty, ...],
    requested: tuple[Permission | Prohibition | Duty, ...],
) -> list[str]:
    want = {_rule(r): r for r in offered}
    got = {_rule(r): r for r in requested}
    out = [
        f"{kind} missing from the request: {_describe(kind, want[k])}" for k in want if k not in got
    ]
    out += [f"{kind} not in the offer: {_describe(kind, got[k])}" for k in got if k not in want]
    return out


def match_offer(
    offered: Policy, requested: Policy, *, target: str | None = None, assigner: str | None = None
) -> MatchResult:
    """Compare a requested (or agreed) policy with the offered one.

    `target` / `assigner` are the expected values when the offered policy does not carry them
    (a catalog offer has no target: the dataset id is the target; the assigner is the provider).
    """
    reasons: list[str] = []
    expected_target = offered.target or target
    if requested.target is None:
        reasons.append("the request has no target")
    elif expected_target is not None and requested.target != expected_target:
        reasons.append(f"target differs: offered {expected_target}, requested {requested.target}")
    expected_assigner = offered.assigner or assigner
    if (
        requested.assigner is not None
        and expected_assigner is not None
        and requested.assigner != expected_assigner
    ):
        reasons.append(
            f"assigner differs: offered {expected_assigner}, requested {requested.assigner}"
        )
    if frozenset(offered.profiles) != frozenset(requested.profiles):
        reasons.append("profile differs")
    for kind, mine, theirs in (
        ("permission", offered.permissions, requested.permissions),
        ("prohibition", offered.prohibitions, requested.prohibitions),
        ("obligation", offered.obligations, requested.obligations),
    ):
        reasons += _rule_differences(kind, mine, theirs)
    return MatchResult(not reasons, tuple(reasons))
