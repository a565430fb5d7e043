"""ODRL operator semantics (ODRL 2.2 Common Vocabulary §2.5) and right-operand readers.

Set operators follow the vocabulary's definitions, with the left value L (a value or a set) and
the right operand R (a value or a list): isAnyOf: L ∩ R ≠ ∅; isNoneOf: L ∩ R = ∅;
isAllOf and hasPart: R ⊆ L; isPartOf: L ⊆ R. Comparison operators need comparable values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from policies._model import IriRef, RightOperand, Scalar, TypedLiteral
from policies._vocab import XSD_NS, Operator


class RightOperandError(ValueError):
    """The right operand cannot be read for this left operand (the engine denies, naming it)."""


SET_OPERATORS: Final = frozenset(
    {
        Operator.IS_ANY_OF,
        Operator.IS_NONE_OF,
        Operator.IS_ALL_OF,
        Operator.HAS_PART,
        Operator.IS_PART_OF,
    }
)
ORDER_OPERATORS: Final = frozenset(
    {Operator.EQ, Operator.NEQ, Operator.GT, Operator.GTEQ, Operator.LT, Operator.LTEQ}
)

_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    Operator.EQ: lambda a, b: a == b,
    Operator.NEQ: lambda a, b: a != b,
    Operator.GT: lambda a, b: a > b,
    Operator.GTEQ: lambda a, b: a >= b,
    Operator.LT: lambda a, b: a < b,
    Operator.LTEQ: lambda a, b: a <= b,
}
_SET_TEST: Final[dict[str, Callable[[frozenset[Any], frozenset[Any]], bool]]] = {
    Operator.IS_ANY_OF: lambda left, right: not left.isdisjoint(right),
    Operator.IS_NONE_OF: lambda left, right: left.isdisjoint(right),
    Operator.IS_ALL_OF: lambda left, right: right <= left,
    Operator.HAS_PART: lambda left, right: right <= left,
    Operator.IS_PART_OF: lambda left, right: bool(left) and left <= right,
}


def comparator(operator: str) -> Callable[[Any, Any], bool]:
    """`f(actual, expected)` for a comparison operator."""
    return _COMPARE[operator]


def set_test(operator: str) -> Callable[[frozenset[Any], frozenset[Any]], bool]:
    """`f(actual_set, expected_set)` for a set operator."""
    return _SET_TEST[operator]


def matches(operator: str, actual: Any, expected: Any) -> bool:
    """Generic test: set operators on frozensets, others by comparison (TypeError = False)."""
    if operator in _SET_TEST:
        return _SET_TEST[operator](as_set(actual), as_set(expected))
    try:
        return _COMPARE[operator](actual, expected)
    except TypeError:
        return False


def as_set(value: Any) -> frozenset[Any]:
    """A value or a collection as a frozenset (None: the empty set)."""
    if value is None:
        return frozenset()
    if isinstance(value, tuple | list | set | frozenset):
        return frozenset(value)
    return frozenset({value})


def plain(value: Scalar) -> str | int | float | bool:
    """The lexical value of a right-operand scalar."""
    if isinstance(value, IriRef):
        return value.iri
    if isinstance(value, TypedLiteral):
        return value.value
    return value


def strings(value: RightOperand) -> tuple[str, ...]:
    """The right operand as strings (a value or a list)."""
    items = value if isinstance(value, tuple) else (value,)
    out = []
    for item in items:
        text = plain(item)
        if not isinstance(text, str) or not text:
            raise RightOperandError(f"expected strings, got {item!r}")
        out.append(text)
    return tuple(out)


def single_string(value: RightOperand) -> str:
    """The right operand as exactly one string."""
    items = strings(value)
    if len(items) != 1:
        raise RightOperandError(f"expected one value, got {len(items)}")
    return items[0]


def hashable_set(value: RightOperand) -> frozenset[Hashable]:
    """The right operand's lexical values as a set."""
    items = value if isinstance(value, tuple) else (value,)
    return frozenset(plain(item) for item in items)


_FRACTION: Final = re.compile(r"\.\d{7,}")  # EDC writes nanoseconds; Python reads microseconds


def parse_datetime(value: RightOperand) -> datetime:
    """An xsd:dateTime (or xsd:date, as midnight) right operand; no offset means UTC."""
    if isinstance(value, TypedLiteral) and value.datatype not in (
        XSD_NS + "dateTime",
        XSD_NS + "date",
        XSD_NS + "dateTimeStamp",
    ):
        raise RightOperandError(f"expected an xsd:dateTime, got datatype {value.datatype}")
    text = _FRACTION.sub(lambda m: m.group(0)[:7], single_string(value))
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            parsed = datetime(day.year, day.month, day.day)
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RightOperandError(f"not an xsd:dateTime: {text!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


_DURATION: Final = re.compile(
    r"^P(?!$)(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(value: RightOperand) -> timedelta:
    """An xsd:duration in weeks, days, hours, minutes, seconds (years/months are ambiguous)."""
    text = single_string(value)
    match = _DURATION.match(text)
    if match is None:
        raise RightOperandError(f"not an xsd:duration without years/months: {text!r}")
    parts = {k: float(v) for k, v in match.groupdict().items() if v is not None}
    return timedelta(
        weeks=parts.get("w", 0),
        days=parts.get("d", 0),
        hours=parts.get("h", 0),
        minutes=parts.get("m", 0),
        seconds=parts.get("s", 0),
    )


def parse_non_negative_int(value: RightOperand) -> int:
    """An integer right operand >= 0 (a number or its decimal string)."""
    raw = plain(value) if not isinstance(value, tuple) else None
    if isinstance(raw, bool) or raw is None:
        raise RightOperandError(f"expected a non-negative integer, got {value!r}")
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    if isinstance(raw, int) and raw >= 0:
        return raw
    if isinstance(raw, float) and raw.is_integer() and raw >= 0:
        return int(raw)
    raise RightOperandError(f"expected a non-negative integer, got {value!r}")


def scalar_test(operator: str, expected: Any) -> Callable[[Any], bool]:
    """A pre-bound test of one actual value (a scalar) against the right operand."""
    if operator in _SET_TEST:
        right = as_set(expected)
        if operator in (Operator.IS_ANY_OF, Operator.IS_PART_OF):
            return lambda actual: actual in right
        if operator == Operator.IS_NONE_OF:
            return lambda actual: actual not in right
        return lambda actual: right <= {actual}
    compare = _COMPARE[operator]

    def test(actual: Any) -> bool:
        try:
            return compare(actual, expected)
        except TypeError:
            return False

    return test


def collection_test(operator: str, expected: Any) -> Callable[[frozenset[Any]], bool]:
    """A pre-bound test of a set of actual values against the right operand.

    Comparison operators on a set: `eq` holds when some value equals, `neq` when none does.
    """
    if operator in _SET_TEST:
        right, test = as_set(expected), _SET_TEST[operator]
        return lambda actual: test(actual, right)
    if operator == Operator.EQ:
        return lambda actual: expected in actual
    if operator == Operator.NEQ:
        return lambda actual: expected not in actual
    raise RightOperandError(f"operator {operator} is not defined on a set of values")
