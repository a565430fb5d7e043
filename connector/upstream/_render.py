"""Rich tables for a resolution report (CLI and demo alike)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def print_report(
    console: Console,
    report: dict[str, Any],
    title: str = "",
    names: dict[str, str] | None = None,
) -> None:
    """Figures, supplier lines, breakdown by precursor and by tier, flags; `names` shows
    participants by name instead of DID."""
    result = report.get("result", {})
    heading = title or f"product {report['productId']}"
    version = report.get("publishedVersion")
    console.print(
        f"[bold]{heading}[/bold]" + (f"  (published version {version})" if version else "")
    )
    see, pcf = result.get("see"), result.get("pcf")
    if see:
        console.print(
            f"  SEE (CBAM, CN {see['cnCode']}): direct {see['directTCo2ePerT']} + "
            f"indirect {see['indirectTCo2ePerT']} = [bold]{see['totalTCo2ePerT']}"
            f"[/bold] t CO2e/t (default share {see['defaultShare']})"
        )
    if pcf:
        console.print(
            f"  PCF: [bold]{pcf['pcfKgCo2e']}[/bold] kg CO2e per {pcf['declaredUnit']}"
            f" (own {pcf['ownKgCo2e']}, primary data share {pcf['primaryDataShare']})"
        )
    console.print(lines_table(report, names or {}))
    breakdown = report.get("breakdown", {})
    for kind, rows in breakdown.get("precursors", {}).items():
        console.print(precursor_table(kind, rows, names or {}))
    tiers = breakdown.get("tiers", {})
    if tiers:
        console.print(tier_table(tiers))
    if report.get("error"):
        console.print(f"[red]error:[/red] {report['error']}")


def lines_table(report: dict[str, Any], names: dict[str, str]) -> Table:
    table = Table(
        "supplier",
        "product",
        "status",
        "version",
        "negotiated",
        "transferred",
        "reason",
        title="supplier lines",
    )
    for line in report.get("lines", []):
        supplier = names.get(line["supplier"], line["supplier"])
        table.add_row(
            supplier,
            line["supplierProductId"],
            line["status"],
            line.get("version") or "-",
            "yes" if line["negotiated"] else "reused",
            "yes" if line["transferred"] else "reused",
            line.get("reason") or "",
        )
    return table


def precursor_table(kind: str, rows: list[dict[str, Any]], names: dict[str, str]) -> Table:
    unit = "kg CO2e / unit" if kind == "pcf" else "t CO2e / t"
    table = Table(
        "line",
        "source",
        "supplier",
        "product",
        "version",
        unit,
        title=f"breakdown by precursor ({kind.upper()})",
    )
    for row in rows:
        value = row.get("contributionKgCo2e") or row.get("contributionTCo2ePerT") or ""
        supplier = row.get("supplier")
        table.add_row(
            row["line"],
            row["source"],
            names.get(supplier, supplier) if supplier else "-",
            row.get("supplierProductId") or "-",
            row.get("version") or "-",
            value,
        )
    return table


def tier_table(tiers: dict[str, list[str]]) -> Table:
    depth = max(len(values) for values in tiers.values())
    table = Table("tier", *tiers.keys(), title="breakdown by tier (0 = this company)")
    for tier in range(depth):
        table.add_row(
            str(tier), *(values[tier] if tier < len(values) else "0" for values in tiers.values())
        )
    return table
