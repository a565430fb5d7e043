"""Where each leaf of the Catena-X PCF aspect 9.0.0 (urn:samm:io.catenax.pcf:9.0.0#Pcf) lives:
leaf name -> the chain of array-of-object nodes above it (every node is a one-item array)."""

from __future__ import annotations

_INFO = ("pcfAssessmentAndMethodology", "pcfAssessmentInformation")
_METHOD = ("pcfAssessmentAndMethodology", "pcfMethodology")
_STAGES = ("productLifeCycleStagesAndEmissions",)

PATHS_9: dict[str, tuple[str, ...]] = {
    "specVersion": ("scopeOfPcfForm",),
    "partialFullPcf": ("scopeOfPcfForm",),
    "companyName": ("companyAndProductInformation", "companyInformation"),
    "companyIds": ("companyAndProductInformation", "companyInformation"),
    **{
        name: ("companyAndProductInformation", "productInformation")
        for name in (
            "productNameCompany", "productIds", "declaredUnitOfMeasurement", "declaredUnitAmount",
            "productMassPerDeclaredUnit", "productClassifications", "productDescription",
        )
    },
    **{
        name: ("pcfAssessmentAndMethodology", "dataSourcesAndQuality")
        for name in (
            "primaryDataShare", "secondaryEmissionFactorSources", "technologicalDQR",
            "temporalDQR", "geographicalDQR",
        )
    },
    "ccsTechnologicalCO2CaptureIncluded": (*_INFO, "technology"),
    "boundaryProcessesDescription": (*_INFO, "technology"),
    **{
        name: (*_INFO, "idAndVersion")
        for name in ("id", "version", "status", "retroOrProspectivePcfType", "precedingPfIds")
    },
    "exemptedEmissionsPercent": (*_INFO, "boundarySpecifications"),
    "exemptedEmissionsDescription": (*_INFO, "boundarySpecifications"),
    **{
        name: (*_INFO, "geography")
        for name in (
            "geographyRegionOrSubregion", "geographyCountrySubdivision", "geographyCountry",
        )
    },
    **{
        name: (*_INFO, "time")
        for name in (
            "referencePeriodStart", "referencePeriodEnd", "created", "validityPeriodEnd",
            "validityPeriodStart",
        )
    },
    **{
        name: ("pcfAssessmentAndMethodology", "verificationAndCertificationShares")
        for name in (
            "programCertificationShare", "productVerificationShare3rdParty",
            "productVerificationShare2ndParty", "productVerificationShare1stParty",
        )
    },
    **{
        name: (*_METHOD, "massBalancingInformation")
        for name in (
            "massBalancingUsed", "freeAttributionInMassBalancing", "massBalancingCertificateScheme",
        )
    },
    "crossSectoralStandards": (*_METHOD, "standards"),
    "productOrSectorSpecificRules": (*_METHOD, "standards"),
    "ipccCharacterizationFactors": (*_METHOD, "gwpCharacterizationFactorDetails"),
    **{
        name: (*_METHOD, "allocationInForeground")
        for name in (
            "allocationWasteIncineration", "allocationRulesDescription", "allocationRecycledCarbon",
        )
    },
    "comment": ("general",),
    "pcfLegalStatement": ("general",),
    **{
        name: ("carbonContent",)
        for name in (
            "carbonContentTotal", "fossilCarbonContent", "biogenicCarbonContent",
            "packagingBiogenicCarbonContent", "recycledCarbonContent",
        )
    },
    **{
        name: (*_STAGES, "productionStage")
        for name in (
            "pcfIncludingBiogenicUptake", "pcfExcludingBiogenicUptake", "fossilGhgEmissions",
            "biogenicNonCO2Emissions", "biogenicCO2Uptake", "landUseChangeGhgEmissions",
            "landManagementBiogenicCO2Emissions", "packagingLandManagementBiogenicCO2Emissions",
            "landManagementBiogenicCO2Removals", "aircraftGhgEmissions",
        )
    },
    **{
        name: (*_STAGES, "distributionStage")
        for name in (
            "distributionStageIncluded", "distributionStagePcfIncludingBiogenicUptake",
            "distributionStagePcfExcludingBiogenicUptake", "distributionStageFossilGhgEmissions",
            "distributionStageBiogenicNonCO2Emissions", "distributionStageBiogenicCO2Uptake",
            "distributionStageLandUseChangeGhgEmissions",
            "distributionStageLandManagementBiogenicCO2Emissions",
            "distributionStageLandManagementBiogenicCO2Removals",
            "distributionStageAircraftGhgEmissions",
        )
    },
    **{
        name: (*_STAGES, "packagingStage")
        for name in (
            "packagingEmissionsIncluded", "packagingPcfIncludingBiogenicUptake",
            "packagingPcfExcludingBiogenicUptake", "packagingFossilGhgEmissions",
            "packagingBiogenicNonCO2Emissions", "packagingBiogenicCO2Uptake",
            "packagingLandUseChangeGhgEmissions", "packagingLandManagementBiogenicCO2Emissions",
            "packagingLandManagementBiogenicCO2Removals", "packagingAircraftGhgEmissions",
        )
    },
    "attestationOfConformance": (),
}  # fmt: skip
