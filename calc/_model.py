"""Typed, immutable input model of an installation / bill-of-materials file (issue 3, item 1).

All quantities are `Decimal` in the canonical unit named by the field suffix (`_t`, `_tj`,
`_mwh`, ...); the parser converts from the unit written in the file and records that file path
in `ref` fields so that provenance can point back to the input (CALC.md section 16).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Regime(StrEnum):
    """Transitional period (IR 2023/1773) or definitive period (IR 2025/2547 + 2025/2621)."""

    TRANSITIONAL = "transitional"
    DEFINITIVE = "definitive"


class WasteGasElectricity(StrEnum):
    """Boundary option for waste gas burnt for electricity (CALC.md section 7)."""

    EL_PROD_DEDUCTION = "el_prod_deduction"  # Eq. 55 Em_el,prod inside the process boundary
    WASTE_GAS_EXPORT = "waste_gas_export"  # Eq. 54 WG_corr,exp with Corr_eta = 0.667


class Method(StrEnum):
    """Monitoring methods (2025/2547 Annex II B)."""

    COMBUSTION = "combustion"
    PROCESS = "process"
    MASS_BALANCE = "mass_balance"
    MEASUREMENT = "measurement"
    PFC_SLOPE = "pfc_slope"
    PFC_OVERVOLTAGE = "pfc_overvoltage"


@dataclass(frozen=True)
class Share:
    """Part of a flow attributed to one production process (fraction in [0, 1])."""

    process_id: str
    fraction: Decimal


@dataclass(frozen=True)
class Options:
    """Boundary and reporting options; every one is echoed in the result."""

    waste_gas_electricity: WasteGasElectricity = WasteGasElectricity.EL_PROD_DEDUCTION
    see_decimal_places: int = 5
    import_from_rounded_see: bool = True
    markup_year: int = 2026
    apply_default_markup: bool = True
    require_verified_supplier_values: bool = True


@dataclass(frozen=True)
class Installation:
    id: str
    name: str
    country: str  # ISO 3166-1 alpha-2
    unlocode: str | None = None


@dataclass(frozen=True)
class SourceStream:
    """One source stream or emission source; `params` holds canonical Decimal parameters."""

    id: str
    method: Method
    ref: str  # input path, e.g. "source_streams[3]"
    attribution: tuple[Share, ...]
    params: tuple[tuple[str, Decimal], ...]
    gas: str = "CO2"
    waste_gas: bool = False

    def param(self, name: str, default: Decimal | None = None) -> Decimal | None:
        for key, value in self.params:
            if key == name:
                return value
        return default


@dataclass(frozen=True)
class HeatFlow:
    id: str
    ref: str
    quantity_tj: Decimal
    emission_factor_t_per_tj: Decimal | None  # None -> standard value (56.1 / 0.9)
    attribution: tuple[Share, ...]


@dataclass(frozen=True)
class WasteGasFlow:
    id: str
    ref: str
    energy_tj: Decimal
    attribution: tuple[Share, ...]


@dataclass(frozen=True)
class ElectricityProduction:
    id: str
    ref: str
    net_output_mwh: Decimal
    fuel_input_tj: Decimal
    fuel_emission_factor_t_per_tj: Decimal
    waste_gas: bool
    emission_factor_t_per_mwh: Decimal | None
    attribution: tuple[Share, ...]


@dataclass(frozen=True)
class ElectricityConsumption:
    id: str
    ref: str
    quantity_mwh: Decimal
    source: str  # grid | ppa | direct_link | own_generation
    emission_factor_t_per_mwh: Decimal | None
    production_id: str | None
    attribution: tuple[Share, ...]


@dataclass(frozen=True)
class Good:
    id: str
    ref: str
    cn_code: str
    name: str
    activity_level_t: Decimal
    clinker_content: Decimal | None = None  # t clinker / t good
    nitrogen_content_kg_per_t: Decimal | None = None


@dataclass(frozen=True)
class ExcludedOutput:
    name: str
    kind: str  # off_spec | by_product | waste | scrap
    mass_t: Decimal


@dataclass(frozen=True)
class SupplierKey:
    """A supplier's product in the data space: participant id (DID/BPN) + its product id."""

    participant_id: str
    product_id: str


@dataclass(frozen=True)
class SupplierValue:
    """A supplier's value for one product, inline or passed in by the tier-n resolver.

    SEE per functional unit (`functional_unit`), PCF per declared unit; `source_id` and
    `version` identify the communication / submodel it came from (provenance).
    """

    source_id: str
    version: str
    see_direct: Decimal | None = None
    see_indirect: Decimal | None = None
    functional_unit: str = "t"
    pcf_kg_co2e: Decimal | None = None
    pcf_biogenic_kg_co2e: Decimal = Decimal(0)
    declared_unit: str = "kg"
    primary_data_share: Decimal | None = None  # fraction in [0, 1]
    verified: bool = False
    reporting_period: str | None = None


@dataclass(frozen=True)
class Precursor:
    id: str
    ref: str
    kind: str  # own | purchased
    amount: Decimal  # in functional units of the precursor
    amount_unit: str
    from_process: str | None = None
    cn_code: str | None = None
    country: str | None = None  # None = unknown country of production
    origin: str = "third_country"  # third_country | eu | ets_linked
    supplier: SupplierKey | None = None
    inline: SupplierValue | None = None


@dataclass(frozen=True)
class Process:
    id: str
    ref: str
    name: str
    goods: tuple[Good, ...]
    precursors: tuple[Precursor, ...]
    joint_process: bool = False
    non_cbam: bool = False
    internal_precursors: tuple[ExcludedOutput, ...] = ()
    excluded_outputs: tuple[ExcludedOutput, ...] = ()


@dataclass(frozen=True)
class Component:
    """One bill-of-materials line: `quantity` of a component per declared unit of the parent."""

    id: str
    ref: str
    quantity: Decimal
    unit: str
    product_id: str | None = None  # internal BOM product
    supplier: SupplierKey | None = None
    inline: SupplierValue | None = None
    secondary: SupplierValue | None = None  # secondary dataset, used last, flagged


@dataclass(frozen=True)
class Product:
    """A non-CBAM product with its bill of materials (cradle-to-gate PCF, CALC.md section 14)."""

    id: str
    ref: str
    name: str
    declared_unit: str
    own_kg_co2e_per_unit: Decimal
    own_biogenic_kg_co2e_per_unit: Decimal
    components: tuple[Component, ...]


@dataclass(frozen=True)
class CalcInput:
    """The validated content of one input file."""

    regime: Regime
    installation: Installation
    period_start: str
    period_end: str
    options: Options
    source_streams: tuple[SourceStream, ...] = ()
    heat_imports: tuple[HeatFlow, ...] = ()
    heat_exports: tuple[HeatFlow, ...] = ()
    waste_gas_imports: tuple[WasteGasFlow, ...] = ()
    waste_gas_exports: tuple[WasteGasFlow, ...] = ()
    electricity_production: tuple[ElectricityProduction, ...] = ()
    electricity_consumption: tuple[ElectricityConsumption, ...] = ()
    processes: tuple[Process, ...] = ()
    products: tuple[Product, ...] = ()
    bom_order: tuple[int, ...] = ()  # indices of products, components before parents
