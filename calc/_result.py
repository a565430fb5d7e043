"""Result types of `compute`: exact `Decimal` figures, units in names, provenance on each.

Unrounded values are kept; `*_reported` fields are rounded as the options state
(2025/2547 Annex II A.1.6-8: SEE at most 5 decimals, emissions to full tonnes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from calc._model import Installation, Options, Regime
from calc._provenance import Provenance, Source


@dataclass(frozen=True)
class StreamResult:
    """Direct emissions of one source stream (Eq. 4 terms); biomass CO2 reported apart."""

    id: str
    method: str
    gas: str
    fossil_t_co2e: Decimal
    biomass_t_co2: Decimal
    provenance: Provenance


@dataclass(frozen=True)
class PrecursorResult:
    """One precursor's contribution EE_InpMat term M_i x SEE_i (Eq. 60), kept direct/indirect."""

    id: str
    kind: str  # own | purchased
    data_type: str  # own_process | actual | default | zero_rated
    amount: Decimal
    amount_unit: str
    specific_mass: Decimal  # m_i = M_i / AL (Eq. 61)
    see_direct: Decimal  # per functional unit of the precursor
    see_indirect: Decimal
    indirect_counted: bool
    contribution_direct_t_co2e: Decimal
    contribution_indirect_t_co2e: Decimal
    default_direct_t_co2e: Decimal  # part of the contribution resting on default values
    default_indirect_t_co2e: Decimal
    source: Source
    provenance: Provenance


@dataclass(frozen=True)
class ProcessResult:
    """A production process: attribution (Eq. 55-56), activity level, SEE per functional unit."""

    id: str
    name: str
    functional_unit: str
    joint_process: bool
    non_cbam: bool
    dir_em_star_t_co2e: Decimal
    heat_import_t_co2e: Decimal
    heat_export_t_co2e: Decimal
    waste_gas_import_t_co2e: Decimal
    waste_gas_export_t_co2e: Decimal
    el_prod_deduction_t_co2e: Decimal
    attributed_direct_t_co2e: Decimal
    attributed_indirect_t_co2e: Decimal
    electricity_consumed_mwh: Decimal
    activity_level: Decimal  # in functional units
    precursors: tuple[PrecursorResult, ...]
    see_direct_per_fu: Decimal
    see_indirect_per_fu: Decimal
    default_direct_per_fu: Decimal
    default_indirect_per_fu: Decimal
    provenance_direct: Provenance
    provenance_indirect: Provenance
    # (name, kind, mass t) of internal precursors (bubble) and excluded outputs (Annex II F)
    not_in_activity_level: tuple[tuple[str, str, Decimal], ...] = ()


@dataclass(frozen=True)
class ImportResult:
    """Embedded emissions of an import: m x SEE, direct and indirect kept apart (section 11)."""

    mass_t: Decimal
    direct_t_co2e: Decimal
    indirect_t_co2e: Decimal
    total_t_co2e: Decimal


@dataclass(frozen=True)
class GoodResult:
    """SEE of one good in t CO2e per tonne of good (and per functional unit)."""

    id: str
    process_id: str
    cn_code: str
    category: str
    sector: str
    functional_unit: str
    activity_level_t: Decimal
    fu_per_t: Decimal  # functional units per tonne of good (Eq. 64-66)
    attributed_direct_t_co2e_per_t: Decimal  # ae_g (Eq. 62-63)
    attributed_indirect_t_co2e_per_t: Decimal
    precursors_direct_t_co2e_per_t: Decimal
    precursors_indirect_t_co2e_per_t: Decimal
    see_direct_t_co2e_per_t: Decimal
    see_indirect_t_co2e_per_t: Decimal  # as computed (informative where not counted)
    indirect_counted: bool  # False for Annex II goods in the definitive period
    see_indirect_counted_t_co2e_per_t: Decimal
    see_total_t_co2e_per_t: Decimal  # direct + counted indirect
    see_direct_reported: Decimal
    see_indirect_reported: Decimal
    see_total_reported: Decimal
    default_share_of_total: Decimal
    default_share_20_percent_rule: Decimal
    default_share_of_direct: Decimal
    exceeds_20_percent_rule: bool | None  # None outside the transitional period
    embedded: ImportResult | None
    electricity_mwh_per_t: Decimal  # embedded electricity of the own process (Annex IV)
    provenance: Provenance


@dataclass(frozen=True)
class ComponentResult:
    """One BOM line's contribution q x PCF_i (kg CO2e per declared unit of the parent)."""

    id: str
    quantity: Decimal
    unit: str
    pcf_kg_co2e: Decimal
    contribution_kg_co2e: Decimal
    biogenic_kg_co2e: Decimal
    primary_kg_co2e: Decimal
    source: Source


@dataclass(frozen=True)
class PcfResult:
    """Cradle-to-gate PCF of a BOM product per declared unit (CALC.md section 14)."""

    id: str
    name: str
    declared_unit: str
    own_kg_co2e: Decimal
    pcf_kg_co2e: Decimal  # excluding biogenic
    biogenic_kg_co2e: Decimal
    primary_data_share: Decimal  # fraction in [0, 1]
    primary_kg_co2e: Decimal
    lines: Callable[[], tuple[ComponentResult, ...]] = field(repr=False, compare=False)

    def components(self) -> tuple[ComponentResult, ...]:
        """Per-line contributions with their sources (built on demand: BOMs can be large)."""
        return self.lines()


@dataclass(frozen=True)
class CalcResult:
    """Everything `compute` found for one input file."""

    regime: Regime
    installation: Installation
    period_start: str
    period_end: str
    options: Options
    direct_emissions_t_co2e: Decimal
    biomass_emissions_t_co2: Decimal
    direct_emissions_provenance: Provenance
    streams: tuple[StreamResult, ...]
    processes: tuple[ProcessResult, ...]
    goods: tuple[GoodResult, ...]
    products: tuple[PcfResult, ...]
    default_values_version: str
    notes: tuple[str, ...]
