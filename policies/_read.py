"""Read ODRL policies from DSP 2025-1, EDC Management API v3 and expanded JSON-LD documents.

One reader for every form: keys and vocabulary values are resolved to IRIs through the active
context (`_context_table`), values may be plain or wrapped (`@id`, `@value`, `@list`, arrays).
Structural defects raise `PolicyParseError` naming the path; unmodelled properties are kept as
extras (so nothing is skipped silently) and the engine denies on those it cannot interpret.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from policies._context_table import EMPTY_CONTEXT, ActiveContext
from policies._model import (
    Constraint,
    ConstraintLike,
    Duty,
    Extras,
    IriRef,
    LogicalConstraint,
    Permission,
    Policy,
    Prohibition,
    RightOperand,
    Scalar,
    TypedLiteral,
)
from policies._vocab import DSPACE_NS, EDC_NS, ODRL_NS, LogicalOperator, PolicyType


class PolicyParseError(ValueError):
    """A policy document is malformed; `path` names the offending field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '<policy>'}: {message}")
        self.path = path
        self.detail = message


@dataclass(frozen=True)
class PolicyDefinition:
    """An EDC Management API `PolicyDefinition`: an id and the policy it names."""

    id: str | None
    policy: Policy


_LOGICAL = {op.value: op for op in LogicalOperator}
_POLICY_TYPES = {t.value: t for t in PolicyType} | {ODRL_NS + "Policy": PolicyType.SET}
_POLICY_KEYS = frozenset(
    ODRL_NS + k
    for k in (
        "uid",
        "permission",
        "prohibition",
        "obligation",
        "target",
        "assigner",
        "assignee",
        "profile",
    )
) | {"@id", "@type", "@context", DSPACE_NS + "timestamp"}
_RULE_KEYS = frozenset(ODRL_NS + k for k in ("uid", "action", "constraint", "duty")) | {
    "@id",
    "@type",
    "@context",
}
_CONSTRAINT_KEYS = frozenset(
    ODRL_NS + k for k in ("uid", "leftOperand", "operator", "rightOperand")
) | {"@id", "@type", "@context"}


def _items(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, Mapping) and "@list" in value:
        return _items(value["@list"])
    if isinstance(value, list):
        out: list[object] = []
        for item in value:
            out.extend(_items(item) if isinstance(item, Mapping) and "@list" in item else [item])
        return out
    return [value]


def _one(value: object, path: str) -> object:
    items = _items(value)
    if len(items) != 1:
        raise PolicyParseError(path, f"expected exactly one value, got {len(items)}")
    item = items[0]
    if isinstance(item, Mapping) and "@value" in item and "@type" not in item:
        return item["@value"]
    return item


def _string(value: object, path: str) -> str:
    item = _one(value, path)
    if isinstance(item, Mapping) and isinstance(item.get("@id"), str):
        return str(item["@id"])
    if isinstance(item, str):
        return item
    raise PolicyParseError(path, f"expected a string or an @id, got {item!r}")


def _term(value: object, ctx: ActiveContext, path: str) -> str:
    """A vocabulary-typed value (action, operator, leftOperand): its IRI."""
    item = _one(value, path)
    if isinstance(item, Mapping):
        inner = {ctx.expand(k, use_vocab=True): v for k, v in item.items()}
        if ODRL_NS + "refinement" in inner:
            raise PolicyParseError(path, "action refinements are not supported")
        for key in ("@id", ODRL_NS + "type", EDC_NS + "type", "type", "@type"):
            if key in inner:
                return _term(inner[key], ctx, path)
        raise PolicyParseError(path, f"expected a term, got {item!r}")
    if not isinstance(item, str) or not item:
        raise PolicyParseError(path, f"expected a term, got {item!r}")
    iri = ctx.expand(item, use_vocab=False)
    if iri == item and item.isupper() and ctx.expand(item.lower(), use_vocab=False) != item.lower():
        return ctx.expand(item.lower(), use_vocab=False)  # EDC's legacy "USE"
    return iri


def _keys(node: Mapping[str, object], ctx: ActiveContext) -> dict[str, object]:
    return {ctx.expand(key, use_vocab=True): value for key, value in node.items()}


def _extras(node: dict[str, object], known: frozenset[str]) -> Extras:
    return tuple(
        sorted(
            (key, json.dumps(value, sort_keys=True))
            for key, value in node.items()
            if key not in known
        )
    )


