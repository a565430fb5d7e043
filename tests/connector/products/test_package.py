"""The public API of `connector.products` changes only on purpose."""

from __future__ import annotations

import connector.products


def test_products_exports_pinned_names_when_imported() -> None:
    assert sorted(connector.products.__all__) == [
        "BomLine", "ProductBom", "Publication", "build_aas_router", "get_submodel_json",
        "internal_component_lines", "product_bom", "products_with_supplier", "publish_footprint",
        "replace_submodel_json",
    ]  # fmt: skip
