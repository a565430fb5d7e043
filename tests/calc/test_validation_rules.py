"""Every remaining validation message, one case each: (mutation, expected path, message start)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from calc import parse_input
from tests.calc.factories import installation, q

Data = dict[str, Any]


def _stream(**fields: Any) -> Callable[[Data], None]:
    def apply(d: Data) -> None:
        d["source_streams"].append({"id": "x", **fields})

    return apply


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Data], None]:
    def apply(d: Data) -> None:
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return apply


def _bom(*products: Data) -> Callable[[Data], None]:
    def apply(d: Data) -> None:
        d["products"] = list(products)

    return apply


P0 = ("processes", 0)
X0 = (*P0, "precursors", 0)
PCF = {"value": 1, "unit": "kg CO2e/kg"}
CASES: list[tuple[str, Callable[[Data], None], str, str]] = [
    ("format", _set(("format",), "v2"), "format", "must be 'carbonspace-calc/1'"),
    ("list", _set(("source_streams",), {}), "source_streams", "must be a list"),
    (
        "empty string",
        _set(("installation", "name"), " "),
        "installation.name",
        "must be a non-empty string",
    ),
    (
        "pattern",
        _set(("installation", "unlocode"), "busan"),
        "installation.unlocode",
        "'busan' does not match the pattern",
    ),
    (
        "locode country",
        _set(("installation", "unlocode"), "JPTYO"),
        "installation.unlocode",
        "UN/LOCODE JPTYO is not in country KR",
    ),
    (
        "date",
        _set(("reporting_period", "start"), "soon"),
        "reporting_period.start",
        "must be a date YYYY-MM-DD",
    ),
    (
        "boolean",
        _set(("options",), {"apply_default_markup": "yes"}),
        "options.apply_default_markup",
        "must be true or false",
    ),
    (
        "choice",
        _set(("options",), {"waste_gas_electricity": "both"}),
        "options.waste_gas_electricity",
        "must be one of",
    ),
    (
        "finite number",
        _set(("source_streams", 0, "fuel_quantity"), q("NaN", "t")),
        "source_streams[0].fuel_quantity.value",
        "must be a finite number",
    ),
    ("object", _set(("installation",), "Mill"), "installation", "must be an object"),
    (
        "neither processes nor products",
        lambda d: [d.pop("processes"), d.pop("source_streams"), d.pop("electricity")],
        "processes",
        "required value is missing (give processes, products or both)",
    ),
    (
        "process and attribution",
        lambda d: d["source_streams"][0].update(
            process="rolling", attribution=[{"process": "rolling", "share": 1}]
        ),
        "source_streams[0].attribution",
        "give either process or attribution",
    ),
    (
        "empty attribution",
        _set(("source_streams", 0, "attribution"), []),
        "source_streams[0].attribution",
        "must list at least one process",
    ),
    (
        "calcination and conversion",
        _stream(
            method="process",
            activity_data=q(1, "t"),
            emission_factor=q("0.44", "t CO2/t"),
            conversion_factor=1,
            calcination_rate=1,
        ),
        "source_streams[1].calcination_rate",
        "give either conversion_factor or calcination_rate",
    ),
    (
        "emissions and concentration",
        _stream(method="measurement", gas="CO2", emissions=q(1, "t"), concentration=q(1, "g/Nm3")),
        "source_streams[1].concentration",
        "give either emissions or concentration",
    ),
    (
        "measurement incomplete",
        _stream(method="measurement", gas="CO2", concentration=q(1, "g/Nm3")),
        "source_streams[1].flue_gas_volume",
        "required value is missing (or give emissions)",
    ),
    (
        "n2o biomass",
        _stream(method="measurement", gas="N2O", emissions=q(1, "t"), biomass_fraction=0.1),
        "source_streams[1].biomass_fraction",
        "not applicable to N2O",
    ),
    (
        "current efficiency",
        _stream(
            method="pfc_overvoltage",
            primary_aluminium=q(1, "t"),
            ovc=q(1, "kg CF4/t Al/mV"),
            aeo=q(1, "mV"),
            current_efficiency=0,
            f_c2f6=0.1,
        ),
        "source_streams[1].current_efficiency",
        "must be greater than 0",
    ),
    (
        "ef unit vs fuel",
        _stream(method="combustion", fuel_quantity=q(1, "Nm3"), emission_factor=q(1, "t CO2/t")),
        "source_streams[1].emission_factor.unit",
        "unit 't CO2/t' does not match fuel_quantity",
    ),
    (
        "ncv with energy",
        _stream(
            method="combustion",
            fuel_quantity=q(1, "TJ"),
            ncv=q(1, "GJ/t"),
            emission_factor=q(1, "t CO2/TJ"),
        ),
        "source_streams[1].ncv",
        "not used: fuel_quantity is already energy",
    ),
    (
        "ncv missing",
        _stream(method="combustion", fuel_quantity=q(1, "t"), emission_factor=q(1, "t CO2/TJ")),
        "source_streams[1].ncv",
        "required when fuel_quantity is in 't'",
    ),
    (
        "waste gas both",
        _set(
            ("waste_gases",),
            {"imports": [{"id": "w", "energy": q(1, "TJ"), "volume": q(1, "Nm3")}]},
        ),
        "waste_gases.imports[0].volume",
        "give either energy or volume and ncv",
    ),
    (
        "waste gas incomplete",
        _set(("waste_gases",), {"exports": [{"id": "w", "volume": q(1, "Nm3")}]}),
        "waste_gases.exports[0].ncv",
        "required value is missing (or give energy)",
    ),
    (
        "net output zero",
        _set(
            ("electricity", "production"),
            [
                {
                    "id": "pp",
                    "net_output": q(0, "MWh"),
                    "fuel_input": q(1, "TJ"),
                    "fuel_emission_factor": q(56.1, "t CO2/TJ"),
                }
            ],
        ),
        "electricity.production[0].net_output",
        "must be greater than 0",
    ),
    (
        "own generation without plant",
        _set(
            ("electricity", "consumption", 0),
            {"id": "o", "quantity": q(1, "MWh"), "source": "own_generation"},
        ),
        "electricity.consumption[0].production",
        "required for source own_generation",
    ),
    (
        "goods missing",
        lambda d: d["processes"][0].pop("goods"),
        "processes[0].goods",
        "required value is missing (or set non_cbam: true)",
    ),
    (
        "mixed categories",
        lambda d: d["processes"][0]["goods"].append(
            {"id": "h2", "cn_code": "2804 10 00", "activity_level": q(1, "t")}
        ),
        "processes[0].goods",
        "goods of one production process must share",
    ),
    (
        "non-cbam goods",
        lambda d: d["processes"][0].update(non_cbam=True, precursors=[]),
        "processes[0].goods",
        "a non-CBAM process has no CBAM goods",
    ),
    (
        "non-cbam precursors",
        lambda d: d["processes"][0].update(non_cbam=True, goods=[]),
        "processes[0].precursors",
        "a non-CBAM process has no precursors",
    ),
    (
        "own with cn",
        lambda d: d["processes"][0]["precursors"].append(
            {
                "id": "o",
                "kind": "own",
                "from_process": "rolling",
                "mass": q(1, "t"),
                "cn_code": "7207 12 10",
            }
        ),
        "processes[0].precursors[1].cn_code",
        "only for purchased precursors",
    ),
    (
        "purchased with from_process",
        _set((*X0, "from_process"), "rolling"),
        "processes[0].precursors[0].from_process",
        "only for own precursors",
    ),
    (
        "own from unknown",
        lambda d: d["processes"][0]["precursors"].append(
            {"id": "o", "kind": "own", "from_process": "mars", "mass": q(1, "t")}
        ),
        "processes[0].precursors[1].from_process",
        "unknown CBAM production process 'mars'",
    ),
    (
        "precursor not cbam",
        _set((*X0, "cn_code"), "8708 99 97"),
        "processes[0].precursors[0].cn_code",
        "CN code 8708 99 97 is not a CBAM good: not a relevant",
    ),
    (
        "see unit",
        _set((*X0, "see", "unit"), "t CO2e/kg N"),
        "processes[0].precursors[0].see.unit",
        "SEE per 'kg N' does not match",
    ),
    (
        "excluded kind",
        _set((*P0, "excluded_outputs"), [{"name": "s", "kind": "junk", "mass": q(1, "t")}]),
        "processes[0].excluded_outputs[0].kind",
        "must be one of off_spec",
    ),
    (
        "gate and own",
        _bom(
            {
                "id": "p",
                "declared_unit": "kg",
                "gate_to_gate": q(1, "kg CO2e/kg"),
                "own_emissions": q(1, "kg CO2e"),
            }
        ),
        "products[0].gate_to_gate",
        "give either gate_to_gate or own_emissions and output",
    ),
    (
        "output missing",
        _bom({"id": "p", "declared_unit": "kg", "own_emissions": q(1, "kg CO2e")}),
        "products[0].output",
        "required value is missing",
    ),
    (
        "output zero",
        _bom(
            {
                "id": "p",
                "declared_unit": "kg",
                "own_emissions": q(1, "kg CO2e"),
                "output": q(0, "kg"),
            }
        ),
        "products[0].output",
        "must be greater than 0",
    ),
    (
        "internal with pcf",
        _bom(
            {
                "id": "p",
                "declared_unit": "kg",
                "components": [{"id": "c", "quantity": q(1, "kg"), "product": "p2", "pcf": PCF}],
            },
            {"id": "p2", "declared_unit": "kg"},
        ),
        "products[0].components[0].product",
        "an internal product takes no supplier or pcf",
    ),
    (
        "line without source",
        _bom(
            {"id": "p", "declared_unit": "kg", "components": [{"id": "c", "quantity": q(1, "kg")}]}
        ),
        "products[0].components[0].pcf",
        "required value is missing (or give product or supplier)",
    ),
    (
        "unknown product",
        _bom(
            {
                "id": "p",
                "declared_unit": "kg",
                "components": [{"id": "c", "quantity": q(1, "kg"), "product": "ghost"}],
            }
        ),
        "products[0].components[0].product",
        "unknown product 'ghost'",
    ),
    (
        "pcf unit",
        _bom(
            {
                "id": "p",
                "declared_unit": "kg",
                "components": [{"id": "c", "quantity": q(1, "piece"), "pcf": PCF}],
            }
        ),
        "products[0].components[0].quantity.unit",
        "unit 'piece' does not match the pcf",
    ),
    (
        "pcf negative",
        _bom(
            {
                "id": "p",
                "declared_unit": "kg",
                "components": [{"id": "c", "quantity": q(1, "kg"), "pcf": {**PCF, "value": -1}}],
            }
        ),
        "products[0].components[0].pcf.value",
        "must be a non-negative number",
    ),
    (
        "biogenic",
        _bom(
            {
                "id": "p",
                "declared_unit": "kg",
                "components": [
                    {"id": "c", "quantity": q(1, "kg"), "pcf": {**PCF, "biogenic": "x"}}
                ],
            }
        ),
        "products[0].components[0].pcf.biogenic",
        "must be a finite number",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_parse_when_rule_broken_reports_exactly_that_problem(
    mutate: Callable[[Data], None], path: str, message: str
) -> None:
    data = installation()
    mutate(data)
    errors = parse_input(data)
    assert isinstance(errors, list)
    assert [(e.path, e.message[: len(message)]) for e in errors] == [(path, message)]
