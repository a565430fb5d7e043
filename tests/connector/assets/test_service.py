"""Asset use cases on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from connector.assets import (
    AssetInput,
    all_assets,
    asset_entry,
    create_asset,
    delete_asset,
    find_asset,
    normalise_properties,
    update_asset,
)
from connector.outcome import Failure, Ok, Reason

EDC = "https://w3id.org/edc/v0.0.1/ns/"


def asset(asset_id: str = "a-1", name: str = "coil") -> AssetInput:
    return AssetInput(asset_id, {EDC + "name": name}, {"type": "HttpData"})


async def test_asset_is_created_once_when_ids_collide(context) -> None:
    assert isinstance(await create_asset(context, asset()), Ok)
    again = await create_asset(context, asset(name="other"))
    assert isinstance(again, Failure)
    assert again.reason is Reason.CONFLICT
    stored = await find_asset(context, "a-1")
    assert stored.value.properties == {EDC + "name": "coil"}


async def test_asset_is_replaced_when_updated_and_gone_when_deleted(context) -> None:
    await create_asset(context, asset())
    assert isinstance(await update_asset(context, asset(name="slab")), Ok)
    assert (await find_asset(context, "a-1")).value.properties == {EDC + "name": "slab"}
    assert isinstance(await delete_asset(context, "a-1"), Ok)
    assert [r.id for r in await all_assets(context)] == []


async def test_unknown_asset_is_404_when_updated_or_deleted(context) -> None:
    assert (await update_asset(context, asset())).reason is Reason.NOT_FOUND
    assert (await delete_asset(context, "a-1")).reason is Reason.NOT_FOUND


async def test_catalog_view_expands_compact_keys_when_publication_used_them(context) -> None:
    await create_asset(
        context,
        AssetInput("a-2", {"dct:type": {"@id": "urn:t"}, "name": "x"}, {"type": "AasSubmodel"}),
    )
    entry = asset_entry((await find_asset(context, "a-2")).value)
    assert entry.properties == {
        "http://purl.org/dc/terms/type": {"@id": "urn:t"},
        EDC + "name": "x",
        EDC + "id": "a-2",
    }


def test_normalise_properties_keeps_unknown_prefixes_when_given() -> None:
    assert normalise_properties({"foo:bar": 1, "cx-common:version": "3"}) == {
        "foo:bar": 1,
        "https://w3id.org/catenax/ontology/common#version": "3",
    }


async def test_one_of_concurrent_creates_wins_when_ids_collide(context) -> None:
    outcomes = await asyncio.gather(*(create_asset(context, asset(name=str(i))) for i in range(4)))
    assert sorted(type(o).__name__ for o in outcomes) == ["Failure", "Failure", "Failure", "Ok"]
    assert all(o.reason is Reason.CONFLICT for o in outcomes if isinstance(o, Failure))
