"""`carbonspace resolve` needs the running node (peers call it back during negotiation)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from connector.cli import app
from connector.identity import init_node

runner = CliRunner()


def test_resolve_when_node_not_running_says_how_to_start_it(tmp_path: Path) -> None:
    init_node(tmp_path / "oem", name="Hanul Motors", url="http://127.0.0.1:18902")
    result = runner.invoke(app, ["resolve", str(tmp_path / "oem"), "wheel-hub-module"])
    assert result.exit_code == 2
    assert "is not running: start it with `carbonspace serve" in result.stderr


def test_resolve_when_node_dir_has_no_config_names_the_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resolve", str(tmp_path / "nowhere"), "bolts"])
    assert result.exit_code == 2
    assert "nowhere/carbonspace.toml: not found" in result.stderr
