"""`carbonspace installation import` (issue 7, item 2): through the management API of the node
started in-process when it is not running; bad files refused with one line per problem."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from connector.cli import app
from connector.identity import init_node

DEMO = Path(__file__).resolve().parents[3] / "docs" / "examples" / "demo"
runner = CliRunner()


def _node(tmp_path: Path) -> Path:
    init_node(tmp_path / "ore", name="Gangwon Pellet", url="http://127.0.0.1:18901")
    return tmp_path / "ore"


def test_installation_import_when_node_not_running_imports_computes_and_publishes(
    tmp_path: Path,
) -> None:
    node = _node(tmp_path)
    result = runner.invoke(
        app, ["installation", "import", str(node), str(DEMO / "1-ore-supplier.json"), "--json"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["installationId"] == "gangwon-pellet-1"
    (product,) = answer["products"]
    assert (product["productId"], product["version"], product["published"]) == ("pellets", 1, True)
    assert product["result"]["pcf"]["pcfKgCo2e"] == "80"
    assert product["result"]["see"]["directTCo2ePerT"] == "0.0561"


def test_installation_import_when_file_is_bad_prints_each_problem_and_fails(
    tmp_path: Path,
) -> None:
    node = _node(tmp_path)
    bad = json.loads((DEMO / "1-ore-supplier.json").read_text(encoding="utf-8"))
    bad["source_streams"][0]["fuel_quantity"]["value"] = "-5"
    del bad["installation"]["country"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(app, ["installation", "import", str(node), str(path)])
    assert result.exit_code == 2
    assert "installation file refused: 2 problem(s)" in result.stderr
    assert "installation.country: required value is missing" in result.stderr
    assert "source_streams[0].fuel_quantity" in result.stderr


def test_installation_import_when_link_malformed_names_the_option(tmp_path: Path) -> None:
    node = _node(tmp_path)
    result = runner.invoke(
        app,
        [
            "installation",
            "import",
            str(node),
            str(DEMO / "1-ore-supplier.json"),
            "--link",
            "pellets",
        ],
    )
    assert result.exit_code == 2
    assert "--link 'pellets': expected GOOD_OR_BOM_ID=PRODUCT_ID" in result.stderr
