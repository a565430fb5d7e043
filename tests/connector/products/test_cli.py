"""`carbonspace products import/list` and `carbonspace aas export` on a node directory."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aas_test_engines import file as aas_file
from sqlmodel import select
from typer.testing import CliRunner

from connector.cli import app
from connector.db import create_database
from connector.identity import init_node
from connector.identity.keys import load_key
from connector.identity.provisioning import node_key_location
from connector.outcome import Ok
from connector.products.models import PublishedSubmodelRow
from connector.settings import load_settings
from connector.upstream import verify_submodel
from tests.connector.products.conftest import EXAMPLE
from tests.connector.upstream._signer import KeyRing

runner = CliRunner()


def node_dir(tmp_path: Path) -> Path:
    """A node made by `carbonspace init` (with its key), not serving."""
    return init_node(tmp_path / "plant", name="Example Plant", url="http://127.0.0.1:9").node_dir


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


def test_import_when_node_is_down_publishes_footprints_signed_with_its_key(
    tmp_path: Path,
) -> None:
    directory = node_dir(tmp_path)
    imported = runner.invoke(app, ["products", "import", str(directory), str(EXAMPLE)])
    assert imported.exit_code == 0, imported.output
    assert "node not running: imported with its key" in " ".join(imported.output.split())
    settings = load_settings(directory)
    did = settings.node.did
    ring = KeyRing()
    ring.keys[did] = load_key(node_key_location(settings)).private_key
    for text in asyncio.run(_published_submodels(settings.database_url)):
        verified = asyncio.run(verify_submodel(ring.signer(did), json.loads(text), did))
        assert isinstance(verified, Ok), verified


async def _published_submodels(database_url: str) -> list[str]:
    database = create_database(database_url)
    try:
        async with database.session() as session:
            texts = list((await session.exec(select(PublishedSubmodelRow.json_text))).all())
    finally:
        await database.dispose()
    assert len(texts) == 3
    return texts


def test_import_when_node_is_down_without_its_key_is_refused_and_stores_nothing(
    tmp_path: Path,
) -> None:
    directory = node_dir(tmp_path)
    key = directory / load_settings(directory).keys.private_key_file
    key.rename(key.with_suffix(".moved"))
    result = runner.invoke(app, ["products", "import", str(directory), str(EXAMPLE)])
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "node not running, and its key cannot sign offline: keys.private_key_file" in flat
    assert "Traceback" not in result.output
    key.with_suffix(".moved").rename(key)
    listed = runner.invoke(app, ["products", "list", str(directory), "--json"])
    assert json.loads(listed.output) == []


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
