"""Guards: the public API is pinned, the package is pure (no I/O, clock, env, our packages)."""

from __future__ import annotations

import ast
from pathlib import Path

import policies

PACKAGE = Path(policies.__file__).parent
ALLOWED_IMPORTS = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "json",
    "re",
    "types",
    "typing",
}
FORBIDDEN_CALLS = {"now", "utcnow", "today", "time", "open", "getenv", "environ"}


def test_public_api_when_imported_is_exactly_the_pinned_list() -> None:
    assert sorted(policies.__all__) == sorted(
        [
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
    )
    assert all(hasattr(policies, name) for name in policies.__all__)


def test_modules_when_parsed_import_only_the_standard_library_and_themselves() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= ALLOWED_IMPORTS | {"policies"}, (path.name, roots)


def test_modules_when_parsed_never_read_clock_files_or_environment() -> None:
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in FORBIDDEN_CALLS, (path.name, name)


def test_modules_when_measured_stay_under_four_hundred_lines() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text().splitlines()) < 400, path.name
