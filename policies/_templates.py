"""Policy templates shipped with the node for carbon data (issue 4, item 4).

Each template builds one `use` permission whose constraints sit in a single `and`, written in
the Catena-X 2025-09 vocabulary where one exists (so Tractus-X EDC peers and their allow-lists
understand the offer) and in ODRL core / carbonspace terms otherwise. Options are typed; the
CLI and the management API pass strings, which are converted here (errors name the option).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from policies._compare import RightOperandError, parse_datetime
from policies._model import Constraint, ConstraintLike, LogicalConstraint, Permission, Policy
from policies._vocab import LeftOperand, LogicalOperator, Operator, PolicyType


class TemplateError(ValueError):
    """A template name or option is wrong; `option` names it."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option


@dataclass(frozen=True)
class TemplateOption:
    """One option of a template: name, kind (str, list, datetime, int), default, description."""

    name: str
    kind: str
    default: Any
    description: str
    required: bool = False


@dataclass(frozen=True)
class PolicyTemplate:
    """A named template with its description and options."""

    name: str
    description: str
    options: tuple[TemplateOption, ...]


_COMMON: Final = (
    TemplateOption(
        "purposes",
        "list",
        ("cx.pcf.base:1",),
        "Allowed usage purposes (Catena-X UsagePurpose); empty for no purpose term.",
    ),
    TemplateOption("not_before", "datetime", None, "Use allowed from this xsd:dateTime."),
    TemplateOption("not_after", "datetime", None, "Use allowed until this xsd:dateTime."),
    TemplateOption(
        "usage_days",
        "int",
        None,
        "Use allowed for N days after the agreement (DataUsageEndDurationDays).",
    ),
    TemplateOption("uid", "str", None, "The policy @id."),
    TemplateOption("policy_type", "str", "Set", "Set, Offer or Agreement."),
    TemplateOption("assigner", "str", None, "The provider's participant id (DID)."),
    TemplateOption("target", "str", None, "The asset / dataset id."),
)
_FRAMEWORK: Final = (
    TemplateOption(
        "framework",
        "str",
        "Pcf",
        "Framework subtype: Pcf (our PcfFrameworkCredential) or DataExchangeGovernance (Catena-X).",
    ),
    TemplateOption(
        "framework_version",
        "str",
        "1.0",
        "Required contractVersion of the framework credential; empty for any.",
    ),
)
_CUSTOMERS: Final = (
    TemplateOption("customers", "list", (), "Participant ids (DIDs) of the allowed customers."),
    TemplateOption(
        "groups", "list", (), "Business partner groups (held by the provider) also allowed."
    ),
    TemplateOption("require_membership", "bool", True, "Also require data-space membership."),
)

TEMPLATES: Final[dict[str, PolicyTemplate]] = {
    t.name: t
    for t in (
        PolicyTemplate(
            "members-only", "Any data-space member (valid MembershipCredential).", _COMMON
        ),
        PolicyTemplate(
            "members-with-pcf-framework",
            "Members who signed the PCF framework agreement (valid framework "
            "credential with the given contract version).",
            _FRAMEWORK + _COMMON,
        ),
        PolicyTemplate(
            "named-customers",
            "Only the named customers (DIDs) and/or business partner groups.",
            _CUSTOMERS + _COMMON,
        ),
    )
}


def list_templates() -> tuple[PolicyTemplate, ...]:
    """Every shipped template, with its options."""
    return tuple(TEMPLATES.values())


def _convert(option: TemplateOption, value: Any) -> Any:
    if value is None:
        return None
    try:
        if option.kind == "list":
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(v).strip() for v in items if str(v).strip())
        if option.kind == "int":
            number = int(value)
            if number < 0:
                raise ValueError("must not be negative")
            return number
        if option.kind == "bool":
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        if option.kind == "datetime":
            text = value.isoformat() if isinstance(value, datetime) else str(value)
            parse_datetime(text)
            return text
        return str(value)
    except (ValueError, RightOperandError) as exc:
        raise TemplateError(option.name, f"invalid {option.kind}: {exc}") from None


def _values(template: PolicyTemplate, options: Mapping[str, Any]) -> dict[str, Any]:
    known = {o.name: o for o in template.options}
    for name in options:
        if name not in known:
            raise TemplateError(name, f"unknown option for template {template.name}")
    return {name: _convert(o, options.get(name, o.default)) for name, o in known.items()}


def _common_terms(v: Mapping[str, Any]) -> list[ConstraintLike]:
    terms: list[ConstraintLike] = []
    if v["purposes"]:
        terms.append(Constraint(LeftOperand.USAGE_PURPOSE, Operator.IS_ANY_OF, v["purposes"]))
    if v["not_before"]:
        terms.append(Constraint(LeftOperand.DATE_TIME, Operator.GTEQ, v["not_before"]))
    if v["not_after"]:
        terms.append(Constraint(LeftOperand.DATE_TIME, Operator.LTEQ, v["not_after"]))
    if v["usage_days"] is not None:
        terms.append(
            Constraint(LeftOperand.DATA_USAGE_END_DURATION_DAYS, Operator.EQ, v["usage_days"])
        )
    return terms


def _membership() -> Constraint:
    return Constraint(LeftOperand.MEMBERSHIP, Operator.EQ, "active")


def _framework_terms(v: Mapping[str, Any]) -> list[ConstraintLike]:
    if not v["framework"]:
        raise TemplateError("framework", "required")
    version = v["framework_version"]
    value = f"{v['framework']}:{version}" if version else v["framework"]
    return [_membership(), Constraint(LeftOperand.FRAMEWORK_AGREEMENT, Operator.EQ, value)]


def _customer_terms(v: Mapping[str, Any]) -> list[ConstraintLike]:
    who: list[ConstraintLike] = []
    if v["customers"]:
        who.append(Constraint(LeftOperand.PARTICIPANT_ID, Operator.IS_ANY_OF, v["customers"]))
    if v["groups"]:
        who.append(Constraint(LeftOperand.BUSINESS_PARTNER_GROUP, Operator.IS_ANY_OF, v["groups"]))
    if not who:
        raise TemplateError("customers", "name at least one customer DID or group")
    party = who[0] if len(who) == 1 else LogicalConstraint(LogicalOperator.OR, tuple(who))
    return [_membership(), party] if v["require_membership"] else [party]


_BUILDERS: Final[dict[str, Callable[[Mapping[str, Any]], list[ConstraintLike]]]] = {
    "members-only": lambda v: [_membership()],
    "members-with-pcf-framework": _framework_terms,
    "named-customers": _customer_terms,
}


def policy_template(name: str, **options: Any) -> Policy:
    """Build the policy of template `name` (`members-only`, ...) with `options`."""
    key = name.strip().lower().replace(" ", "-").replace("_", "-")
    template = TEMPLATES.get(key)
    if template is None:
        raise TemplateError("name", f"unknown template {name!r}; one of {', '.join(TEMPLATES)}")
    v = _values(template, options)
    terms = _BUILDERS[key](v) + _common_terms(v)
    constraint = LogicalConstraint(LogicalOperator.AND, tuple(terms))
    try:
        policy_type = PolicyType(f"http://www.w3.org/ns/odrl/2/{v['policy_type']}")
    except ValueError:
        raise TemplateError("policy_type", "one of Set, Offer, Agreement") from None
    return Policy(
        type=policy_type,
        uid=v["uid"],
        assigner=v["assigner"],
        target=v["target"],
        permissions=(Permission("use", (constraint,)),),
    )
