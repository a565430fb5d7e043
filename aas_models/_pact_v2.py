"""PACT v2.x ProductFootprint -> the v3 field names (Tech Specs 2.0-2.3, read only)."""

from __future__ import annotations

from typing import Any

_RENAMED = {
    "declaredUnit": "declaredUnitOfMeasurement",
    "unitaryProductAmount": "declaredUnitAmount",
    "pCfExcludingBiogenic": "pcfExcludingBiogenicUptake",
    "pCfIncludingBiogenic": "pcfIncludingBiogenicUptake",
    "crossSectoralStandardsUsed": "crossSectoralStandards",
    "ipccCharacterizationFactorsSources": "ipccCharacterizationFactors",
}


def upgrade_v2(document: dict[str, Any]) -> dict[str, Any]:
    """Rename v2 fields to v3; v2-only fields keep their names (carried, not dropped)."""
    pcf = {_RENAMED.get(key, key): value for key, value in document["pcf"].items()}
    if "ipccCharacterizationFactors" not in pcf and "characterizationFactors" in pcf:
        pcf["ipccCharacterizationFactors"] = [pcf.pop("characterizationFactors")]
    elif "characterizationFactors" in pcf and [pcf["characterizationFactors"]] == pcf.get(
        "ipccCharacterizationFactors"
    ):
        pcf.pop("characterizationFactors")
    if isinstance(pcf.get("exemptedEmissionsPercent"), int | float):
        pcf["exemptedEmissionsPercent"] = str(pcf["exemptedEmissionsPercent"])
    upgraded = {key: value for key, value in document.items() if key not in ("pcf", "version")}
    upgraded["pcf"] = pcf
    if "productCategoryCpc" in upgraded:
        cpc = upgraded.pop("productCategoryCpc")
        pcf["productCategoryCpc"] = cpc
    return upgraded
