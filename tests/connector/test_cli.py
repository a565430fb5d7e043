"""The root `carbonspace` command: every feature's commands are reachable by name, and a
command loads only its own feature (operators script the CLI; each call should not pay for the
whole server stack)."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import connector
from connector.cli import COMMAND_FEATURES, COMMANDS, app, feature_commands

FEATURES_WITH_CLI = sorted(p.parent.name for p in Path(connector.__file__).parent.glob("*/cli.py"))


def test_command_map_names_exactly_what_the_features_register() -> None:
    registered = {
        name: feature for feature in FEATURES_WITH_CLI for name in feature_commands(feature)
    }
    assert registered == COMMAND_FEATURES


def test_root_help_lists_every_command_when_asked() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for name in (*COMMAND_FEATURES, "serve"):
        assert f" {name} " in result.output


def test_root_help_summaries_are_the_first_paragraph_of_each_commands_help() -> None:
    for name, (feature, summary) in COMMANDS.items():
        command = feature_commands(feature)[name]
        own = command.short_help or inspect.cleandoc(command.help or "").split("\n\n")[0]
        assert summary == " ".join(own.split()), name


def _loaded_in_a_fresh_process(args: list[str], wanted: str) -> list[str]:
    """Run `carbonspace ARGS` in a new interpreter; the feature CLIs and heavy libraries it
    imported (its output must contain `wanted`)."""
    probe = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from connector.cli import app\n"
        f"result = CliRunner().invoke(app, {args!r}, terminal_width=200)\n"
        "assert result.exit_code == 0, result.output\n"
        f"assert {wanted!r} in result.output, result.output\n"
        "heavy = ('sqlalchemy', 'fastapi', 'alembic', 'uvicorn')\n"
        "print(json.dumps(sorted(m for m in sys.modules"
        " if m in heavy or m.endswith('.cli') and m != 'connector.cli')))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(json.loads(run.stdout))


def test_root_help_imports_no_feature_when_asked() -> None:
    loaded = _loaded_in_a_fresh_process(["--help"], "Offer assets under policy templates")
    assert loaded == []


def test_unknown_command_is_refused_with_usage_when_given() -> None:
    result = CliRunner().invoke(app, ["nope"])
    assert result.exit_code == 2
    assert "No such command 'nope'" in result.output


def test_management_command_loads_neither_database_nor_server_when_run() -> None:
    loaded = _loaded_in_a_fresh_process(["negotiations", "list", "--help"], "--state")
    assert loaded == ["connector.management.cli"]
