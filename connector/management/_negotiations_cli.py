"""`carbonspace negotiations ...`: the operator's side of contract negotiations on a running
node, through its management API (EDC v3 paths plus the carbonspace extensions for the
OFFERED/ACCEPTED branch, docs/management-api.md):

- `list NODE_DIR [--state S] [--json]`: negotiations, newest first, as a table or EDC JSON;
- `offer NODE_DIR ID`: the offer on the table (JSON), e.g. one held in OFFERED;
- `accept NODE_DIR ID`: accept the offer held in OFFERED (DSP ACCEPTED event);
- `counter NODE_DIR ID --policy FILE`: answer it with a changed offer (back to REQUESTED);
- `terminate NODE_DIR ID --reason TEXT`: end the negotiation (declines an offer)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from connector.management.cli import NodeDir, _call, _fail, err

EDC = "https://w3id.org/edc/v0.0.1/ns/"
NegotiationId = Annotated[str, typer.Argument(help="The negotiation's id (`list` shows them)")]

negotiations = typer.Typer(
    help="Contract negotiations of a running node: list, inspect, accept or counter offers.",
    no_args_is_help=True,
)


def _path(negotiation_id: str, action: str = "") -> str:
    if not negotiation_id.strip() or "/" in negotiation_id:
        raise _fail("NEGOTIATION_ID: must be a negotiation id (`carbonspace negotiations list`)")
    return f"/v3/contractnegotiations/{negotiation_id}" + (f"/{action}" if action else "")


@negotiations.command("list")
def list_negotiations(
    node_dir: NodeDir,
    state: Annotated[
        str | None, typer.Option("--state", help="Only this state, e.g. OFFERED or FINALIZED")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many rows")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="The EDC JSON, not a table")] = False,
) -> None:
    """Negotiations, newest first."""
    criteria = (
        []
        if state is None
        else [{"operandLeft": "state", "operator": "=", "operandRight": state.strip().upper()}]
    )
    query = {
        "@context": {"@vocab": EDC},
        "@type": "QuerySpec",
        "filterExpression": criteria,
        "sortField": "createdAt",
        "sortOrder": "DESC",
        "limit": limit,
    }
    rows: list[dict[str, Any]] = _call(node_dir, "/v3/contractnegotiations/request", query, 30.0)
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table("id", "role", "state", "counterparty", "asset", "agreement")
    for row in rows:
        table.add_row(
            row["@id"],
            row.get("type", ""),
            row.get("state", ""),
            row.get("counterPartyId", ""),
            row.get("assetId", ""),
            row.get("contractAgreementId", ""),
        )
    Console().print(table)


@negotiations.command("offer")
def show_offer(node_dir: NodeDir, negotiation_id: NegotiationId) -> None:
    """Print the offer on the table (EDC policy form) as JSON."""
    offer = _call(node_dir, _path(negotiation_id, "offer"), None, 30.0, method="GET")
    sys.stdout.write(json.dumps(offer, indent=2) + "\n")


@negotiations.command("accept")
def accept(node_dir: NodeDir, negotiation_id: NegotiationId) -> None:
    """Accept the offer held in OFFERED; the provider then sends the agreement."""
    _call(node_dir, _path(negotiation_id, "accept"), {}, 30.0)
    err.print(f"negotiation {negotiation_id}: offer accepted", highlight=False)


@negotiations.command("counter")
def counter(
    node_dir: NodeDir,
    negotiation_id: NegotiationId,
    policy: Annotated[
        Path, typer.Option("--policy", help="JSON file with the changed offer (ODRL policy)")
    ],
) -> None:
    """Answer the offer held in OFFERED with a changed one (back to REQUESTED)."""
    try:
        document = json.loads(policy.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(f"--policy: cannot read {policy}: {exc.strerror}") from None
    except ValueError as exc:
        raise _fail(f"--policy: {policy} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise _fail("--policy: must hold a JSON object (an ODRL offer)")
    body = {"@context": {"@vocab": EDC}, "policy": document}
    _call(node_dir, _path(negotiation_id, "counteroffer"), body, 30.0)
    err.print(f"negotiation {negotiation_id}: counter-offer sent", highlight=False)


@negotiations.command("terminate")
def terminate(
    node_dir: NodeDir,
    negotiation_id: NegotiationId,
    reason: Annotated[str, typer.Option("--reason", help="Why, told to the counterparty")],
) -> None:
    """End the negotiation (this is how an offer is declined)."""
    if not reason.strip():
        raise _fail("--reason: must not be empty")
    body = {"@context": {"@vocab": EDC}, "@type": "TerminateNegotiation", "reason": reason}
    _call(node_dir, _path(negotiation_id, "terminate"), body, 30.0)
    err.print(f"negotiation {negotiation_id}: terminated", highlight=False)
