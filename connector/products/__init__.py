"""Local product store (products, bill of materials, footprint versions), publication of
footprints as IDTA 02023 CarbonFootprint submodels with product shells and catalog assets, and
the AAS API Part 2 (read) over them (issue 5)."""

from connector.products._bom import (
    BomLine,
    ProductBom,
    internal_component_lines,
    product_bom,
    products_with_supplier,
)
from connector.products._publish import Publication
from connector.products.aas_api import build_aas_router
from connector.products.service import (
    get_submodel_json,
    publish_footprint,
    replace_submodel_json,
)

__all__ = [
    "BomLine",
    "ProductBom",
    "Publication",
    "build_aas_router",
    "get_submodel_json",
    "internal_component_lines",
    "product_bom",
    "products_with_supplier",
    "publish_footprint",
    "replace_submodel_json",
]
