"""Declared units between IDTA 02023 (`ReferenceImpactUnitForCalculation` value list) and PACT /
Catena-X (`declaredUnitOfMeasurement`). Conversions are explicit factors on the declared amount;
kg CO2e per declared unit is unchanged because the declared unit is the same physical amount."""

from __future__ import annotations

from decimal import Decimal

from aas_models._footprint import MappingError

# AAS unit -> (PACT unit, factor: PACT amount = AAS quantity * factor)
AAS_TO_PACT: dict[str, tuple[str, Decimal]] = {
    "g": ("kilogram", Decimal("0.001")),
    "kg": ("kilogram", Decimal(1)),
    "t": ("kilogram", Decimal(1000)),
    "ml": ("liter", Decimal("0.001")),
    "l": ("liter", Decimal(1)),
    "cbm": ("cubic meter", Decimal(1)),
    "qm": ("square meter", Decimal(1)),
    "piece": ("piece", Decimal(1)),
    "kWh": ("kilowatt hour", Decimal(1)),
}
PACT_TO_AAS: dict[str, str] = {
    "kilogram": "kg",
    "liter": "l",
    "cubic meter": "cbm",
    "square meter": "qm",
    "piece": "piece",
    "kilowatt hour": "kWh",
}
# kg of product per AAS declared unit, where the unit is a mass.
MASS_KG: dict[str, Decimal] = {"g": Decimal("0.001"), "kg": Decimal(1), "t": Decimal(1000)}


def to_pact_unit(unit: str, quantity: Decimal) -> tuple[str, Decimal]:
    try:
        pact_unit, factor = AAS_TO_PACT[unit]
    except KeyError:
        raise MappingError(f"declared_unit: {unit!r} has no PACT equivalent") from None
    return pact_unit, quantity * factor


def from_pact_unit(unit: str, amount: Decimal, field: str) -> tuple[str, Decimal]:
    try:
        return PACT_TO_AAS[unit], amount
    except KeyError:
        raise MappingError(
            f"{field}: {unit!r} cannot be represented in IDTA 02023 (no exact unit in its list)"
        ) from None


def mass_kg(unit: str, quantity: Decimal) -> Decimal | None:
    factor = MASS_KG.get(unit)
    return None if factor is None else quantity * factor
