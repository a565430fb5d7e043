"""`carbonspace calc FILE [--import-mass T] [--format json|table] [--schema]` (issue 3, item 4).

JSON result on stdout by default (decimals as strings, docs/calc.md), a readable breakdown with
`--format table`, the input JSON Schema with `--schema`. Bad input: one line per problem on
stderr naming the input path, exit code 1 (2 for a bad command line or unreadable file).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from calc import CalcError, CalcResult, compute, input_json_schema, parse_input, result_to_json
from connector.calculation.defaults import shipped_default_values
from connector.calculation.files import InputFileError, load_input_file


class OutputFormat(StrEnum):
    JSON = "json"
    TABLE = "table"


def _fail(message: str, code: int) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _errors(errors: list[CalcError]) -> typer.Exit:
    console = Console(stderr=True)
    for e in errors:
        console.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
    console.print(f"{len(errors)} problem(s) in the input; nothing was computed.", highlight=False)
    return typer.Exit(1)


def _import_mass(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise _fail(f"--import-mass: '{text}' is not a non-negative number of tonnes", 2)
    return value


def run_calc(
    file: Path | None, import_mass: str | None, output: OutputFormat, schema: bool
) -> None:
    """The `calc` command's body (separate so tests can call it through any Typer app)."""
    if schema:
        typer.echo(json.dumps(input_json_schema(), indent=2))
        return
    if file is None:
        raise _fail("FILE: missing; give an installation / bill-of-materials file", 2)
    mass = _import_mass(import_mass)
    try:
        data = load_input_file(file)
    except InputFileError as exc:
        raise _fail(str(exc), 2) from None
    model = parse_input(data)
    if isinstance(model, list):
        raise _errors(model)
    result = compute(model, shipped_default_values(), None, mass)
    if isinstance(result, list):
        raise _errors(result)
    if output is OutputFormat.TABLE:
        _print_tables(result)
    else:
        typer.echo(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    """Add `calc` to the root `carbonspace` app."""

    @app.command("calc")
    def calc(
        file: Annotated[
            Path | None, typer.Argument(help="Installation / BOM file (.json, .yaml, .yml)")
        ] = None,
        import_mass: Annotated[
            str | None,
            typer.Option("--import-mass", help="Imported net mass in t: embedded emissions"),
        ] = None,
        output: Annotated[
            OutputFormat, typer.Option("--format", help="json (default) or table")
        ] = OutputFormat.JSON,
        schema: Annotated[
            bool, typer.Option("--schema", help="Print the input file's JSON Schema and exit")
        ] = False,
    ) -> None:
        """Compute CBAM embedded emissions (SEE) and PCFs from an input file."""
        run_calc(file, import_mass, output, schema)


def _print_tables(result: CalcResult) -> None:
    console = Console()
    console.print(
        f"[bold]{result.installation.name}[/bold] ({result.installation.id}), "
        f"{result.period_start} to {result.period_end}, regime {result.regime.value}; "
        f"waste gas for electricity: {result.options.waste_gas_electricity.value}",
        highlight=False,
    )
    console.print(
        f"Installation direct emissions: {result.direct_emissions_t_co2e:,.0f} t CO2e "
        f"(biomass CO2 reported apart: {result.biomass_emissions_t_co2:,.0f} t)",
        highlight=False,
    )
    if result.processes:
        table = Table(title="Production processes (t CO2e)")
        for col in (
            "process",
            "DirEm*",
            "heat +/-",
            "waste gas +/-",
            "Em_el,prod",
            "AttrEm dir",
            "AttrEm ind",
            "AL",
            "precursors dir",
        ):
            table.add_column(col, justify="left" if col == "process" else "right")
        for p in result.processes:
            pre = sum((x.contribution_direct_t_co2e for x in p.precursors), Decimal(0))
            table.add_row(
                p.id,
                f"{p.dir_em_star_t_co2e:,.0f}",
                f"{p.heat_import_t_co2e - p.heat_export_t_co2e:,.0f}",
                f"{p.waste_gas_import_t_co2e - p.waste_gas_export_t_co2e:,.0f}",
                f"{p.el_prod_deduction_t_co2e:,.0f}",
                f"{p.attributed_direct_t_co2e:,.0f}",
                f"{p.attributed_indirect_t_co2e:,.0f}",
                f"{p.activity_level:,.0f} {p.functional_unit}",
                f"{pre:,.0f}",
            )
        console.print(table)
    if result.goods:
        _goods_table(console, result)
    if result.products:
        table = Table(title="Products (PCF, kg CO2e per declared unit)")
        for col in ("product", "unit", "own", "PCF", "biogenic", "primary data"):
            table.add_column(col, justify="left" if col in ("product", "unit") else "right")
        for r in result.products:
            table.add_row(
                r.id,
                r.declared_unit,
                f"{r.own_kg_co2e:.4f}",
                f"{r.pcf_kg_co2e:.4f}",
                f"{r.biogenic_kg_co2e:.4f}",
                f"{r.primary_data_share * 100:.1f} %",
            )
        console.print(table)
    for note in result.notes:
        console.print(f"note: {note}", highlight=False)


def _goods_table(console: Console, result: CalcResult) -> None:
    places = result.options.see_decimal_places
    table = Table(title="Goods: SEE in t CO2e per t (reported, rounded)")
    for col in (
        "good",
        "CN",
        "category",
        "direct",
        "indirect",
        "total",
        "defaults",
        "import t CO2e",
    ):
        table.add_column(col, justify="left" if col in ("good", "CN", "category") else "right")
    for g in result.goods:
        indirect = f"{g.see_indirect_reported:.{places}f}" + ("" if g.indirect_counted else "*")
        ee = "" if g.embedded is None else f"{g.embedded.total_t_co2e:,.1f}"
        table.add_row(
            g.id,
            g.cn_code,
            g.category,
            f"{g.see_direct_reported:.{places}f}",
            indirect,
            f"{g.see_total_reported:.{places}f}",
            f"{g.default_share_of_total * 100:.1f} %",
            ee,
        )
    console.print(table)
    if any(not g.indirect_counted for g in result.goods):
        console.print("* own indirect emissions not counted (Annex II good, definitive period)")
