"""Write ODRL policies as DSP 2025-1 compact JSON, EDC Management API v3 or expanded JSON-LD.

Built directly from the model (DSP reference §Pitfalls 4: generic compaction does not give the
spec's compact form). DSP form: bare ODRL terms, arrays always arrays, empty arrays omitted
(the 2025-1 schemas have minItems 1). EDC form: `odrl:`-prefixed keys, terms as `{"@id": ...}`,
empty rule arrays kept, as EDC's own management API answers. Expanded: every value wrapped, lists
as `@list` so a one-element list stays a list across a round trip.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from policies._model import (
    Constraint,
    ConstraintLike,
    Duty,
    Extras,
    IriRef,
    Permission,
    Policy,
    Prohibition,
    RightOperand,
    Scalar,
    TypedLiteral,
)
from policies._vocab import (
    CATENAX_POLICY_CONTEXT,
    CS_POLICY_NS,
    CX_BARE,
    CX_POLICY_NS,
    DSP_CONTEXT,
    DSPACE_NS,
    EDC_NS,
    ODRL_BARE,
    ODRL_NS,
    compact_iri,
)

Json = Any

EDC_MANAGEMENT_CONTEXT: Final[dict[str, str]] = {
    "@vocab": EDC_NS,
    "edc": EDC_NS,
    "odrl": ODRL_NS,
    "cx-policy": CX_POLICY_NS,
    "cs-policy": CS_POLICY_NS,
    "dspace": DSPACE_NS,
}


@dataclass(frozen=True)
class _Style:
    key: Callable[[str], str]  # ODRL property name -> key
    term: Callable[[str], Json]  # vocabulary IRI -> value
    ref: Callable[[str], Json]  # node reference (target, assigner...) -> value
    literal: Callable[[Scalar], Json]
    many: Callable[[tuple[Scalar, ...]], Json]
    extra_key: Callable[[str], str]
    keep_empty: bool
    expanded: bool = False


def _plain_literal(value: Scalar) -> Json:
    if isinstance(value, IriRef):
        return {"@id": value.iri}
    if isinstance(value, TypedLiteral):
        return {"@value": value.value, "@type": compact_iri(value.datatype)}
    return value


def _expanded_literal(value: Scalar) -> Json:
    if isinstance(value, IriRef):
        return {"@id": value.iri}
    if isinstance(value, TypedLiteral):
        return {"@value": value.value, "@type": value.datatype}
    return {"@value": value}


def _dsp_term(catenax: bool) -> Callable[[str], Json]:
    table = {**ODRL_BARE, **(CX_BARE if catenax else {})}

    def term(iri: str) -> Json:
        if iri in table:
            return table[iri]
        return compact_iri(iri) if iri.startswith(ODRL_NS) else iri

    return term


def _dsp_style(catenax: bool) -> _Style:
    return _Style(
        key=lambda name: name,
        term=_dsp_term(catenax),
        ref=lambda iri: iri,
        literal=_plain_literal,
        many=lambda values: [_plain_literal(v) for v in values],
        extra_key=lambda iri: iri,
        keep_empty=False,
    )


_EDC_STYLE: Final = _Style(
    key=lambda name: f"odrl:{name}",
    term=lambda iri: {"@id": compact_iri(iri)},
    ref=lambda iri: {"@id": iri},
    literal=_plain_literal,
    many=lambda values: [_plain_literal(v) for v in values],
    extra_key=compact_iri,
    keep_empty=True,
)
_EXPANDED_STYLE: Final = _Style(
    key=lambda name: ODRL_NS + name,
    term=lambda iri: [{"@id": iri}],
    ref=lambda iri: [{"@id": iri}],
    literal=lambda v: [_expanded_literal(v)],
    many=lambda values: [{"@list": [_expanded_literal(v) for v in values]}],
    extra_key=lambda iri: iri,
    keep_empty=False,
    expanded=True,
)


def _operand(value: RightOperand, style: _Style) -> Json:
    return style.many(value) if isinstance(value, tuple) else style.literal(value)


def _with_uid(out: dict[str, Json], uid: str | None) -> dict[str, Json]:
    if uid is not None:
        out["@id"] = uid
    return out


def _add_extras(out: dict[str, Json], extras: Extras, style: _Style) -> dict[str, Json]:
    for key, raw in extras:
        out[style.extra_key(key)] = json.loads(raw)
    return out


def _constraint(item: ConstraintLike, style: _Style) -> dict[str, Json]:
    if isinstance(item, Constraint):
        out = _with_uid({}, item.uid)
        out[style.key("leftOperand")] = style.term(item.left_operand)
        out[style.key("operator")] = style.term(item.operator)
        out[style.key("rightOperand")] = _operand(item.right_operand, style)
        return _add_extras(out, item.extras, style)
    members = [_constraint(c, style) for c in item.constraints]
    name = item.operator.removeprefix(ODRL_NS)
    value: Json = members
    if style.expanded and name == "andSequence":
        value = [{"@list": members}]
    return _with_uid({style.key(name): value}, item.uid)


def _rule(rule: Permission | Prohibition | Duty, style: _Style) -> dict[str, Json]:
    out = _with_uid({}, rule.uid)
    out[style.key("action")] = style.term(rule.action)
    if rule.constraints or style.keep_empty:
        out[style.key("constraint")] = [_constraint(c, style) for c in rule.constraints]
    if isinstance(rule, Permission) and rule.duties:
        out[style.key("duty")] = [_rule(d, style) for d in rule.duties]
    return _add_extras(out, rule.extras, style)


def _policy(policy: Policy, style: _Style, type_value: Json) -> dict[str, Json]:
    out = _with_uid({}, policy.uid)
    out["@type"] = type_value
    if policy.profiles:
        refs = [style.ref(p) for p in policy.profiles]
        if style.expanded:
            out[style.key("profile")] = [ref[0] for ref in refs]
        else:
            out[style.key("profile")] = refs[0] if len(refs) == 1 else refs
    for name in ("target", "assigner", "assignee"):
        value = getattr(policy, name)
        if value is not None:
            out[style.key(name)] = style.ref(value)
    for name, rules in (
        ("permission", policy.permissions),
        ("prohibition", policy.prohibitions),
        ("obligation", policy.obligations),
    ):
        if rules or style.keep_empty:
            out[style.key(name)] = [_rule(r, style) for r in rules]
    return _add_extras(out, policy.extras, style)


def _terms(items: tuple[ConstraintLike, ...]) -> set[str]:
    found: set[str] = set()
    for item in items:
        if isinstance(item, Constraint):
            found.add(item.left_operand)
        else:
            found |= _terms(item.constraints)
    return found


def _catenax_terms(policy: Policy) -> list[str]:
    rules: list[Permission | Prohibition | Duty] = [
        *policy.permissions,
        *policy.prohibitions,
        *policy.obligations,
        *(d for p in policy.permissions for d in p.duties),
    ]
    terms = {r.action for r in rules}.union(*(_terms(r.constraints) for r in rules))
    return sorted(CX_BARE[term] for term in terms if term in CX_BARE)


def uses_catenax_terms(policy: Policy) -> bool:
    """Whether the DSP form of `policy` has bare Catena-X names (its message needs a context)."""
    return bool(_catenax_terms(policy))


def to_dsp(
    policy: Policy, *, catenax_terms: bool = True, with_context: bool = False
) -> dict[str, Json]:
    """DSP 2025-1 compact form (an `Offer`/`Agreement`/`Set` as nested in DSP messages).

    With `catenax_terms` Catena-X left operands are written bare (`"Membership"`), as Tractus-X
    EDC writes them; the enclosing message's `@context` must then be `dsp_context_for(policy)`.
    Without it they are full IRIs and the DSP context alone suffices.
    """
    out = _policy(policy, _dsp_style(catenax_terms), policy.type.removeprefix(ODRL_NS))
    if policy.timestamp is not None:
        out["timestamp"] = policy.timestamp
    if with_context:
        out = {"@context": dsp_context_for(policy, catenax_terms=catenax_terms), **out}
    return out


def dsp_context_for(policy: Policy, *, catenax_terms: bool = True) -> list[str]:
    """The `@context` a DSP message carrying `to_dsp(policy, catenax_terms=...)` needs.

    `[DSP_CONTEXT]`, or, when Catena-X names are written bare, `[CATENAX_POLICY_CONTEXT,
    DSP_CONTEXT]`. The order matters: the Catena-X context maps the prefix `odrl` to a URL, and
    the protected DSP 2025-1 context defines `odrl` too, so the reverse order makes a JSON-LD 1.1
    processor fail with "protected term redefinition". (The DSP schema allows only strings in
    `@context`, so an inline context is not an option.) A peer that cannot load the Catena-X
    context (the DSP TCK's loader knows only the DSP files) needs `catenax_terms=False`.
    """
    if catenax_terms and uses_catenax_terms(policy):
        return [CATENAX_POLICY_CONTEXT, DSP_CONTEXT]
    return [DSP_CONTEXT]


def to_edc(policy: Policy) -> dict[str, Json]:
    """The policy node in EDC Management API v3 form (`odrl:` prefixes; no `@context`)."""
    out = _policy(policy, _EDC_STYLE, compact_iri(policy.type))
    if policy.timestamp is not None:
        out["dspace:timestamp"] = policy.timestamp
    return out


def to_edc_policy_definition(policy: Policy, definition_id: str | None = None) -> dict[str, Json]:
    """An EDC Management API v3 `PolicyDefinition` wrapping `policy`, with its `@context`."""
    out: dict[str, Json] = {"@context": dict(EDC_MANAGEMENT_CONTEXT), "@type": "PolicyDefinition"}
    if definition_id is not None:
        out["@id"] = definition_id
    out["policy"] = to_edc(policy)
    return out


def to_expanded(policy: Policy) -> list[dict[str, Json]]:
    """Fully expanded JSON-LD (JSON-LD 1.1 API §4 expansion form): a one-node array."""
    out = _policy(policy, _EXPANDED_STYLE, [policy.type.value])
    if policy.timestamp is not None:
        out[DSPACE_NS + "timestamp"] = [{"@value": policy.timestamp}]
    return [out]
