"""The ODRL policy model (ODRL 2.2 Information Model §2) as frozen, hashable dataclasses.

Terms (policy type, action, left operand, operator) are stored as full IRIs; constructors also
accept the bare names of the known contexts (`"use"`, `"eq"`, `"Membership"`) and normalise them,
so `Constraint("dateTime", "lteq", "2026-12-31T23:59:59Z")` is the same value as the IRI form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from policies._vocab import BARE_TERMS, KNOWN_PREFIXES, LogicalOperator, PolicyType


@dataclass(frozen=True)
class IriRef:
    """A right operand written as a node reference (`{"@id": ...}`)."""

    iri: str


@dataclass(frozen=True)
class TypedLiteral:
    """A right operand written as a typed literal (`{"@value": ..., "@type": datatype}`)."""

    value: str
    datatype: str


Scalar: TypeAlias = str | int | float | bool | IriRef | TypedLiteral
RightOperand: TypeAlias = Scalar | tuple[Scalar, ...]
# Extra (unmodelled) properties: expanded IRI -> the JSON value as given, frozen to a JSON string.
Extras: TypeAlias = tuple[tuple[str, str], ...]


def normalise_term(term: str) -> str:
    """Full IRI for a bare name or a compact IRI of a known prefix; anything else unchanged."""
    if term in BARE_TERMS:
        return BARE_TERMS[term]
    prefix, sep, suffix = term.partition(":")
    if sep and prefix in KNOWN_PREFIXES and not suffix.startswith("//"):
        return KNOWN_PREFIXES[prefix] + suffix
    return term


def _freeze_operand(value: object) -> RightOperand:
    if isinstance(value, list | tuple):
        return tuple(_freeze_scalar(item) for item in value)
    return _freeze_scalar(value)


def _freeze_scalar(value: object) -> Scalar:
    if isinstance(value, str | int | float | bool | IriRef | TypedLiteral):
        return value
    raise TypeError(f"unsupported right operand value {value!r}")


@dataclass(frozen=True)
class Constraint:
    """An atomic constraint: `leftOperand operator rightOperand` (ODRL 2.2 §2.5.1)."""

    left_operand: str
    operator: str
    right_operand: RightOperand
    uid: str | None = None
    extras: Extras = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "left_operand", normalise_term(self.left_operand))
        object.__setattr__(self, "operator", normalise_term(self.operator))
        object.__setattr__(self, "right_operand", _freeze_operand(self.right_operand))


@dataclass(frozen=True)
class LogicalConstraint:
    """`and` / `or` / `xone` / `andSequence` over constraints (ODRL 2.2 §2.5.2)."""

    operator: LogicalOperator
    constraints: tuple[ConstraintLike, ...]
    uid: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "operator", LogicalOperator(normalise_term(self.operator)))
        object.__setattr__(self, "constraints", tuple(self.constraints))


ConstraintLike: TypeAlias = Constraint | LogicalConstraint


@dataclass(frozen=True)
class Duty:
    """A duty on a permission, or a policy-level obligation (ODRL 2.2 §2.6.4)."""

    action: str
    constraints: tuple[ConstraintLike, ...] = ()
    uid: str | None = None
    extras: Extras = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", normalise_term(self.action))
        object.__setattr__(self, "constraints", tuple(self.constraints))


@dataclass(frozen=True)
class Permission:
    """A permission: the action is allowed when its constraints hold (ODRL 2.2 §2.6.2)."""

    action: str
    constraints: tuple[ConstraintLike, ...] = ()
    duties: tuple[Duty, ...] = ()
    uid: str | None = None
    extras: Extras = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", normalise_term(self.action))
        object.__setattr__(self, "constraints", tuple(self.constraints))
        object.__setattr__(self, "duties", tuple(self.duties))


@dataclass(frozen=True)
class Prohibition:
    """A prohibition: the action is forbidden when its constraints hold (ODRL 2.2 §2.6.3)."""

    action: str
    constraints: tuple[ConstraintLike, ...] = ()
    uid: str | None = None
    extras: Extras = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", normalise_term(self.action))
        object.__setattr__(self, "constraints", tuple(self.constraints))


Rule: TypeAlias = Permission | Prohibition | Duty


@dataclass(frozen=True)
class Policy:
    """An ODRL Set, Offer or Agreement (ODRL 2.2 §2.1; DSP 2025-1 Offer/Agreement)."""

    type: PolicyType = PolicyType.SET
    uid: str | None = None
    assigner: str | None = None
    assignee: str | None = None
    target: str | None = None
    permissions: tuple[Permission, ...] = ()
    prohibitions: tuple[Prohibition, ...] = ()
    obligations: tuple[Duty, ...] = ()
    profiles: tuple[str, ...] = ()
    timestamp: str | None = None
    extras: Extras = ()
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", PolicyType(normalise_term(self.type)))
        object.__setattr__(self, "permissions", tuple(self.permissions))
        object.__setattr__(self, "prohibitions", tuple(self.prohibitions))
        object.__setattr__(self, "obligations", tuple(self.obligations))
        object.__setattr__(self, "profiles", tuple(self.profiles))
        object.__setattr__(
            self,
            "_hash",
            hash(
                (
                    self.type,
                    self.uid,
                    self.assigner,
                    self.assignee,
                    self.target,
                    self.permissions,
                    self.prohibitions,
                    self.obligations,
                    self.profiles,
                    self.timestamp,
                    self.extras,
                )
            ),
        )

    def __hash__(self) -> int:
        # Cached: compiled policies are looked up by policy on every evaluation.
        return self._hash
