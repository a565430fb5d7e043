"""The worked steel example of CALC.md section 15 (EU guidance section 7), bubble approach."""

from __future__ import annotations

from decimal import Decimal

from calc import WasteGasElectricity, compute, parse_input, result_to_json
from tests.calc.factories import DEFAULTS, example, parsed, run

D = Decimal


def test_steel_bubble_when_computed_reproduces_published_totals() -> None:
    result = run(example("steel-bubble.json"))
    process = result.processes[0]
    assert round(result.direct_emissions_t_co2e) == 7_866_044
    assert round(process.el_prod_deduction_t_co2e) == 718_080
    assert round(process.attributed_direct_t_co2e) == 7_147_964
    # 1,244,133 MWh x 0.576 + 414,711 MWh x 0.628; the guidance prints 976,919 (unrounded EF).
    assert process.attributed_indirect_t_co2e == D("977059.116")
    assert abs(process.attributed_indirect_t_co2e / D(976_919) - 1) < D("0.001")
    assert process.activity_level == D(4_800_000)
    assert process.not_in_activity_level == (
        ("pig iron", "internal_precursor", D(4_000_000)),
        ("crude steel", "internal_precursor", D(5_000_000)),
        ("internal scrap", "scrap", D(200_000)),
    )


def test_steel_bubble_when_computed_reproduces_published_see() -> None:
    result = run(example("steel-bubble.json"))
    for good in result.goods:
        assert good.see_direct_reported == D("1.489")
        assert good.see_indirect_reported == D("0.204")
        assert good.see_total_reported == D("1.693")
        assert round(good.see_direct_t_co2e_per_t, 5) == D("1.48916")
        assert good.indirect_counted is True
        assert good.default_share_of_total == 0
        assert good.exceeds_20_percent_rule is False


def test_steel_bubble_when_10000_t_imported_gives_16930_t() -> None:
    result = run(example("steel-bubble.json"), import_mass_t=D(10_000))
    rails = next(g for g in result.goods if g.id == "rails")
    assert rails.embedded is not None
    assert (rails.embedded.direct_t_co2e, rails.embedded.indirect_t_co2e) == (D(14890), D(2040))
    assert rails.embedded.total_t_co2e == D(16930)


def test_steel_bubble_when_import_uses_unrounded_see_gives_16926_8_t() -> None:
    data = example("steel-bubble.json")
    data["options"]["import_from_rounded_see"] = False
    rails = run(data, import_mass_t=D(10_000)).goods[2]
    assert rails.embedded is not None
    assert round(rails.embedded.direct_t_co2e, 1) == D("14891.6")
    assert round(rails.embedded.total_t_co2e, 1) == D("16927.1")


def test_steel_bubble_when_biomass_fraction_set_reports_biomass_apart() -> None:
    result = run(example("steel-bubble.json"))
    plastic = next(s for s in result.streams if s.id == "plastic-wastes")
    assert round(plastic.fossil_t_co2e, 1) == D("147270.8")  # as published
    assert round(plastic.biomass_t_co2) == 28_052
    assert round(result.biomass_emissions_t_co2) == 28_052


def test_steel_bubble_when_waste_gas_treated_as_export_gives_template_see() -> None:
    data = example("steel-bubble.json")
    data["options"]["waste_gas_electricity"] = "waste_gas_export"
    result = run(data)
    process = result.processes[0]
    assert result.options.waste_gas_electricity is WasteGasElectricity.WASTE_GAS_EXPORT
    assert process.waste_gas_export_t_co2e == D("478959.360")
    assert process.el_prod_deduction_t_co2e == 0
    assert result.goods[0].see_direct_reported == D("1.539")
    assert result_to_json(result)["options"]["waste_gas_electricity"] == "waste_gas_export"


def test_steel_bubble_when_definitive_regime_does_not_count_indirect() -> None:
    data = example("steel-bubble.json")
    data["regime"] = "definitive"
    good = run(data).goods[0]
    assert good.indirect_counted is False
    assert good.see_indirect_reported == 0
    assert good.see_total_reported == D("1.489")
    assert good.exceeds_20_percent_rule is None


def test_steel_bubble_when_serialised_keeps_exact_decimals_as_strings() -> None:
    data = result_to_json(run(example("steel-bubble.json")))
    good = data["goods"][0]
    assert good["see_direct_t_co2e_per_t"] == "1.48915926454356"
    assert good["see_total_reported"] == "1.693"
    assert data["direct_emissions_rounded_t_co2e"] == "7866044"
    assert data["goods"][0]["provenance"]["formula"].startswith("Reg. 2023/956 Annex IV")


def test_steel_bubble_provenance_when_walked_reaches_input_paths() -> None:
    good = run(example("steel-bubble.json")).goods[0]
    refs: set[str] = set()
    stack = [good.provenance]
    while stack:
        node = stack.pop()
        stack.extend(node.inputs)
        if node.source is not None:
            refs.add(node.source.reference)
    assert "source_streams[3].carbon_content" in refs
    assert "electricity.consumption[1].emission_factor" in refs
    assert "options.waste_gas_electricity" in refs


def test_compute_when_caller_decimal_context_is_low_precision_gives_same_figures() -> None:
    import decimal

    model = parsed(example("steel-bubble.json"))
    with decimal.localcontext(decimal.Context(prec=3)):
        result = compute(model, DEFAULTS)
    assert not isinstance(result, list)
    assert result.goods[0].see_direct_t_co2e_per_t == D("1.48915926454356")
    assert not isinstance(parse_input(example("steel-bubble.json")), list)
