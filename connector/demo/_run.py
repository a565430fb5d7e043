"""Run the demo: start the data space, tell the story, print the OEM's result and the checks."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from connector.demo._checks import sovereignty
from connector.demo._companies import COMPANIES
from connector.demo._scenario import (
    RESOLVE_ORDER,
    DemoError,
    change_mill_and_wait,
    computed,
    import_own_data,
    offer_footprints,
    resolve,
)
from connector.demo._world import World, start_world
from connector.upstream._render import print_report, tier_table


class DemoFailed(RuntimeError):
    """The demo did not complete; the message names the step."""


async def run_demo(console: Console, base_dir: Path, base_port: int, keep_running: bool) -> None:
    """The whole story; raises `DemoFailed` when a step or a check fails."""
    started = time.perf_counter()
    console.rule("[bold]carbonspace demo[/bold]: tier-n footprints without a central data lake")
    world = await _step(
        console, "starting the authority and four company nodes", start_world(base_dir, base_port)
    )
    try:
        await _story(console, world, base_port)
        console.print(f"\n[green]demo finished in {time.perf_counter() - started:.1f} s[/green]")
        if keep_running:
            _print_access(console, world)
            await _until_stopped()
    except DemoError as exc:
        raise DemoFailed(str(exc)) from None
    finally:
        await world.stop()


async def _until_stopped() -> None:
    """Wait for Ctrl-C or SIGTERM (then the nodes shut down cleanly)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _step(console: Console, title: str, work: Any) -> Any:
    began = time.perf_counter()
    console.print(f"- {title} ...", end=" ")
    try:
        result = await work
    except DemoError:
        console.print("[red]failed[/red]")
        raise
    except Exception as exc:  # startup problems (ports, keys) end the demo with a message
        console.print("[red]failed[/red]")
        raise DemoFailed(f"{title}: {type(exc).__name__}: {exc}") from None
    console.print(f"[green]done[/green] ({time.perf_counter() - began:.2f} s)")
    return result


async def _story(console: Console, world: World, base_port: int) -> None:
    _print_companies(console, world)
    for node in world.nodes.values():
        await _step(
            console,
            f"{node.company.name}: offering footprints to PCF-framework members",
            offer_footprints(node),
        )
    for node in world.nodes.values():
        await _step(
            console,
            f"{node.company.name}: importing its own installation data",
            import_own_data(node, base_port),
        )
    reports = {}
    for key in RESOLVE_ORDER:
        node = world.nodes[key]
        reports[key] = await _step(
            console,
            f"{node.company.name}: resolving {node.company.product_id} upstream over DSP",
            resolve(node),
        )
    console.print()
    console.print(await _products_table(world))
    print_report(
        console,
        reports["oem"],
        title=f"{world.nodes['oem'].company.name}: {world.nodes['oem'].company.product_id}",
        names=_names(world),
    )
    negotiations = sum(r["negotiations"] for r in reports.values())
    transfers = sum(r["transfers"] for r in reports.values())
    console.print(
        f"\nDSP contract negotiations: [bold]{negotiations}[/bold], "
        f"transfers: [bold]{transfers}[/bold] (across all tiers)"
    )
    _sovereignty(console, world)
    before = await computed(world.nodes["oem"])
    console.print(
        "\n[bold]Hanbit Steel changes its data[/bold] (more natural gas in the "
        "reheating furnaces); the change propagates by itself:"
    )
    after, seconds = await change_mill_and_wait(world, base_port)
    _print_change(console, before, after, seconds)


def _names(world: World) -> dict[str, str]:
    return {node.did: node.company.name for node in world.nodes.values()}


async def _products_table(world: World) -> Table:
    table = Table(
        "company",
        "product",
        "version",
        "SEE direct t/t",
        "SEE total t/t",
        "PCF kg CO2e",
        "per",
        title="every company's published footprint",
    )
    for node in world.nodes.values():
        product = await computed(node)
        see, pcf = product["result"].get("see", {}), product["result"].get("pcf", {})
        table.add_row(
            node.company.name,
            node.company.product_id,
            str(product["version"]),
            see.get("directTCo2ePerT", "-"),
            see.get("totalTCo2ePerT", "-"),
            pcf.get("pcfKgCo2e", "-"),
            pcf.get("declaredUnit", "-"),
        )
    return table


def _print_companies(console: Console, world: World) -> None:
    table = Table("company", "role", "DID", title="the data space")
    for company in COMPANIES:
        table.add_row(company.name, company.role, world.nodes[company.key].did)
    console.print(table)


def _sovereignty(console: Console, world: World) -> None:
    findings = sovereignty(
        {key: node.settings.node_dir / "node.db" for key, node in world.nodes.items()}
    )
    for finding in findings:
        mark = "[green]ok[/green]" if finding.ok else "[red]FAILED[/red]"
        extra = f" (holds: {', '.join(finding.foreign_markers)})" if finding.foreign_markers else ""
        console.print(f"sovereignty {finding.node}: own raw data only {mark}{extra}")
    if not all(f.ok for f in findings):
        raise DemoError("sovereignty check failed: a node holds another node's raw data")


def _print_change(
    console: Console, before: dict[str, Any], after: dict[str, Any], seconds: float
) -> None:
    old, new = before["result"]["pcf"], after["result"]["pcf"]
    console.print(
        f"OEM wheel-hub module PCF: {old['pcfKgCo2e']} -> [bold]{new['pcfKgCo2e']}"
        f"[/bold] kg CO2e per {new['declaredUnit']} (version {before['version']} -> "
        f"{after['version']}, propagated through two tiers in {seconds:.2f} s)"
    )
    console.print(tier_table(after["breakdown"]["tiers"]))


def _print_access(console: Console, world: World) -> None:
    console.print("\n[bold]nodes keep running[/bold] (Ctrl-C stops them):", soft_wrap=True)
    for node in world.nodes.values():
        console.print(
            f"  {node.company.name}: {node.url}  X-Api-Key: {node.api_key}",
            soft_wrap=True,
            highlight=False,
        )
    console.print(f"  authority: {world.authority_url} ({world.authority_did})", soft_wrap=True)
    console.print(f"  node directories: {world.base_dir}", soft_wrap=True, highlight=False)
