"""The engine's answer: allowed or not, and a machine-readable reason for every failed check.

`Reason.code` values (stable, documented in docs/policies.md):
- `constraint_unsatisfied`: a constraint was evaluated and does not hold;
- `unknown_left_operand`, `unknown_operator`, `unknown_action`: a term we do not know;
- `unsupported_operator`: a known left operand with an operator its function does not accept;
- `invalid_right_operand`: the right operand cannot be read for that left operand;
- `unsupported_property`: a rule or constraint carries a property the engine cannot interpret;
- `no_permission`: no permission grants `use`;
- `prohibited`: a prohibition on `use` applies;
- `unsupported_profile`: the policy declares an ODRL profile the engine does not speak;
- `missing_agreement`: an agreement-relative constraint outside an agreement (transfer/data access).
Notes (`Decision.notes`) carry what was accepted without a technical check: duties, contractual
terms (Catena-X legal constraints, declared-by-contract purpose) and checks deferred to a later
scope (e.g. `DataUsageEndDurationDays` before an agreement exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policies._vocab import short_name


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list | frozenset | set):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, frozenset | set) else items
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


@dataclass(frozen=True)
class Reason:
    """Why a check failed (or, in notes, what was accepted without a check)."""

    code: str
    message: str
    path: str = ""
    left_operand: str | None = None
    operator: str | None = None
    expected: Any = None
    actual: Any = None
    constraint_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON object for DSP `reason` arrays, the management API and the CLI."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.path:
            out["path"] = self.path
        for key, value in (
            ("leftOperand", self.left_operand),
            ("operator", self.operator),
            ("constraintId", self.constraint_id),
        ):
            if value is not None:
                out[key] = value
        if self.expected is not None:
            out["expected"] = _plain(self.expected)
        if self.actual is not None:
            out["actual"] = _plain(self.actual)
        return out

    def describe(self) -> str:
        """One line for logs, CLI output and DSP termination reasons."""
        where = f" [{self.path}]" if self.path else ""
        return f"{self.code}{where}: {self.message}"


@dataclass(frozen=True)
class Decision:
    """allowed, the reasons it is not (empty when allowed), and notes on accepted terms."""

    allowed: bool
    reasons: tuple[Reason, ...] = ()
    notes: tuple[Reason, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """`{"allowed": ..., "reasons": [...], "notes": [...]}`."""
        return {
            "allowed": self.allowed,
            "reasons": [r.to_json() for r in self.reasons],
            "notes": [n.to_json() for n in self.notes],
        }

    def messages(self) -> list[str]:
        """The reasons as strings (a DSP `ContractNegotiationTerminationMessage.reason`)."""
        return [r.describe() for r in self.reasons]


def operand_label(iri: str) -> str:
    """The short readable name of a term for messages."""
    return short_name(iri)
