"""The fail-closed evaluation engine: a policy compiled per scope into a closure tree.

Semantics (docs/policies.md "How a policy is evaluated"):
- the requested action is `use` in every scope; permissions for `use` (or Catena-X `access`)
  must all be satisfied, as in EDC; at least one is required;
- a prohibition of `use` denies when all its constraints hold; one whose constraints include a
  term that cannot be checked technically (contractual, deferred) is an accepted contract term;
- duties and obligations are accepted terms (notes): the connector cannot observe them;
- logical constraints: and / andSequence (all), or (at least one), xone (exactly one);
- anything unknown (left operand, operator, action, property) or unreadable denies, naming it,
  wherever it appears in the policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from policies._builtin import builtin_functions
from policies._catenax import contractual_functions
from policies._compare import RightOperandError
from policies._context import PolicyContext, Scope
from policies._decision import Decision, Reason
from policies._functions import Compiled, ConstraintRegistry
from policies._model import Constraint, ConstraintLike, Duty, Permission, Policy, Prohibition
from policies._vocab import (
    ANNOTATION_PROPERTIES,
    GRANTING_ACTIONS,
    IGNORED_RULE_PROPERTIES,
    KNOWN_ACTIONS,
    KNOWN_PROFILE_NAMESPACES,
    ODRL_NS,
    LogicalOperator,
    Operator,
    short_name,
)

Node = Callable[[PolicyContext], tuple[Reason, ...]]
_KNOWN_OPERATORS = frozenset(op.value for op in Operator)

DEFAULT_REGISTRY = ConstraintRegistry.of([*builtin_functions(), *contractual_functions()])


def _satisfied(_ctx: PolicyContext) -> tuple[Reason, ...]:
    return ()


@dataclass
class _Build:
    """Compile-time state: static denials and notes collected while walking the policy."""

    scope: Scope
    registry: ConstraintRegistry
    errors: list[Reason] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)

    def deny(self, code: str, message: str, path: str, item: Constraint | None = None) -> Node:
        self.errors.append(
            Reason(
                code,
                message,
                path,
                item.left_operand if item else None,
                item.operator if item else None,
                item.right_operand if item else None,
                None,
                item.uid if item else None,
            )
        )
        reason = self.errors[-1]
        return lambda _ctx: (reason,)


def _atomic(item: Constraint, path: str, build: _Build, checkable: list[bool]) -> Node:
    function = build.registry.lookup(item.left_operand)
    name = short_name(item.left_operand)
    if function is None:
        checkable.append(False)
        return build.deny("unknown_left_operand", f"unknown left operand {name}", path, item)
    if item.operator not in _KNOWN_OPERATORS:
        checkable.append(False)
        return build.deny("unknown_operator", f"unknown operator {item.operator}", path, item)
    if item.operator not in function.operators:
        checkable.append(False)
        return build.deny(
            "unsupported_operator",
            f"operator {short_name(item.operator)} not supported for {name}",
            path,
            item,
        )
    unsupported = [key for key, _ in item.extras if key not in ANNOTATION_PROPERTIES]
    if unsupported:
        checkable.append(False)
        keys = ", ".join(unsupported)
        return build.deny(
            "unsupported_property", f"unsupported constraint property {keys}", path, item
        )
    return _compiled_node(item, path, build, checkable)


def _compiled_node(item: Constraint, path: str, build: _Build, checkable: list[bool]) -> Node:
    function = build.registry.lookup(item.left_operand)
    assert function is not None
    if build.scope not in function.scopes:
        checkable.append(False)
        build.notes.append(
            Reason(
                "deferred",
                f"{short_name(item.left_operand)}: not checked in scope {build.scope.value}",
                path,
                item.left_operand,
                item.operator,
                item.right_operand,
                None,
                item.uid,
            )
        )
        return _satisfied
    try:
        compiled: Compiled = function.compile(item, build.scope, path)
    except RightOperandError as exc:
        checkable.append(False)
        return build.deny(
            "invalid_right_operand", f"{short_name(item.left_operand)}: {exc}", path, item
        )
    if compiled.error is not None:
        checkable.append(False)
        build.errors.append(compiled.error)
        error = compiled.error
        return lambda _ctx: (error,)
    if compiled.note is not None:
        checkable.append(False)
        build.notes.append(compiled.note)
    check = compiled.check
    if check is None:
        return _satisfied

    def node(ctx: PolicyContext) -> tuple[Reason, ...]:
        reason = check(ctx)
        return () if reason is None else (reason,)

    return node


def _all(children: list[Node]) -> Node:
    if len(children) == 1:
        return children[0]

    def node(ctx: PolicyContext) -> tuple[Reason, ...]:
        out: tuple[Reason, ...] = ()
        for child in children:
            failed = child(ctx)
            if failed:
                out += failed
        return out

    return node


def _any(children: list[Node]) -> Node:
    def node(ctx: PolicyContext) -> tuple[Reason, ...]:
        out: tuple[Reason, ...] = ()
        for child in children:
            failed = child(ctx)
            if not failed:
                return ()
            out += failed
        return out

    return node


def _exactly_one(children: list[Node], path: str) -> Node:
    def node(ctx: PolicyContext) -> tuple[Reason, ...]:
        results = [child(ctx) for child in children]
        holding = sum(1 for failed in results if not failed)
        if holding == 1:
            return ()
        if holding == 0:
            return tuple(r for failed in results for r in failed)
        return (
            Reason(
                "constraint_unsatisfied",
                f"xone: {holding} alternatives hold, exactly one must",
                path,
                expected=1,
                actual=holding,
            ),
        )

    return node


def _constraint(item: ConstraintLike, path: str, build: _Build, checkable: list[bool]) -> Node:
    if isinstance(item, Constraint):
        return _atomic(item, path, build, checkable)
    name = item.operator.removeprefix("http://www.w3.org/ns/odrl/2/")
    children = [
        _constraint(c, f"{path}.{name}[{i}]", build, checkable)
        for i, c in enumerate(item.constraints)
    ]
    if not children:
        return build.deny("invalid_right_operand", f"empty {name}", path)
    if item.operator is LogicalOperator.OR:
        return _any(children)
    if item.operator is LogicalOperator.XONE:
        return _exactly_one(children, path)
    return _all(children)


def _conjunction(
    items: tuple[ConstraintLike, ...], path: str, build: _Build, checkable: list[bool]
) -> Node:
    children = [
        _constraint(c, f"{path}.constraint[{i}]", build, checkable) for i, c in enumerate(items)
    ]
    return _all(children) if children else _satisfied


def _rule_prelude(rule: Permission | Prohibition | Duty, path: str, build: _Build) -> bool:
    """Static checks shared by all rules; False when the rule already denies."""
    if rule.action not in KNOWN_ACTIONS:
        build.deny("unknown_action", f"unknown action {short_name(rule.action)}", path)
        return False
    unsupported = [key for key, _ in rule.extras if key not in IGNORED_RULE_PROPERTIES]
    if unsupported:
        keys = ", ".join(unsupported)
        build.deny("unsupported_property", f"unsupported rule property {keys}", path)
        return False
    return True


def _duty(duty: Duty, path: str, build: _Build) -> None:
    if _rule_prelude(duty, path, build):
        _conjunction(duty.constraints, path, build, [])  # validate terms; never evaluated
        build.notes.append(Reason("duty", f"duty accepted: {short_name(duty.action)}", path))


def _permission(rule: Permission, path: str, build: _Build) -> Node | None:
    if not _rule_prelude(rule, path, build):
        return None
    for i, duty in enumerate(rule.duties):
        _duty(duty, f"{path}.duty[{i}]", build)
    node = _conjunction(rule.constraints, path, build, [])
    if rule.action not in GRANTING_ACTIONS:
        build.notes.append(
            Reason(
                "other_action",
                f"permission for {short_name(rule.action)} does not grant use; not evaluated",
                path,
            )
        )
        return None
    return node


def _prohibition(rule: Prohibition, path: str, build: _Build) -> Node | None:
    if not _rule_prelude(rule, path, build):
        return None
    checkable: list[bool] = []
    node = _conjunction(rule.constraints, path, build, checkable)
    if rule.action not in GRANTING_ACTIONS or not all(checkable):
        build.notes.append(
            Reason(
                "accepted_by_contract",
                f"prohibition of {short_name(rule.action)} accepted as a contract term",
                path,
            )
        )
        return None
    return node


def _policy_properties(policy: Policy, build: _Build) -> None:
    """Other ODRL policy properties (e.g. inheritFrom) could add rules we do not see: deny.

    `conflict` is safe to ignore: denying when a prohibition applies is at least as strict as
    every ODRL conflict strategy. Properties outside ODRL (dct:title, edc:...) are metadata.
    """
    for key, _ in policy.extras:
        if key.startswith(ODRL_NS) and key != ODRL_NS + "conflict":
            build.deny("unsupported_property", f"unsupported policy property {key}", "")
    for profile in policy.profiles:  # ODRL 2.2 §2.1: do not process a policy of an unknown profile
        if not profile.startswith(KNOWN_PROFILE_NAMESPACES):
            build.deny("unsupported_profile", f"unsupported ODRL profile {profile}", "profile")


@dataclass(frozen=True, eq=False)
class CompiledPolicy:
    """A policy compiled for one scope; `evaluate` is the hot path (no parsing, no lookups)."""

    scope: Scope
    errors: tuple[Reason, ...]
    notes: tuple[Reason, ...]
    permissions: Node
    prohibitions: tuple[tuple[str, Node], ...]
    _allowed: Decision = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_allowed", Decision(True, (), self.notes))

    def evaluate(self, context: PolicyContext) -> Decision:
        """The decision for `context` (a counterparty at a moment)."""
        reasons = self.permissions(context)
        if self.errors:  # static denials first; their nodes also report them: keep one copy
            reasons = self.errors + tuple(r for r in reasons if r not in self.errors)
        for path, applies in self.prohibitions:
            if not applies(context):
                reasons += (Reason("prohibited", "a prohibition of use applies", path),)
        if reasons:
            return Decision(False, reasons, self.notes)
        return self._allowed


@lru_cache(maxsize=1024)
def compile_policy(
    policy: Policy, scope: Scope, registry: ConstraintRegistry = DEFAULT_REGISTRY
) -> CompiledPolicy:
    """Compile `policy` for `scope` (cached); unknown terms become static denials."""
    build = _Build(Scope(scope), registry)
    granting = [
        node
        for i, rule in enumerate(policy.permissions)
        if (node := _permission(rule, f"permission[{i}]", build)) is not None
    ]
    prohibitions = tuple(
        (f"prohibition[{i}]", node)
        for i, rule in enumerate(policy.prohibitions)
        if (node := _prohibition(rule, f"prohibition[{i}]", build)) is not None
    )
    for i, duty in enumerate(policy.obligations):
        _duty(duty, f"obligation[{i}]", build)
    _policy_properties(policy, build)
    if not granting and not build.errors:
        build.deny("no_permission", "no permission grants use", "permission")
    return CompiledPolicy(
        build.scope,
        tuple(build.errors),
        tuple(build.notes),
        _all(granting) if granting else _satisfied,
        prohibitions,
    )


def evaluate(
    policy: Policy,
    scope: Scope | str,
    context: PolicyContext,
    registry: ConstraintRegistry = DEFAULT_REGISTRY,
) -> Decision:
    """Evaluate `policy` in `scope` for `context`: allowed, with a reason per failed check."""
    return compile_policy(policy, Scope(scope), registry).evaluate(context)


def validate_policy(
    policy: Policy, registry: ConstraintRegistry = DEFAULT_REGISTRY
) -> tuple[Reason, ...]:
    """The static problems of `policy` (unknown terms, bad operands) in any scope; () if none."""
    seen: dict[tuple[str, str], Reason] = {}
    for scope in Scope:
        for reason in compile_policy(policy, scope, registry).errors:
            seen.setdefault((reason.code, reason.path), reason)
    return tuple(seen.values())
