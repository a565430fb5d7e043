"""Product import (issue 5, item 1): the shipped example imports as it is; a bad file is refused
whole with every problem named by line (CSV) or record (JSON) and field; nothing is stored."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

from sqlmodel import select

from aas_models import StoredIdentifiable, parse_submodel
from connector.assets.models import AssetRow
from connector.products.models import BomLineRow, FootprintRow, ProductRow
from connector.products.service import get_submodel_json, import_file, list_products
from tests.connector.products.conftest import EXAMPLE

HRC_SUBMODEL = "urn:carbonspace:127.0.0.1%3A8080:sm:cf:HRC-2MM"


async def count(node, table) -> int:
    async with node.context.database.session() as session:
        return len((await session.exec(select(table))).all())


async def test_example_imports_and_publishes_when_shipped_file_used(node) -> None:
    outcome = await import_file(node.context, EXAMPLE.read_bytes(), "products.json")
    summary = outcome.value
    assert (summary.products, summary.bom_lines, summary.footprints) == (3, 2, 3)
    assert HRC_SUBMODEL in summary.published
    views = {view.id: view for view in await list_products(node.context)}
    assert views["HRC-2MM"].latest_version == 1
    assert views["BOLT-M8"].bom[1] == {
        "component": "ZINC-SHG", "quantity": "0.012", "unit": "kg",
        "supplier": "did:web:zinc.example.com", "supplierProductId": "SHG-99.995",
    }  # fmt: skip
    text = await get_submodel_json(node.context, HRC_SUBMODEL)
    footprint = parse_submodel(StoredIdentifiable(HRC_SUBMODEL, text).submodel())
    assert footprint.pcf_kg_co2e == Decimal("1970.5")
    assert footprint.cbam.see_total_t_co2e_per_t == Decimal("1.9705")


async def test_publication_registers_asset_when_footprint_imported(node) -> None:
    await import_file(node.context, EXAMPLE.read_bytes(), "products.json")
    async with node.context.database.session() as session:
        asset = await session.get(AssetRow, "pcf-HRC-2MM")
    assert asset.data_address == {
        "type": "AasSubmodel",
        "submodelId": HRC_SUBMODEL,
        "shellId": "urn:carbonspace:127.0.0.1%3A8080:aas:HRC-2MM",
    }
    assert asset.properties["http://purl.org/dc/terms/type"] == {
        "@id": "https://w3id.org/catenax/taxonomy#PCFExchange"
    }
    assert asset.properties["urn:carbonspace:asset:cnCode"] == "72083900"
    assert asset.properties["https://w3id.org/edc/v0.0.1/ns/version"] == "1"


async def test_reimport_publishes_next_version_when_same_footprints_given(node) -> None:
    await import_file(node.context, EXAMPLE.read_bytes(), "products.json")
    await import_file(node.context, EXAMPLE.read_bytes(), "products.json")
    text = await get_submodel_json(node.context, HRC_SUBMODEL)
    assert json.loads(text)["administration"]["version"] == "2"
    assert await count(node, FootprintRow) == 6
    assert await count(node, BomLineRow) == 2


async def test_bad_json_file_is_refused_whole_when_one_record_is_wrong(node) -> None:
    document = json.loads(EXAMPLE.read_text())
    document["products"][1]["cnCode"] = "72-13"
    document["footprints"][2]["pcfKgCo2e"] = "2.4E1"
    document["footprints"][0]["methods"] = ["EU CBAM"]
    document["bom"][0]["product"] = "NOPE"
    outcome = await import_file(node.context, json.dumps(document).encode(), "products.json")
    assert outcome.detail == "import refused: 5 problem(s); nothing was stored"
    assert outcome.details == (
        "products[1].cnCode: must be a CN code of 4, 6, 8 or 10 digits, e.g. 72083900",
        "footprints[2].pcfKgCo2e: '2.4E1' is not a decimal number (no exponent)",
        "bom[0]: product 'NOPE' is unknown",
        "footprints[1]: product 'WR-5.5' is unknown",
        "footprints[0]: methods: ['EU CBAM'] not in the IDTA 02023 value list",
    )
    assert await count(node, ProductRow) == 0
    assert await count(node, FootprintRow) == 0


async def test_csv_errors_name_line_and_field_when_rows_invalid(node) -> None:
    csv = "id,name,cnCode,unit\nP1,Coil,72083900,t\nP2,,7208,tonne\nP1,Again,72083900,kg\n"
    outcome = await import_file(node.context, csv.encode(), "products.csv")
    assert outcome.details == (
        "line 3, field name: Field required",
        "line 4: product 'P1' appears twice",
    )
    assert await count(node, ProductRow) == 0


async def test_csv_footprints_import_when_rows_valid(node) -> None:
    await import_file(node.context, b"id,name,cnCode,unit\nP1,Coil,72083900,t\n", "p.csv")
    csv = (
        "product,pcfKgCo2e,methods,periodStart,periodEnd,seeDirectTCo2ePerT,seeIndirectTCo2ePerT,"
        "country\n"
        "P1,1800.5,GHG Protocol;ISO 14067,2025-01-01T00:00:00Z,2026-01-01T00:00:00Z,1.7,0.1005,DE\n"
    )
    outcome = await import_file(node.context, csv.encode(), "footprints.csv")
    assert outcome.value.published == ["urn:carbonspace:127.0.0.1%3A8080:sm:cf:P1"]
    text = await get_submodel_json(node.context, outcome.value.published[0])
    footprint = parse_submodel(StoredIdentifiable("x", text).submodel())
    assert footprint.methods == ("GHG Protocol", "ISO 14067")
    assert footprint.handover_address.country == "DE"
    assert footprint.cbam.see_indirect_t_co2e_per_t == Decimal("0.1005")


async def test_file_that_is_not_json_or_known_csv_is_refused(node) -> None:
    outcome = await import_file(node.context, b"{not json", "x.json")
    assert outcome.details == ("line 1: not valid JSON (Expecting property name enclosed in "
                               "double quotes)",)  # fmt: skip
    outcome = await import_file(node.context, b"a,b\n1,2\n", "x.csv")
    assert outcome.details == ("line 1: header names no known table (see docs/data-model.md)",)


async def test_stored_values_survive_submodel_and_pact_when_round_tripped(node) -> None:
    from aas_models import build_submodel, from_pact, to_pact
    from connector.products._records import record_to_footprint

    await import_file(node.context, EXAMPLE.read_bytes(), "products.json")
    async with node.context.database.session() as session:
        rows = (await session.exec(select(FootprintRow))).all()
    assert len(rows) == 3
    for row in rows:
        stored = record_to_footprint(row.record)
        text = await get_submodel_json(node.context, row.submodel_id)
        published = parse_submodel(StoredIdentifiable(row.submodel_id, text).submodel())
        assert published == stored
        product = ProductRow(id=row.product_id, name="n", unit=stored.declared_unit,
                             global_asset_id=f"urn:x:{row.product_id}")  # fmt: skip
        from connector.products._publish import identity_of

        identity = replace(identity_of(product), company_name="Plant", company_ids=("urn:x:c",))
        document = json.loads(json.dumps(to_pact(published, identity)))
        back, _ = from_pact(document)
        assert parse_submodel(build_submodel(row.submodel_id, back)) == stored
