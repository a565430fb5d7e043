"""ODRL policies for carbonspace: model, JSON-LD forms, fail-closed engine, templates, matching.

Pure: no I/O, no clock (the time is `PolicyContext.now`), no environment, none of our packages.
Guide: docs/policies.md. Specs: ODRL 2.2 Information Model and Common Vocabulary, DSP 2025-1
(policy forms), EDC Management API v3 (PolicyDefinition), Catena-X policy profile 2025-09.

Typical use by the node:
    policy = parse_policy(message["offer"], context=message["@context"])   # or any form
    decision = evaluate(policy, Scope.NEGOTIATION, context)                # Decision
    match_offer(stored_offer, policy, target=dataset_id)                   # MatchResult
    to_dsp(policy) / to_edc_policy_definition(policy, "id") / to_expanded(policy)
"""

from policies._builtin import PURPOSE_ALIASES, business_partner_numbers
from policies._compare import RightOperandError
from policies._context import AgreementInfo, CredentialClaim, Did, PolicyContext, Scope
from policies._context_json import ContextError, parse_context
from policies._decision import Decision, Reason
from policies._engine import (
    DEFAULT_REGISTRY,
    CompiledPolicy,
    compile_policy,
    evaluate,
    validate_policy,
)
from policies._functions import (
    ALL_SCOPES,
    CREDENTIAL_SCOPES,
    Check,
    Compiled,
    ConstraintFunction,
    ConstraintRegistry,
    note,
    unsatisfied,
)
from policies._matching import MatchResult, match_offer, normalise
from policies._model import (
    Constraint,
    ConstraintLike,
    Duty,
    IriRef,
    LogicalConstraint,
    Permission,
    Policy,
    Prohibition,
    RightOperand,
    TypedLiteral,
)
from policies._read import (
    PolicyDefinition,
    PolicyParseError,
    parse_policy,
    parse_policy_definition,
    parse_policy_document,
)
from policies._templates import (
    PolicyTemplate,
    TemplateError,
    TemplateOption,
    list_templates,
    policy_template,
)
from policies._vocab import (
    CATENAX_POLICY_CONTEXT,
    CS_POLICY_NS,
    CX_POLICY_NS,
    DSP_CONTEXT,
    EDC_NS,
    ODRL_NS,
    Action,
    LeftOperand,
    LogicalOperator,
    Operator,
    PolicyType,
)
from policies._write import (
    EDC_MANAGEMENT_CONTEXT,
    dsp_context_for,
    to_dsp,
    to_edc,
    to_edc_policy_definition,
    to_expanded,
    uses_catenax_terms,
)

Obligation = Duty

__all__ = [
    "ALL_SCOPES",
    "CATENAX_POLICY_CONTEXT",
    "CREDENTIAL_SCOPES",
    "CS_POLICY_NS",
    "CX_POLICY_NS",
    "DEFAULT_REGISTRY",
    "DSP_CONTEXT",
    "EDC_MANAGEMENT_CONTEXT",
    "EDC_NS",
    "ODRL_NS",
    "PURPOSE_ALIASES",
    "Action",
    "AgreementInfo",
    "Check",
    "Compiled",
    "CompiledPolicy",
    "Constraint",
    "ConstraintFunction",
    "ConstraintLike",
    "ConstraintRegistry",
    "ContextError",
    "CredentialClaim",
    "Decision",
    "Did",
    "Duty",
    "IriRef",
    "LeftOperand",
    "LogicalConstraint",
    "LogicalOperator",
    "MatchResult",
    "Obligation",
    "Operator",
    "Permission",
    "Policy",
    "PolicyContext",
    "PolicyDefinition",
    "PolicyParseError",
    "PolicyTemplate",
    "PolicyType",
    "Prohibition",
    "Reason",
    "RightOperand",
    "RightOperandError",
    "Scope",
    "TemplateError",
    "TemplateOption",
    "TypedLiteral",
    "business_partner_numbers",
    "compile_policy",
    "dsp_context_for",
    "evaluate",
    "list_templates",
    "match_offer",
    "normalise",
    "note",
    "parse_context",
    "parse_policy",
    "parse_policy_definition",
    "parse_policy_document",
    "policy_template",
    "to_dsp",
    "to_edc",
    "to_edc_policy_definition",
    "to_expanded",
    "unsatisfied",
    "uses_catenax_terms",
    "validate_policy",
]
