"""Assets: what a node offers in its catalog (EDC `Asset`: id, properties, private properties,
data address). Footprint publication registers its submodels here; the management API edits it."""

from connector.assets.service import (
    AssetInput,
    all_assets,
    asset_entry,
    asset_record,
    create_asset,
    delete_asset,
    find_asset,
    get_asset,
    normalise_properties,
    update_asset,
    upsert_asset,
)

__all__ = [
    "AssetInput",
    "all_assets",
    "asset_entry",
    "asset_record",
    "create_asset",
    "delete_asset",
    "find_asset",
    "get_asset",
    "normalise_properties",
    "update_asset",
    "upsert_asset",
]