def _node(value: object, ctx: ActiveContext, path: str) -> tuple[dict[str, object], ActiveContext]:
    if not isinstance(value, Mapping):
        raise PolicyParseError(path, f"expected an object, got {type(value).__name__}")
    inner = ctx.extend(value.get("@context"))
    return _keys(value, inner), inner


def _scalar(item: object, ctx: ActiveContext, path: str) -> Scalar:
    if isinstance(item, bool | int | float | str):
        return item
    if isinstance(item, Mapping):
        if "@value" in item:
            raw, datatype = item["@value"], item.get("@type")
            if not isinstance(raw, bool | int | float | str):
                raise PolicyParseError(path, f"unsupported literal {raw!r}")
            if datatype is None:
                return raw
            return TypedLiteral(str(raw), ctx.expand(str(datatype), use_vocab=False))
        if isinstance(item.get("@id"), str):
            return IriRef(str(item["@id"]))
    raise PolicyParseError(path, f"unsupported right operand {item!r}")


def _right_operand(value: object, ctx: ActiveContext, path: str, expanded: bool) -> RightOperand:
    """`expanded`: the key was the full IRI, so an array is JSON-LD's value set, not a list."""
    if isinstance(value, Mapping) and "@list" in value:
        return tuple(_scalar(i, ctx, path) for i in _items(value))
    if isinstance(value, list):
        single = len(value) == 1 and not (isinstance(value[0], Mapping) and "@list" in value[0])
        if expanded and single:
            return _scalar(value[0], ctx, path)
        return tuple(_scalar(i, ctx, path) for i in _items(value))
    if value is None:
        raise PolicyParseError(path, "rightOperand is required")
    return _scalar(value, ctx, path)


def _uid(node: dict[str, object], path: str) -> str | None:
    for key in ("@id", ODRL_NS + "uid"):
        if key in node:
            return _string(node[key], f"{path}.@id")
    return None


def parse_constraint(value: object, ctx: ActiveContext, path: str) -> ConstraintLike:
    """An atomic or logical constraint node."""
    node, ctx = _node(value, ctx, path)
    logical = [key for key in node if key in _LOGICAL]
    if logical:
        if len(logical) > 1:
            raise PolicyParseError(path, "a logical constraint has exactly one operand")
        key = logical[0]
        name = key.removeprefix(ODRL_NS)
        members = tuple(
            parse_constraint(item, ctx, f"{path}.{name}[{i}]")
            for i, item in enumerate(_items(node[key]))
        )
        return LogicalConstraint(_LOGICAL[key], members, _uid(node, path))
    for required in ("leftOperand", "operator"):
        if ODRL_NS + required not in node:
            raise PolicyParseError(f"{path}.{required}", f"{required} is required")
    return Constraint(
        _term(node[ODRL_NS + "leftOperand"], ctx, f"{path}.leftOperand"),
        _term(node[ODRL_NS + "operator"], ctx, f"{path}.operator"),
        _right_operand(
            node.get(ODRL_NS + "rightOperand"),
            ctx,
            f"{path}.rightOperand",
            isinstance(value, Mapping) and ODRL_NS + "rightOperand" in value,
        ),
        _uid(node, path),
        _extras(node, _CONSTRAINT_KEYS),
    )


def _constraints(
    node: dict[str, object], ctx: ActiveContext, path: str
) -> tuple[ConstraintLike, ...]:
    return tuple(
        parse_constraint(item, ctx, f"{path}.constraint[{i}]")
        for i, item in enumerate(_items(node.get(ODRL_NS + "constraint")))
    )


def _action(node: dict[str, object], ctx: ActiveContext, path: str) -> str:
    if ODRL_NS + "action" not in node:
        raise PolicyParseError(f"{path}.action", "action is required")
    return _term(node[ODRL_NS + "action"], ctx, f"{path}.action")


def parse_duty(value: object, ctx: ActiveContext, path: str) -> Duty:
    """A duty or obligation node."""
    node, ctx = _node(value, ctx, path)
    return Duty(
        _action(node, ctx, path),
        _constraints(node, ctx, path),
        _uid(node, path),
        _extras(node, _RULE_KEYS - {ODRL_NS + "duty"}),
    )


