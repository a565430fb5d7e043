"""Semantic identifiers of the IDTA 02023 Carbon Footprint submodel (v1.0.1, JSON template) and
of the carbonspace elements we add inside `PcfInformation` (documented in docs/data-model.md).

Every template semanticId is an ExternalReference with one GlobalReference key (aas.md 1)."""

from __future__ import annotations

from typing import Final

IDTA: Final = "https://admin-shell.io/idta/CarbonFootprint"

SUBMODEL: Final = f"{IDTA}/CarbonFootprint/1/0"
TEMPLATE_ID: Final = "https://admin-shell.io/IDTA 02023-1-0"
PRODUCT_CARBON_FOOTPRINTS: Final = f"{IDTA}/ProductCarbonFootprints/1/0"
PRODUCT_CARBON_FOOTPRINT: Final = f"{IDTA}/ProductCarbonFootprint/1/0"
PCF_CALCULATION_METHODS: Final = f"{IDTA}/PcfCalculationMethods/1/0"
PCF_CALCULATION_METHOD: Final = "0173-1#02-ABG854#003"
PCF_CO2EQ: Final = "0173-1#02-ABG855#003"
REFERENCE_IMPACT_UNIT: Final = "0173-1#02-ABG856#003"
QUANTITY_OF_MEASURE: Final = "0173-1#02-ABG857#003"
LIFE_CYCLE_PHASES: Final = f"{IDTA}/LifeCyclePhases/1/0"
LIFE_CYCLE_PHASE: Final = "0173-1#02-ABG858#003"
EXPLANATORY_STATEMENT: Final = f"{IDTA}/ExplanatoryStatement/1/0"
GOODS_HANDOVER_ADDRESS: Final = (
    "https://admin-shell.io/zvei/nameplate/1/0/ContactInformations/AddressInformation"
)
PUBLICATION_DATE: Final = f"{IDTA}/PublicationDate/1/0"
EXPIRATION_DATE: Final = f"{IDTA}/ExpirationDate/1/0"
SPECIFIC_FOOTPRINTS: Final = f"{IDTA}/ProductOrSectorSpecificCarbonFootprints/1/0"
SPECIFIC_FOOTPRINT: Final = f"{IDTA}/ProductOrSectorSpecificCarbonFootprint/1/0"
SPECIFIC_RULE: Final = f"{IDTA}/ProductOrSectorSpecificRule/1/0"
RULE_OPERATOR: Final = f"{IDTA}/ProductOrSectorSpecificRule/Operator/1/0"
RULE_NAME: Final = f"{IDTA}/ProductOrSectorSpecificRule/Name/1/0"
RULE_VERSION: Final = f"{IDTA}/ProductOrSectorSpecificRule/Version/1/0"
PCF_INFORMATION: Final = f"{IDTA}/PcfInformation/1/0"

# GoodsHandoverAddress children: the CDs the template ships (aas.md 1, "GoodsHandoverAddress").
ADDRESS_FIELDS: Final = (
    ("Street", "street", "0173-1#02-ABH956#003"),
    ("HouseNumber", "house_number", "0173-1#02-ABH957#003"),
    ("ZipCode", "zip_code", "0173-1#02-ABH958#003"),
    ("CityTown", "city_town", "0173-1#02-ABH959#003"),
    ("Country", "country", "0173-1#02-AAO259#007"),
)

# carbonspace's own elements inside PcfInformation (not part of the template).
OWN: Final = "urn:carbonspace:aas:cf:1:0"


def own(name: str) -> str:
    """The semanticId of our own PcfInformation element `name`."""
    return f"{OWN}:{name}"


# ECLASS value lists carried by the template's concept descriptions (aas.md 1, "Value lists").
CALCULATION_METHODS: Final = frozenset(
    {
        "EN 15804", "GHG Protocol", "IEC TS 63058", "IEC 63366", "ISO 14040, ISO 14044",
        "ISO 14067", "PEP Ecopassport", "PACT v1.0.1", "PACT v2.0.0", "PACT v3.0.0", "TFS v2",
        "TFS v3", "Catena-X v1", "Catena-X v2", "Catena-X v3", "BS PAS 2050", "IEC 63372",
    }
)  # fmt: skip
REFERENCE_UNITS: Final = frozenset({"g", "kg", "t", "ml", "l", "cbm", "qm", "piece", "kWh"})
LIFE_CYCLE_PHASE_VALUES: Final = frozenset(
    {
        "A1 - raw material supply (and upstream production)", "A1-A3",
        "A2 - cradle-to-gate transport to factory", "A3 - production",
        "A4 - transport to final destination", "A4-A5", "A5 - Installation", "B1 - usage phase",
        "B1-B7", "B2 - maintenance", "B3 - repair", "B4 - Replacement",
        "B5 - update/upgrade, refurbishing", "B6 - usage energy consumption",
        "B7 - usage water consumption", "C1 - reassembly", "C1-C4", "C2 - transport to recycler",
        "C2-C4", "C3 - recycling, waste treatment", "C4 - landfill", "D - reuse",
    }
)  # fmt: skip

CBAM_RULE_OPERATOR: Final = "European Commission"
CBAM_RULE_NAME: Final = "EU CBAM"
CBAM_RULE_VERSION: Final = (
    "Regulation (EU) 2023/956; Implementing Regulations (EU) 2023/1773, 2025/2547"
)
DETAILS_RULE_OPERATOR: Final = "carbonspace"
DETAILS_RULE_NAME: Final = "PCF declaration details"
DETAILS_RULE_VERSION: Final = "1.0"
