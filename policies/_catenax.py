"""Catena-X 2025-09 policy profile: the contractual left operands (policy-profile-2025-09).

These constraints state legal terms (contract references, warranty, liability, confidentiality,
usage restrictions, provisioning periods) that a connector cannot observe. As in Tractus-X EDC,
they are validated (operator and right-operand shape as the profile's schemas define them) and
then accepted as contract terms: the decision lists them in its notes. The technically checkable
Catena-X operands (Membership, FrameworkAgreement, BusinessPartnerNumber/Group, UsagePurpose,
DataUsageEndDate/DurationDays) map onto the built-in functions in `_builtin`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from policies._compare import RightOperandError, parse_datetime, parse_non_negative_int, strings
from policies._context import Scope
from policies._functions import Compiled, ConstraintFunction, note
from policies._model import Constraint
from policies._vocab import CX_POLICY_LEGACY_NS, CX_POLICY_NS, Operator

_EQ = Operator.EQ
_ANY = Operator.IS_ANY_OF
_ALL = Operator.IS_ALL_OF
# Left operand -> (operator, right-operand kind) from policy-profile-2025-09/constraint/*.json.
CONTRACTUAL_TERMS: Final[dict[str, tuple[str, str]]] = {
    "AffiliatesBpnl": (_ANY, "list"),
    "AffiliatesRegion": (_ANY, "list"),
    "ConfidentialInformationMeasures": (_EQ, "string"),
    "ConfidentialInformationSharing": (_ANY, "list"),
    "ContractReference": (_ALL, "list"),
    "ContractTermination": (_EQ, "string"),
    "DataFrequency": (_EQ, "string"),
    "DataProvisioningEndDate": (_EQ, "datetime"),
    "DataProvisioningEndDurationDays": (_EQ, "integer"),
    "DataUsageEndDefinition": (_EQ, "string"),
    "ExclusiveUsage": (_EQ, "string"),
    "JurisdictionLocation": (_EQ, "string"),
    "JurisdictionLocationReference": (_EQ, "string"),
    "Liability": (_EQ, "string"),
    "ManagedLegalEntityBpnl": (_ANY, "list"),
    "ManagedLegalEntityRegion": (_ANY, "list"),
    "Precedence": (_EQ, "string"),
    "UsageRestriction": (_ALL, "list"),
    "VersionChanges": (_EQ, "string"),
    "Warranty": (_EQ, "string"),
    "WarrantyDefinition": (_EQ, "string"),
    "WarrantyDurationMonths": (_EQ, "integer"),
}


def _validate(constraint: Constraint, kind: str) -> None:
    value = constraint.right_operand
    if kind == "list":
        strings(value)
    elif kind == "string":
        if len(strings(value)) != 1:
            raise RightOperandError("expected one value")
    elif kind == "datetime":
        parse_datetime(value)
    else:
        parse_non_negative_int(value)


def _compiler(kind: str) -> Callable[[Constraint, Scope, str], Compiled]:
    def compile_term(constraint: Constraint, scope: Scope, path: str) -> Compiled:
        _validate(constraint, kind)
        return Compiled(
            note=note(
                constraint,
                path,
                "accepted_by_contract",
                "Catena-X contractual term, binding by agreement",
            )
        )

    return compile_term


def contractual_functions() -> list[ConstraintFunction]:
    """One accept-as-contract-term function per Catena-X contractual left operand."""
    out = []
    for name, (operator, kind) in CONTRACTUAL_TERMS.items():
        out.append(
            ConstraintFunction(
                name=f"cx-{name}",
                left_operands=(CX_POLICY_NS + name, CX_POLICY_LEGACY_NS + name),
                operators=frozenset({operator}),
                compile=_compiler(kind),
                description=f"Catena-X {name}: validated, then accepted as a contract term.",
            )
        )
    return out


def is_contractual(function: ConstraintFunction) -> bool:
    """True for functions that accept a term without a technical check."""
    return function.name.startswith("cx-")
