"""`carbonspace products import/list` and `carbonspace aas export` on a node directory."""

from __future__ import annotations

import json
from pathlib import Path

from aas_test_engines import file as aas_file
from typer.testing import CliRunner

from connector.cli import app
from connector.settings import render_config
from tests.connector.products.conftest import EXAMPLE

runner = CliRunner()


def node_dir(tmp_path: Path) -> Path:
    config = {
        "node": {"name": "Example Plant", "url": "http://127.0.0.1:9", "did": "did:web:plant"},
        "management": {"api_key": "k" * 24},
    }
    (tmp_path / "carbonspace.toml").write_text(render_config(config), encoding="utf-8")
    return tmp_path


def test_import_list_export_work_when_example_file_given(tmp_path: Path) -> None:
    directory = node_dir(tmp_path)
    imported = runner.invoke(app, ["products", "import", str(directory), str(EXAMPLE)])
    assert imported.exit_code == 0, imported.output
    assert "imported 3 products, 2 BOM lines, 3 footprints; published 3 submodels" in (
        imported.output
    )
    listed = runner.invoke(app, ["products", "list", str(directory), "--json"])
    assert [p["id"] for p in json.loads(listed.output)] == ["BOLT-M8", "HRC-2MM", "WR-5.5"]
    target = tmp_path / "env.json"
    exported = runner.invoke(app, ["aas", "export", str(directory), "-o", str(target)])
    assert exported.exit_code == 0, exported.output
    env = json.loads(target.read_text(encoding="utf-8"))
    assert len(env["assetAdministrationShells"]) == 3
    assert len(env["submodels"]) == 3
    with target.open(encoding="utf-8") as handle:
        assert aas_file.check_json_file(handle).ok()


def test_import_names_line_and_field_when_csv_bad(tmp_path: Path) -> None:
    directory = node_dir(tmp_path)
    bad = tmp_path / "products.csv"
    bad.write_text("id,name,cnCode,unit\nP1,Coil,7208390,t\n", encoding="utf-8")
    result = runner.invoke(app, ["products", "import", str(directory), str(bad)])
    assert result.exit_code == 2
    assert "line 2, field cnCode: must be a CN code of 4, 6, 8 or 10 digits" in result.output
    assert "Traceback" not in result.output
    listed = runner.invoke(app, ["products", "list", str(directory), "--json"])
    assert json.loads(listed.output) == []


def test_import_fails_cleanly_when_file_missing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["products", "import", str(node_dir(tmp_path)), "nope.json"])
    assert result.exit_code == 2
    assert "nope.json: cannot read" in result.output
