"""Units accepted in calculation input files and their factors to each field's canonical unit.

Every quantity in an input file carries its unit (CALC.md section 16, "Units"); a field accepts
only the units of its own dimension, so a factor-1000 slip or an NCV per Nm3 paired with a fuel
quantity in tonnes is refused at validation instead of producing a wrong figure.
Conversions: 1 MWh = 0.0036 TJ; GJ -> TJ / 1000; TJ/Gg = GJ/t (2025/2547 Annex II B.3).
"""

from __future__ import annotations

from decimal import Context, Decimal
from types import MappingProxyType
from typing import Final

_D = Decimal


def _units(pairs: dict[str, str]) -> MappingProxyType[str, Decimal]:
    return MappingProxyType({k: _D(v) for k, v in pairs.items()})


# Canonical unit of each group is the one with factor 1.
MASS_T: Final = _units({"t": "1", "kg": "0.001", "kt": "1000"})
VOLUME_NM3: Final = _units({"Nm3": "1", "1000 Nm3": "1000"})
ENERGY_TJ: Final = _units({"TJ": "1", "GJ": "0.001", "MJ": "0.000001", "MWh": "0.0036"})
ELECTRICITY_MWH: Final = _units({"MWh": "1", "kWh": "0.001", "GWh": "1000"})
NCV_TJ_PER_T: Final = _units({"GJ/t": "0.001", "TJ/Gg": "0.001", "MJ/kg": "0.001", "TJ/t": "1"})
NCV_TJ_PER_NM3: Final = _units({"TJ/Nm3": "1", "GJ/Nm3": "0.001", "MJ/Nm3": "0.000001"})
EF_PER_TJ: Final = _units({"t CO2/TJ": "1", "kg CO2/GJ": "1"})
EF_PER_T: Final = _units({"t CO2/t": "1", "kg CO2/t": "0.001"})
EF_PER_NM3: Final = _units({"t CO2/Nm3": "1", "kg CO2/Nm3": "0.001"})
EF_PER_MWH: Final = _units(
    {"t CO2/MWh": "1", "t CO2e/MWh": "1", "kg CO2/kWh": "1", "kg CO2e/kWh": "1"}
)
EMISSIONS_T: Final = _units({"t CO2e": "1", "t CO2": "1", "kg CO2e": "0.001", "kg CO2": "0.001"})
CONCENTRATION_G_PER_NM3: Final = _units({"g/Nm3": "1", "mg/Nm3": "0.001"})
CARBON_CONTENT: Final = _units({"t C/t": "1", "%": "0.01", "kg C/t": "0.001"})
FRACTION: Final = _units({"1": "1", "%": "0.01"})
NITROGEN_KG_PER_T: Final = _units({"kg N/t": "1"})
MINUTES: Final = _units({"min": "1", "s": "0.01666666666666666666666666666666667"})
PER_CELL_DAY: Final = _units({"1/cell-day": "1"})
SEF_CF4: Final = _units({"kg CF4/t Al/(AE-min/cell-day)": "1"})
OVC_CF4: Final = _units({"kg CF4/t Al/mV": "1"})
MILLIVOLT: Final = _units({"mV": "1"})

# Functional units of CBAM goods (2025/2547 Art. 4) and the mass units an amount of them may use.
FUNCTIONAL_UNIT_AMOUNTS: Final = MappingProxyType(
    {
        "t": MASS_T,
        "t clinker": _units({"t clinker": "1", "kg clinker": "0.001"}),
        "kg N": _units({"kg N": "1", "t N": "1000"}),
        "MWh": ELECTRICITY_MWH,
    }
)

# Declared units of PCF products (PACT v2 `declaredUnit`) and their conversions.
DECLARED_UNITS: Final = MappingProxyType(
    {
        "kg": ("mass", _D("1")),
        "t": ("mass", _D("1000")),
        "g": ("mass", _D("0.001")),
        "liter": ("volume", _D("1")),
        "m3": ("volume", _D("1000")),
        "kWh": ("energy", _D("1")),
        "MJ": ("energy", _D("0.277777777777777777777777777778")),
        "MWh": ("energy", _D("1000")),
        "m2": ("area", _D("1")),
        "piece": ("piece", _D("1")),
    }
)
PCF_EMISSIONS_KG: Final = _units({"kg CO2e": "1", "t CO2e": "1000"})

# Standard factors (2025/2547 Annex II G, Table 1 and section A.3; Annex III A.2.3).
CARBON_TO_CO2: Final = _D("3.664")  # f, t CO2 / t C
EF_NATURAL_GAS_T_PER_TJ: Final = _D("56.1")
CORR_ETA: Final = _D("0.667")  # Eq. 54
# natural gas at 90 % boiler efficiency, at the engine's 34 digits whatever the import context
HEAT_STANDARD_EF_T_PER_TJ: Final = Context(prec=34).divide(_D("56.1"), _D("0.9"))
GWP: Final = MappingProxyType(
    {"CO2": _D("1"), "N2O": _D("265"), "CF4": _D("6630"), "C2F6": _D("11100")}
)


def declared_unit_factor(from_unit: str, to_unit: str) -> Decimal | None:
    """Factor converting an amount in `from_unit` to `to_unit`, or None if incompatible."""
    a = DECLARED_UNITS.get(from_unit)
    b = DECLARED_UNITS.get(to_unit)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]
