"""Each monitoring method and energy flow against hand-computed or published figures."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from tests.calc.factories import installation, q, run

D = Decimal


def single(stream: dict[str, Any], **extra: Any) -> Any:
    data = installation(source_streams=[{"id": "s", **stream}], **extra)
    data["processes"][0]["precursors"] = []
    return run(data)


def test_combustion_when_fuel_in_nm3_uses_ncv_per_nm3() -> None:
    result = single(
        {
            "method": "combustion",
            "fuel_quantity": q("9500000", "Nm3"),
            "ncv": q("35.9", "MJ/Nm3"),
            "emission_factor": q("56.1", "t CO2/TJ"),
        }
    )
    assert result.direct_emissions_t_co2e == D("341.05") * D("56.1")


def test_combustion_when_biomass_fraction_zero_rates_biomass_part() -> None:
    result = single(
        {
            "method": "combustion",
            "fuel_quantity": q("12000", "t"),
            "ncv": q("28", "GJ/t"),
            "emission_factor": q("85.0", "t CO2/TJ"),
            "biomass_fraction": q("27", "%"),
            "oxidation_factor": "0.99",
        }
    )
    total = D(336) * D(85) * D("0.99")
    assert result.direct_emissions_t_co2e == total * D("0.73")
    assert result.biomass_emissions_t_co2 == total - total * D("0.73")


def test_process_when_purity_and_calcination_rate_given_multiplies_both() -> None:
    result = single(
        {
            "method": "process",
            "activity_data": q("1250000", "t"),
            "emission_factor": q("0.440", "t CO2/t"),
            "purity": q(94, "%"),
            "calcination_rate": q(98, "%"),
        }
    )
    assert result.direct_emissions_t_co2e == D("506660.00000")


def test_measurement_when_co2_concentration_gives_template_figure() -> None:
    # Commission template: 1,820 g/Nm3 x 50,000 Nm3/h x 5,000 h = 455,000 t, 15 % biomass
    result = single(
        {
            "method": "measurement",
            "gas": "CO2",
            "concentration": q("1820", "g/Nm3"),
            "flue_gas_volume": q("250000000", "Nm3"),
            "biomass_fraction": "0.15",
        }
    )
    assert result.direct_emissions_t_co2e == D("386750")
    assert result.biomass_emissions_t_co2 == D("68250")


def test_measurement_when_n2o_rounds_mass_to_3_decimals_then_gwp() -> None:
    # Commission template: 64.2925 g/Nm3 x 265,000 Nm3/h x 4 h = 68.150 t N2O = 18,060 t CO2e
    result = single(
        {
            "method": "measurement",
            "gas": "N2O",
            "concentration": q("64.2925", "g/Nm3"),
            "flue_gas_volume": q("1060000", "Nm3"),
        }
    )
    assert result.direct_emissions_t_co2e == D("68.150") * 265
    assert round(result.direct_emissions_t_co2e) == 18_060


def test_pfc_when_slope_method_applies_eq_21_to_26() -> None:
    result = single(
        {
            "method": "pfc_slope",
            "primary_aluminium": q("120000", "t"),
            "anode_effect_frequency": q("0.2", "1/cell-day"),
            "anode_effect_duration": q("1.5", "min"),
            "sef_cf4": q("0.143", "kg CF4/t Al/(AE-min/cell-day)"),
            "f_c2f6": "0.121",
        }
    )
    cf4 = D("0.3") * D("0.143") / 1000 * 120000
    assert result.direct_emissions_t_co2e == cf4 * 6630 + cf4 * D("0.121") * 11100


def test_pfc_when_overvoltage_method_uses_ce_in_percent() -> None:
    result = single(
        {
            "method": "pfc_overvoltage",
            "primary_aluminium": q("100000", "t"),
            "ovc": q("1.16", "kg CF4/t Al/mV"),
            "aeo": q("10", "mV"),
            "current_efficiency": q(95, "%"),
            "f_c2f6": "0.121",
        }
    )
    with decimal.localcontext(decimal.Context(prec=34)):
        cf4 = D("1.16") * (D(10) / D(95)) * 100000 / 1000
        expected = cf4 * 6630 + cf4 * D("0.121") * 11100
    assert result.direct_emissions_t_co2e == expected


def test_heat_and_waste_gas_flows_when_given_enter_eq_55() -> None:
    data = installation(
        heat={
            "imports": [{"id": "hi", "quantity": q(10, "TJ")}],
            "exports": [
                {"id": "he", "quantity": q(2000, "GJ"), "emission_factor": q(60, "t CO2/TJ")}
            ],
        },
        waste_gases={
            "imports": [{"id": "wi", "energy": q(100, "TJ")}],
            "exports": [{"id": "we", "volume": q(1000000, "Nm3"), "ncv": q("0.0001", "TJ/Nm3")}],
        },
    )
    p = run(data).processes[0]
    with decimal.localcontext(decimal.Context(prec=34)):
        heat_in = 10 * (D("56.1") / D("0.9"))
    assert (p.heat_import_t_co2e, p.heat_export_t_co2e) == (heat_in, D(120))
    assert (p.waste_gas_import_t_co2e, p.waste_gas_export_t_co2e) == (D("5610.0"), D("3741.870"))
    with decimal.localcontext(decimal.Context(prec=34)):
        expected = D("2692.8") + heat_in - 120 + D("5610.0") - D("3741.87")
    assert p.attributed_direct_t_co2e == expected


def test_attribution_when_negative_sum_sets_attributed_direct_to_zero() -> None:
    data = installation(waste_gases={"exports": [{"id": "we", "energy": q(1000, "TJ")}]})
    assert run(data).processes[0].attributed_direct_t_co2e == 0


def test_own_generation_when_no_stated_ef_uses_eq_38() -> None:
    data = installation()
    data["electricity"] = {
        "production": [
            {
                "id": "pp",
                "net_output": q(100, "MWh"),
                "fuel_input": q(1, "TJ"),
                "fuel_emission_factor": q("56.1", "t CO2/TJ"),
            }
        ],
        "consumption": [
            {"id": "own", "quantity": q(50, "MWh"), "source": "own_generation", "production": "pp"}
        ],
    }
    p = run(data).processes[0]
    assert p.el_prod_deduction_t_co2e == D("56.1")
    assert p.attributed_indirect_t_co2e == D("28.05")
