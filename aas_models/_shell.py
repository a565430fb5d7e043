"""One Asset Administration Shell per product (AAS Part 1 V3): `globalAssetId`, specific asset ids
(`manufacturerPartId` as Catena-X reads it, the CN code) and references to its submodels."""

from __future__ import annotations

import re
from collections.abc import Iterable

from basyx.aas import model

from aas_models._footprint import ProductIdentity


def id_short_for(text: str, prefix: str) -> str:
    """A valid idShort (`[A-Za-z][A-Za-z0-9_]*`) derived from an arbitrary product id."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return f"{prefix}_{cleaned}"[:128]


def build_shell(
    shell_id: str, product: ProductIdentity, submodel_ids: Iterable[str]
) -> model.AssetAdministrationShell:
    """The product's shell; every submodel id becomes a ModelReference."""
    specific = [model.SpecificAssetId("manufacturerPartId", product.product_id)]
    if product.cn_code:
        specific.append(model.SpecificAssetId("cnCode", product.cn_code))
    information = model.AssetInformation(
        asset_kind=model.AssetKind.INSTANCE,
        global_asset_id=product.global_asset_id,
        specific_asset_id=specific,
    )
    references = {
        model.ModelReference((model.Key(model.KeyTypes.SUBMODEL, sid),), model.Submodel)
        for sid in submodel_ids
    }
    description = model.MultiLanguageTextType({"en": product.name}) if product.name else None
    return model.AssetAdministrationShell(
        information,
        shell_id,
        id_short=id_short_for(product.product_id, "Product"),
        description=description,
        submodel=references,
    )
