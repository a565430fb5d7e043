"""The public API of `connector.products` changes only on purpose."""

from __future__ import annotations

import connector.products


def test_products_exports_pinned_names_when_imported() -> None:
    assert sorted(connector.products.__all__) == [
        "Publication", "build_aas_router", "get_submodel_json", "publish_footprint",
        "replace_submodel_json",
    ]  # fmt: skip
