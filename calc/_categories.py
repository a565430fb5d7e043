"""CN code -> CBAM aggregated goods category, held as data (CALC.md section 3.2).

Source: Annex I of Implementing Regulation (EU) 2025/2547 and Annex I / Annex II of Regulation
(EU) 2023/956 as amended by the Omnibus Regulation (EU) 2025/2083. Matching uses the longest
prefix of the 8-digit CN code; exclusions (ferro-silicon, scrap 7204, 3105 60 00) map to None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CATEGORY_TABLE_SOURCE: Final = (
    "Annex I to Implementing Regulation (EU) 2025/2547; Annexes I-II to Regulation (EU) 2023/956 "
    "as amended by Regulation (EU) 2025/2083"
)


@dataclass(frozen=True)
class GoodsCategory:
    """An aggregated goods category; `direct_only` = listed in Annex II of Reg. 2023/956."""

    name: str
    sector: str
    direct_only: bool


_CEMENT = "cement"
_FERT = "fertilisers"
_STEEL = "iron_and_steel"
_ALU = "aluminium"

_CATS: Final = {
    "calcined_clay": GoodsCategory("Calcined clay", _CEMENT, False),
    "clinker": GoodsCategory("Cement clinker", _CEMENT, False),
    "cement": GoodsCategory("Cement", _CEMENT, False),
    "aluminous_cement": GoodsCategory("Aluminous cement", _CEMENT, False),
    "electricity": GoodsCategory("Electricity", "electricity", True),
    "nitric_acid": GoodsCategory("Nitric acid", _FERT, False),
    "urea": GoodsCategory("Urea", _FERT, False),
    "ammonia": GoodsCategory("Ammonia", _FERT, False),
    "mixed_fertilisers": GoodsCategory("Mixed fertilisers", _FERT, False),
    "hydrogen": GoodsCategory("Hydrogen", "hydrogen", True),
    "sintered_ore": GoodsCategory("Sintered ore", _STEEL, False),
    "pig_iron": GoodsCategory("Pig iron", _STEEL, True),
    "fe_mn": GoodsCategory("FeMn", _STEEL, True),
    "fe_cr": GoodsCategory("FeCr", _STEEL, True),
    "fe_ni": GoodsCategory("FeNi", _STEEL, True),
    "dri": GoodsCategory("DRI", _STEEL, True),
    "crude_steel": GoodsCategory("Crude steel", _STEEL, True),
    "steel_products": GoodsCategory("Iron or steel products", _STEEL, True),
    "unwrought_aluminium": GoodsCategory("Unwrought aluminium", _ALU, True),
    "aluminium_products": GoodsCategory("Aluminium products", _ALU, True),
}

# prefix -> category key (None = explicitly out of scope).
_PREFIXES: Final[dict[str, str | None]] = {
    "25070080": "calcined_clay",
    "25231000": "clinker",
    "25232100": "cement",
    "25232900": "cement",
    "25239000": "cement",
    "25233000": "aluminous_cement",
    "27160000": "electricity",
    "28080000": "nitric_acid",
    "310210": "urea",
    "2814": "ammonia",
    "28342100": "mixed_fertilisers",
    "3102": "mixed_fertilisers",
    "3105": "mixed_fertilisers",
    "31056000": None,
    "28041000": "hydrogen",
    "26011200": "sintered_ore",
    "7201": "pig_iron",
    "72021": "fe_mn",
    "72024": "fe_cr",
    "72026": "fe_ni",
    "7203": "dri",
    "7205": "steel_products",
    "7204": None,
    "72022": None,
    "72023000": None,
    "72025000": None,
    "72027000": None,
    "72028000": None,
    "720291": None,
    "720292": None,
    "720293": None,
    "720299": None,
    **{p: "crude_steel" for p in ("7206", "7207", "7218", "7224")},
    **{str(h): "steel_products" for h in (*range(7208, 7218), *range(7219, 7224))},
    **{str(h): "steel_products" for h in (*range(7225, 7230), *range(7301, 7312))},
    "7318": "steel_products",
    "7326": "steel_products",
    "7601": "unwrought_aluminium",
    **{str(h): "aluminium_products" for h in (7603, 7604, 7605, 7606, 7607, 7608, 7610, 7612)},
    **{p: "aluminium_products" for p in ("76090000", "76110000", "76130000", "7614", "7616")},
}


def goods_category(cn_code: str) -> GoodsCategory | None:
    """The aggregated goods category of a CN code by longest prefix, or None if not a CBAM good."""
    for length in range(len(cn_code), 3, -1):
        prefix = cn_code[:length]
        if prefix in _PREFIXES:
            key = _PREFIXES[prefix]
            return None if key is None else _CATS[key]
    return None


def functional_unit(cn_code: str, definitive: bool) -> str:
    """Functional unit of a good (2025/2547 Art. 4); the transitional period uses tonnes."""
    if not definitive:
        return "MWh" if cn_code.startswith("2716") else "t"
    if cn_code[:6] in ("252310", "252321", "252329", "252390"):
        return "t clinker"
    if cn_code.startswith(("2808", "2814", "3105")):
        return "kg N"
    if cn_code.startswith("2716"):
        return "MWh"
    return "t"
