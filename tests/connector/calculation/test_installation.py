"""Own installation data (issue 7, item 2): import, links to products, refusal of bad files."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from connector.calculation.installation import import_installation, read_document
from connector.calculation.models import InstallationFileRow
from connector.clock import FixedClock
from connector.context import NodeContext
from connector.db import create_database, upgrade_to_head
from connector.observability import Metrics
from connector.outcome import Failure, Ok
from tests.conftest import make_settings

DEMO = Path(__file__).resolve().parents[3] / "docs" / "examples" / "demo"
MILL_FILE = DEMO / "2-steel-mill.json"


@pytest.fixture
async def context(tmp_path: Path, database_url: str) -> AsyncIterator[NodeContext]:
    settings = make_settings(tmp_path, database_url)
    database = create_database(settings.database_url)
    await upgrade_to_head(database)
    async with httpx.AsyncClient() as http:
        yield NodeContext(
            settings, database, FixedClock(datetime(2026, 3, 1, tzinfo=UTC)), http, Metrics()
        )
    await database.dispose()


def _mill() -> dict:
    loaded = read_document(MILL_FILE)
    assert isinstance(loaded, Ok)
    return loaded.value


async def _stored(context: NodeContext) -> list[InstallationFileRow]:
    from sqlmodel import select

    async with context.database.session() as session:
        return list((await session.exec(select(InstallationFileRow))).all())


def test_read_document_when_json_keeps_numbers_as_exact_strings() -> None:
    document = _mill()
    assert document["source_streams"][0]["fuel_quantity"] == {"value": "20000", "unit": "TJ"}


def test_read_document_when_file_is_not_json_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    read = read_document(bad)
    assert isinstance(read, Failure)
    assert read.detail.startswith(f"{bad}: not valid JSON")


async def test_import_installation_when_valid_links_goods_and_products_by_id(
    context: NodeContext,
) -> None:
    imported = await import_installation(context, _mill())
    assert isinstance(imported, Ok)
    assert imported.value.installation_id == "hanbit-steel-1"
    assert imported.value.links == {"coil": "coil"}
    assert imported.value.replaced is False
    rows = await _stored(context)
    assert [row.installation_id for row in rows] == ["hanbit-steel-1"]


async def test_import_installation_when_imported_twice_replaces_the_file(
    context: NodeContext,
) -> None:
    await import_installation(context, _mill())
    changed = _mill()
    changed["source_streams"][1]["fuel_quantity"]["value"] = "3000"
    again = await import_installation(context, changed, {"coil": "hrc-coil"})
    assert isinstance(again, Ok)
    assert again.value.replaced is True
    rows = await _stored(context)
    assert len(rows) == 1
    assert rows[0].links == {"coil": "hrc-coil"}
    assert rows[0].document["source_streams"][1]["fuel_quantity"]["value"] == "3000"


async def test_import_installation_when_file_has_problems_refuses_whole_with_paths(
    context: NodeContext,
) -> None:
    bad = copy.deepcopy(_mill())
    bad["source_streams"][0]["emission_factor"]["value"] = "-1"
    bad["processes"][0]["goods"][0]["colour"] = "blue"
    refused = await import_installation(context, bad)
    assert isinstance(refused, Failure)
    assert refused.status == 400
    assert refused.detail == "installation file refused: 2 problem(s)"
    assert any(d.startswith("source_streams[0].emission_factor") for d in refused.details)
    assert "processes[0].goods[0].colour: unknown key" in refused.details
    assert await _stored(context) == []


async def test_import_installation_when_link_names_unknown_good_refuses(
    context: NodeContext,
) -> None:
    refused = await import_installation(context, _mill(), {"rebar": "rebar-10"})
    assert isinstance(refused, Failure)
    assert refused.details == ("links.rebar: no good or BOM product with this id in the file",)
    assert await _stored(context) == []


def test_demo_files_when_parsed_are_valid_calc_inputs() -> None:
    from calc import parse_input

    for path in sorted(DEMO.glob("*.json")):
        parsed = parse_input(json.loads(path.read_text(encoding="utf-8")))
        assert not isinstance(parsed, list), (path.name, parsed)