def parse_permission(value: object, ctx: ActiveContext, path: str) -> Permission:
    """A permission node, with its duties."""
    node, ctx = _node(value, ctx, path)
    duties = tuple(
        parse_duty(item, ctx, f"{path}.duty[{i}]")
        for i, item in enumerate(_items(node.get(ODRL_NS + "duty")))
    )
    return Permission(
        _action(node, ctx, path),
        _constraints(node, ctx, path),
        duties,
        _uid(node, path),
        _extras(node, _RULE_KEYS),
    )


def parse_prohibition(value: object, ctx: ActiveContext, path: str) -> Prohibition:
    """A prohibition node."""
    node, ctx = _node(value, ctx, path)
    return Prohibition(
        _action(node, ctx, path),
        _constraints(node, ctx, path),
        _uid(node, path),
        _extras(node, _RULE_KEYS - {ODRL_NS + "duty"}),
    )


def _policy_type(node: dict[str, object], ctx: ActiveContext) -> PolicyType:
    if "@type" not in node:
        return PolicyType.SET
    iris = [ctx.expand(_string(t, "@type"), use_vocab=False) for t in _items(node["@type"])]
    for iri in iris:
        if iri in _POLICY_TYPES:
            return _POLICY_TYPES[iri]
    raise PolicyParseError("@type", f"not an ODRL policy type: {iris}")


def _optional_id(node: dict[str, object], key: str, path: str) -> str | None:
    return _string(node[ODRL_NS + key], f"{path}{key}") if ODRL_NS + key in node else None


def parse_policy(document: object, *, context: object = None) -> Policy:
    """A policy node in any supported form; `context` is the enclosing message's `@context`."""
    node, ctx = _node(document, EMPTY_CONTEXT.extend(context), "")
    kinds = ("permission", "prohibition", "obligation")
    rules = {kind: _items(node.get(ODRL_NS + kind)) for kind in kinds}
    timestamp = node.get(DSPACE_NS + "timestamp")
    return Policy(
        type=_policy_type(node, ctx),
        uid=_uid(node, ""),
        assigner=_optional_id(node, "assigner", ""),
        assignee=_optional_id(node, "assignee", ""),
        target=_optional_id(node, "target", ""),
        permissions=tuple(
            parse_permission(v, ctx, f"permission[{i}]") for i, v in enumerate(rules["permission"])
        ),
        prohibitions=tuple(
            parse_prohibition(v, ctx, f"prohibition[{i}]")
            for i, v in enumerate(rules["prohibition"])
        ),
        obligations=tuple(
            parse_duty(v, ctx, f"obligation[{i}]") for i, v in enumerate(rules["obligation"])
        ),
        profiles=tuple(_string(p, "profile") for p in _items(node.get(ODRL_NS + "profile"))),
        timestamp=None if timestamp is None else _string(timestamp, "timestamp"),
        extras=_extras(node, _POLICY_KEYS),
    )


def parse_policy_definition(document: object) -> PolicyDefinition:
    """An EDC Management API v3 `PolicyDefinition` (`@id` plus a wrapped `policy`)."""
    node, _ctx = _node(document, EMPTY_CONTEXT, "")
    policy_key = next((k for k in (EDC_NS + "policy", "policy") if k in node), None)
    if policy_key is None:
        raise PolicyParseError("policy", "a PolicyDefinition needs a policy")
    inner = _one(node[policy_key], "policy")
    outer = document.get("@context") if isinstance(document, Mapping) else None
    policy = parse_policy(inner, context=outer)
    return PolicyDefinition(_uid(node, ""), policy)


def parse_policy_document(document: object) -> Policy:
    """Whatever a file holds: a policy (any form), an expanded list, or a PolicyDefinition."""
    if isinstance(document, list):
        if len(document) != 1:
            raise PolicyParseError("", "an expanded document must hold exactly one policy")
        document = document[0]
    if not isinstance(document, Mapping):
        raise PolicyParseError("", "a policy document is a JSON object")
    ctx = EMPTY_CONTEXT.extend(document.get("@context"))
    types = {ctx.expand(_string(t, "@type"), use_vocab=True) for t in _items(document.get("@type"))}
    keys = {ctx.expand(k, use_vocab=True) for k in document}
    definition = types & {EDC_NS + "PolicyDefinition", "PolicyDefinition"}
    if definition or keys & {EDC_NS + "policy", "policy"}:
        return parse_policy_definition(document).policy
    return parse_policy(document)
