"""`carbonspace policy ...` commands, driven through a local Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from connector.policy.cli import register
from policies import parse_policy_document, policy_template, to_edc_policy_definition
from tests.support.paths import SPECS as SPECS_DIR

SPECS = SPECS_DIR
CONSUMER = "did:web:consumer.example"


@pytest.fixture
def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """Test root."""

    register(root)
    return root


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _context(tmp_path: Path, **extra: object) -> Path:
    document = {
        "participantId": CONSUMER,
        "now": "2026-06-01T12:00:00Z",
        "purpose": "pcf",
        "credentials": [
            {
                "type": ["VerifiableCredential", "MembershipCredential"],
                "issuer": "did:web:authority.example",
                "credentialSubject": {"id": CONSUMER, "memberOf": "carbonspace"},
                "validFrom": "2026-01-01T00:00:00Z",
                "validUntil": "2027-01-01T00:00:00Z",
            }
        ],
        **extra,
    }
    path = tmp_path / "context.json"
    path.write_text(json.dumps(document))
    return path


def _policy_file(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(document))
    return path


def test_templates_command_when_json_lists_every_template(
    app: typer.Typer, runner: CliRunner
) -> None:
    result = runner.invoke(app, ["policy", "templates", "--json"])
    assert result.exit_code == 0
    names = [t["name"] for t in json.loads(result.stdout)]
    assert names == ["members-only", "members-with-pcf-framework", "named-customers"]


def test_templates_command_when_table_shows_options(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "templates"])
    assert result.exit_code == 0
    assert "members-with-pcf-framework" in result.stdout
    assert "framework_version" in result.stdout


def test_render_command_when_edc_form_wraps_policy_definition(
    app: typer.Typer, runner: CliRunner
) -> None:
    result = runner.invoke(
        app,
        [
            "policy",
            "render",
            "named-customers",
            "-o",
            f"customers={CONSUMER},did:web:b",
            "-o",
            "usage-days=30",
            "--form",
            "edc",
            "--id",
            "usage-1",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    expected = policy_template("named-customers", customers=[CONSUMER, "did:web:b"], usage_days=30)
    assert document == to_edc_policy_definition(expected, "usage-1")
    assert parse_policy_document(document) == expected


def test_render_command_when_dsp_form_carries_contexts(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "render", "members-only"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["@context"] == [
        "https://w3id.org/catenax/2025/9/policy/context.jsonld",
        "https://w3id.org/dspace/2025/1/context.jsonld",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "template option name: unknown template 'nobody'"),
        (["members-only", "-o", "colour=red"], "template option colour: unknown option"),
        (["members-only", "-o", "novalue"], "--option 'novalue': expected KEY=VALUE"),
        (["members-only", "-o", "not_after=someday"], "template option not_after: invalid"),
    ],
)
def test_render_command_when_misused_names_the_option(
    app: typer.Typer, runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["policy", "render", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_validate_command_when_dsp_example_valid_succeeds(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    message = json.loads(
        (SPECS / "dsp/examples/negotiation/contract-offer-message.json").read_text()
    )
    path = _policy_file(tmp_path, message["offer"])
    result = runner.invoke(app, ["policy", "validate", str(path)])
    assert (result.exit_code, result.stdout.strip()) == (0, f"{path}: valid")


def test_validate_command_when_unknown_operand_exits_one(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    catalog = json.loads((SPECS / "dsp/examples/catalog/catalog.json").read_text())
    path = _policy_file(tmp_path, catalog["dataset"][0]["hasPolicy"][0])
    result = runner.invoke(app, ["policy", "validate", str(path)])
    assert result.exit_code == 1
    assert (
        "unknown_left_operand [permission[0].constraint[0]]: unknown left operand spatial"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"permission": [{"constraint": []}]}', "permission[0].action: action is required"),
    ],
)
def test_validate_command_when_file_broken_names_the_problem(
    app: typer.Typer, runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "p.json"
    path.write_text(content)
    result = runner.invoke(app, ["policy", "validate", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_validate_command_when_file_missing_exits_two(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["policy", "validate", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_evaluate_command_when_member_allows(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    policy = _policy_file(tmp_path, to_edc_policy_definition(policy_template("members-only")))
    result = runner.invoke(
        app, ["policy", "evaluate", str(policy), str(_context(tmp_path)), "--scope", "catalog"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "ALLOW in scope catalog"


def test_evaluate_command_when_denied_prints_reasons_as_json(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    policy = _policy_file(
        tmp_path, to_edc_policy_definition(policy_template("members-with-pcf-framework"))
    )
    result = runner.invoke(
        app, ["policy", "evaluate", str(policy), str(_context(tmp_path)), "--json"]
    )
    assert result.exit_code == 1
    decision = json.loads(result.stdout)
    assert decision["allowed"] is False
    assert [(r["code"], r["path"], r["expected"]) for r in decision["reasons"]] == [
        ("constraint_unsatisfied", "permission[0].constraint[0].and[1]", "Pcf:1.0")
    ]


def test_evaluate_command_when_context_broken_names_the_field(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    policy = _policy_file(tmp_path, to_edc_policy_definition(policy_template("members-only")))
    context = _context(tmp_path, now="2026-06-01T12:00:00")
    result = runner.invoke(app, ["policy", "evaluate", str(policy), str(context)])
    assert result.exit_code == 2
    assert "now: needs a timezone offset" in result.stderr
