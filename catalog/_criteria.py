"""EDC `Criterion` / QuerySpec `filterExpression` evaluation (EDC Management API v3 QuerySpec).

Operators `=`, `!=`, `in`, `like`, `ilike`, `contains`, `<`, `<=`, `>`, `>=`; `like` uses SQL `%`
(and `_`) wildcards. The left operand is a property name (bare, `edc:`-prefixed or a full IRI) or
EDC's nested path syntax `'http://purl.org/dc/terms/type'.'@id'`. Records are flat mappings whose
keys are full IRIs, except EDC vocabulary terms, which are bare (`id`, `contractAgreementId`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog._vocab import EDC_NS, KNOWN_PREFIXES

OPERATORS = frozenset({"=", "!=", "in", "like", "ilike", "contains", "<", "<=", ">", ">="})
_QUOTED_SEGMENT = re.compile(r"'([^']*)'")


class CriterionError(ValueError):
    """A criterion is malformed (unknown operator, missing operand)."""


@dataclass(frozen=True)
class Criterion:
    """`operand_left operator operand_right`, as in EDC's `Criterion`."""

    operand_left: str
    operator: str
    operand_right: Any

    def __post_init__(self) -> None:
        if self.operator.lower() not in OPERATORS:
            raise CriterionError(f"operator {self.operator!r} is not one of {sorted(OPERATORS)}")
        if not self.operand_left:
            raise CriterionError("operandLeft is required")
        object.__setattr__(self, "operator", self.operator.lower())


def canonical_name(name: str) -> str:
    """Record key for a property name: EDC terms bare, known prefixes expanded."""
    if name.startswith(EDC_NS):
        return name[len(EDC_NS) :]
    prefix, sep, suffix = name.partition(":")
    if sep and prefix == "edc":
        return suffix
    if sep and prefix in KNOWN_PREFIXES and not suffix.startswith("//"):
        return KNOWN_PREFIXES[prefix] + suffix
    return name


def path_of(operand_left: str) -> tuple[str, ...]:
    """`'iri'.'@id'` -> ("iri", "@id"); anything else is one segment."""
    segments = _QUOTED_SEGMENT.findall(operand_left)
    if segments and ".".join(f"'{s}'" for s in segments) == operand_left:
        return tuple(canonical_name(s) if i == 0 else s for i, s in enumerate(segments))
    return (canonical_name(operand_left),)


def _lookup(record: Mapping[str, Any], path: tuple[str, ...]) -> tuple[bool, Any]:
    value: Any = record
    for segment in path:
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if not isinstance(value, Mapping) or segment not in value:
            return False, None
        value = value[segment]
    return True, value


def _plain(value: Any) -> Any:
    """`{"@id": x}` / `{"@value": x}` / one-element lists compare as `x`."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, Mapping):
        for key in ("@id", "@value"):
            if key in value:
                return value[key]
    return value


def _like(pattern: str, value: Any, flags: int = 0) -> bool:
    regex = "".join(
        ".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in str(pattern)
    )
    return isinstance(value, str) and re.fullmatch(regex, value, flags | re.DOTALL) is not None


def _compare(operator: str, actual: Any, expected: Any) -> bool:
    try:
        if operator == "<":
            return bool(actual < expected)
        if operator == "<=":
            return bool(actual <= expected)
        if operator == ">":
            return bool(actual > expected)
        return bool(actual >= expected)
    except TypeError:
        return False


def matches(criterion: Criterion, record: Mapping[str, Any]) -> bool:
    """Whether `record` satisfies `criterion`; a missing property never matches (except `!=`)."""
    found, raw = _lookup(record, path_of(criterion.operand_left))
    op, expected = criterion.operator, _plain(criterion.operand_right)
    if not found:
        return op == "!="
    actual = _plain(raw)
    if op == "=":
        return bool(actual == expected or (isinstance(raw, list) and expected in map(_plain, raw)))
    if op == "!=":
        return bool(actual != expected)
    if op == "in":
        right = criterion.operand_right
        options = right if isinstance(right, list) else [expected]
        return actual in [_plain(o) for o in options]
    if op == "like":
        return _like(expected, actual)
    if op == "ilike":
        return _like(expected, actual, re.IGNORECASE)
    if op == "contains":
        values = raw if isinstance(raw, list) else [raw]
        return expected in [_plain(v) for v in values] or (
            isinstance(actual, str) and isinstance(expected, str) and expected in actual
        )
    return _compare(op, actual, expected)


def matches_all(criteria: Sequence[Criterion], record: Mapping[str, Any]) -> bool:
    """All criteria hold (EDC ANDs a filterExpression / an assetsSelector)."""
    return all(matches(c, record) for c in criteria)


def parse_criterion(value: Any) -> Criterion:
    """A criterion from JSON (`operandLeft`, `operator`, `operandRight`; `edc:` or full IRIs)."""
    if not isinstance(value, Mapping):
        raise CriterionError("a criterion is a JSON object")
    fields = {canonical_name(k): v for k, v in value.items() if not k.startswith("@")}
    left, operator = fields.get("operandLeft"), fields.get("operator")
    if not isinstance(left, str) or not isinstance(operator, str):
        raise CriterionError("a criterion needs string operandLeft and operator")
    right = fields.get("operandRight")
    right = _plain(right) if isinstance(right, Mapping) else right
    return Criterion(left, operator, right)


def criterion_to_json(criterion: Criterion) -> dict[str, Any]:
    """EDC JSON for a criterion."""
    return {
        "operandLeft": criterion.operand_left,
        "operator": criterion.operator,
        "operandRight": criterion.operand_right,
    }
