"""`carbonspace policy ...`: list and render templates, validate and evaluate policy files.

Files may hold a policy in any supported form (DSP 2025-1, EDC Management API v3
PolicyDefinition or policy, expanded JSON-LD). Errors name the file and field, exit code 2;
`validate` exits 1 when the policy has problems, `evaluate` exits 1 when the decision is deny.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from policies import (
    ContextError,
    Decision,
    Policy,
    PolicyParseError,
    Scope,
    TemplateError,
    evaluate,
    list_templates,
    parse_context,
    parse_policy_document,
    policy_template,
    to_dsp,
    to_edc_policy_definition,
    to_expanded,
    validate_policy,
)

policy_app = typer.Typer(
    help="ODRL usage policies: templates, validation, evaluation.", no_args_is_help=True
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Form(StrEnum):
    """Output forms of `render`."""

    DSP = "dsp"
    EDC = "edc"
    EXPANDED = "expanded"


def register(app: typer.Typer) -> None:
    """Add the `policy` command group to the root CLI."""
    app.add_typer(policy_app, name="policy")


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def _emit(document: Any) -> None:
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(f"{path}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(f"{path}: not JSON ({exc})") from None


def _read_policy(path: Path) -> Policy:
    try:
        return parse_policy_document(_read_json(path))
    except PolicyParseError as exc:
        raise _fail(f"{path}: {exc}") from None


def _render(policy: Policy, form: Form, definition_id: str | None) -> Any:
    if form is Form.EDC:
        return to_edc_policy_definition(policy, definition_id)
    if form is Form.EXPANDED:
        return to_expanded(policy)
    return to_dsp(policy, with_context=True)


@policy_app.command("templates")
def templates_command(
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
) -> None:
    """List the shipped policy templates and their options."""
    if as_json:
        _emit(
            [
                {
                    "name": t.name,
                    "description": t.description,
                    "options": [
                        {
                            "name": o.name,
                            "kind": o.kind,
                            "default": o.default,
                            "description": o.description,
                        }
                        for o in t.options
                    ],
                }
                for t in list_templates()
            ]
        )
        return
    for template in list_templates():
        table = Table(title=f"{template.name}: {template.description}", title_justify="left")
        for column in ("option", "kind", "default", "description"):
            table.add_column(column)
        for option in template.options:
            default = "" if option.default is None else str(option.default)
            table.add_row(option.name, option.kind, default, option.description)
        out.print(table)


def _options(pairs: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise _fail(f"--option {pair!r}: expected KEY=VALUE")
        options[key.strip().replace("-", "_")] = value
    return options


@policy_app.command("render")
def render_command(
    name: Annotated[str, typer.Argument(help="Template name (see `policy templates`)")],
    option: Annotated[
        list[str] | None, typer.Option("--option", "-o", help="KEY=VALUE; lists comma-separated")
    ] = None,
    form: Annotated[Form, typer.Option(help="Output form")] = Form.DSP,
    definition_id: Annotated[
        str | None, typer.Option("--id", help="PolicyDefinition @id (edc form)")
    ] = None,
) -> None:
    """Render a template with options as JSON-LD."""
    try:
        policy = policy_template(name, **_options(option or []))
    except TemplateError as exc:
        raise _fail(f"template option {exc}") from None
    _emit(_render(policy, form, definition_id))


@policy_app.command("validate")
def validate_command(
    file: Annotated[Path, typer.Argument(help="Policy file (DSP, EDC or expanded JSON-LD)")],
) -> None:
    """Check a policy file: it parses and every term is known to the engine."""
    problems = validate_policy(_read_policy(file))
    if problems:
        for reason in problems:
            err.print(f"[red]invalid:[/red] {reason.describe()}")
        raise typer.Exit(1)
    out.print(f"{file}: valid")


def _print_decision(decision: Decision, scope: Scope) -> None:
    verdict = "[green]ALLOW[/green]" if decision.allowed else "[red]DENY[/red]"
    out.print(f"{verdict} in scope {scope.value}")
    for reason in decision.reasons:
        out.print(f"  reason: {reason.describe()}")
    for note in decision.notes:
        out.print(f"  note: {note.describe()}")


@policy_app.command("evaluate")
def evaluate_command(
    policy_file: Annotated[Path, typer.Argument(help="Policy file")],
    context_file: Annotated[Path, typer.Argument(help="Context file (docs/policies.md)")],
    scope: Annotated[Scope, typer.Option(help="Enforcement point")] = Scope.NEGOTIATION,
    as_json: Annotated[bool, typer.Option("--json", help="Print the decision as JSON")] = False,
) -> None:
    """Evaluate a policy against a context; print the decision and its reasons."""
    policy = _read_policy(policy_file)
    try:
        context = parse_context(_read_json(context_file))
    except ContextError as exc:
        raise _fail(f"{context_file}: {exc}") from None
    decision = evaluate(policy, scope, context)
    if as_json:
        _emit(decision.to_json())
    else:
        _print_decision(decision, scope)
    if not decision.allowed:
        raise typer.Exit(1)
