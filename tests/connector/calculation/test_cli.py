"""`carbonspace calc` through a local Typer app (issue 3, item 4)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from connector.calculation import load_default_values, shipped_default_values
from connector.calculation.cli import register

ROOT = Path(__file__).resolve().parents[3]
STEEL = ROOT / "docs" / "examples" / "calc" / "steel-bubble.json"


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    return app


def invoke(app: typer.Typer, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["calc", *args])


def test_calc_when_steel_example_prints_json_with_published_figures(app: typer.Typer) -> None:
    result = invoke(app, str(STEEL), "--import-mass", "10000")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rails = data["goods"][2]
    assert (rails["see_direct_reported"], rails["see_indirect_reported"]) == ("1.489", "0.204")
    assert rails["embedded_emissions"]["total_t_co2e"] == "16930"


def test_calc_when_table_requested_prints_breakdown(app: typer.Typer) -> None:
    result = CliRunner().invoke(
        app, ["calc", str(STEEL), "--format", "table"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "7,866,044" in result.stdout
    assert "1.693" in result.stdout


def test_calc_when_schema_requested_prints_json_schema(app: typer.Typer) -> None:
    result = invoke(app, "--schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$schema"].endswith("2020-12/schema")


def test_calc_when_input_invalid_names_each_path_and_exits_1(
    app: typer.Typer, tmp_path: Path
) -> None:
    data = json.loads(STEEL.read_text())
    data["source_streams"][3]["biomass_fraction"] = 1.5
    data["colour"] = "green"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = invoke(app, str(bad))
    assert result.exit_code == 1
    assert "colour: unknown key" in result.stderr
    assert "source_streams[3].biomass_fraction: must be between 0 and 1" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_calc_when_yaml_file_gives_same_result_as_json(app: typer.Typer, tmp_path: Path) -> None:
    import yaml

    data = json.loads(STEEL.read_text())
    path = tmp_path / "steel.yaml"
    path.write_text(yaml.safe_dump(data))
    from_yaml = json.loads(invoke(app, str(path)).stdout)
    from_json = json.loads(invoke(app, str(STEEL)).stdout)
    assert from_yaml["goods"] == from_json["goods"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.json",), "missing.json: cannot read file"),
        ((str(STEEL), "--import-mass", "ten"), "--import-mass: 'ten' is not a non-negative"),
        ((), "FILE: missing"),
    ],
)
def test_calc_when_command_line_wrong_exits_2_with_message(
    app: typer.Typer, args: tuple[str, ...], message: str
) -> None:
    result = invoke(app, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_calc_when_file_is_not_json_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{not json")
    result = invoke(app, str(bad))
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


def test_default_values_when_loaded_carry_file_hash_version() -> None:
    table = shipped_default_values()
    assert table.version.startswith("cbam-default-values.csv@")
    assert table == load_default_values()
    value = table.lookup(True, "KR", "28041000", 2026)
    assert value is not None
    assert (value.row.country, value.see_direct, value.see_indirect) == ("KR", Decimal("14.03"), 0)
    assert value.see_direct * value.markup_factor == Decimal("15.433")  # 2026 column of the CSV
