"""The pluggable constraint-function registry (EDC: `PolicyEngine.registerFunction`).

A `ConstraintFunction` owns one or more left operands. At compile time the engine hands it an
atomic constraint, the scope and the constraint's path; the function reads the right operand
once and returns a `Compiled`: a `check` run on every evaluation, and/or a static `note`
(accepted without a technical check: contractual term, or deferred to a later scope), or a
static `error` (the engine denies). Registries are immutable: `with_function` returns a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from policies._context import PolicyContext, Scope
from policies._decision import Reason
from policies._model import Constraint
from policies._vocab import short_name

Check = Callable[[PolicyContext], Reason | None]

ALL_SCOPES = frozenset(Scope)
CREDENTIAL_SCOPES = frozenset({Scope.CATALOG, Scope.NEGOTIATION, Scope.TRANSFER})


@dataclass(frozen=True)
class Compiled:
    """A compiled atomic constraint: an `error`, or a `check` and/or a `note`."""

    check: Check | None = None
    note: Reason | None = None
    error: Reason | None = None


@dataclass(frozen=True)
class ConstraintFunction:
    """One constraint function: the left operands it owns, its operators, scopes and compiler.

    `compile(constraint, scope, path) -> Compiled` may raise `RightOperandError`; the engine
    turns that into an `invalid_right_operand` denial. Outside `scopes` the engine does not call
    it and records a `deferred` note instead.
    """

    name: str
    left_operands: tuple[str, ...]
    operators: frozenset[str]
    compile: Callable[[Constraint, Scope, str], Compiled]
    description: str
    scopes: frozenset[Scope] = ALL_SCOPES


@dataclass(frozen=True, eq=False)
class ConstraintRegistry:
    """Left operand IRI -> function. Hashable by identity (compiled policies are cached by it)."""

    functions: Mapping[str, ConstraintFunction]

    @classmethod
    def of(cls, functions: Iterable[ConstraintFunction]) -> ConstraintRegistry:
        """A registry of `functions` (a later function wins a shared left operand)."""
        table: dict[str, ConstraintFunction] = {}
        for function in functions:
            for operand in function.left_operands:
                table[operand] = function
        return cls(MappingProxyType(table))

    def with_function(self, function: ConstraintFunction) -> ConstraintRegistry:
        """A new registry that also (or instead) handles `function.left_operands`."""
        return ConstraintRegistry.of([*self.distinct(), function])

    def lookup(self, left_operand: str) -> ConstraintFunction | None:
        """The function for a left operand IRI, if any."""
        return self.functions.get(left_operand)

    def distinct(self) -> list[ConstraintFunction]:
        """Each registered function once, in registration order."""
        seen: dict[str, ConstraintFunction] = {}
        for function in self.functions.values():
            seen.setdefault(function.name, function)
        return list(seen.values())


def unsatisfied(
    constraint: Constraint, path: str, message: str, expected: Any, actual: Any
) -> Reason:
    """The reason for a constraint that was evaluated and does not hold."""
    return Reason(
        code="constraint_unsatisfied",
        message=f"{short_name(constraint.left_operand)} {short_name(constraint.operator)}: "
        f"{message}",
        path=path,
        left_operand=constraint.left_operand,
        operator=constraint.operator,
        expected=expected,
        actual=actual,
        constraint_id=constraint.uid,
    )


def note(constraint: Constraint, path: str, code: str, message: str) -> Reason:
    """A note for a constraint accepted without a technical check."""
    return Reason(
        code=code,
        message=f"{short_name(constraint.left_operand)}: {message}",
        path=path,
        left_operand=constraint.left_operand,
        operator=constraint.operator,
        expected=constraint.right_operand,
        constraint_id=constraint.uid,
    )
