"""Upstream use cases (issue 7): resolve a product's supplier lines, recompute and publish;
refresh the products that depend on a supplier value announced as changed."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from connector.calculation.installation import installation_of_product, parse_document
from connector.calculation.recompute import products_using, recompute_installation
from connector.context import NodeContext
from connector.outcome import Failure, Ok, not_found
from connector.upstream._exchange import exchange_fetch
from connector.upstream._lines import items_of_product, upstream_lines
from connector.upstream._outcomes import FailureCode, LineOutcome, LineStatus, ResolutionReport
from connector.upstream.models import ReceivedFootprintRow
from connector.upstream.propagation import newer, schedule_refresh
from connector.upstream.resolver import DEFAULT_CONCURRENCY, FetchLine, resolve_lines


async def resolve_product(
    context: NodeContext,
    product_id: str,
    *,
    fetch: FetchLine | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_line: Callable[[LineOutcome], None] | None = None,
    on_lines: Callable[[int], None] | None = None,
) -> Ok[ResolutionReport] | Failure:
    """Fetch every supplier line of `product_id`, recompute, publish when changed."""
    row = await installation_of_product(context, product_id)
    if row is None:
        return not_found(f"product {product_id}: no imported installation file links it")
    parsed = parse_document(row.document)
    if isinstance(parsed, Failure):
        return parsed
    lines = upstream_lines(parsed.value, items_of_product(row.links, product_id))
    if on_lines is not None:
        on_lines(len(lines))
    outcomes = await resolve_lines(
        context, product_id, lines, fetch or exchange_fetch(context), concurrency, on_line
    )
    await schedule_refresh(
        context,
        [
            (o.line.supplier_did, o.line.supplier_product_id)
            for o in outcomes
            if o.status in (LineStatus.STALE, LineStatus.DEFAULT)
            and o.reason_code == FailureCode.UNREACHABLE
        ],
    )
    recomputed = await recompute_installation(context, row.installation_id)
    if isinstance(recomputed, Failure):
        return recomputed
    mine = next(c for c in recomputed.value if c.product_id == product_id)
    cycles = [o for o in outcomes if o.status is LineStatus.CYCLE]
    error = None
    if cycles:
        error = "; ".join(o.reason for o in cycles)
    elif mine.problems:
        error = "; ".join(mine.problems)
    return Ok(
        ResolutionReport(
            product_id=product_id,
            lines=outcomes,
            result=mine.result,
            breakdown=mine.breakdown,
            published_version=mine.version or None,
            error=error,
        )
    )


async def refresh_dependents(
    context: NodeContext, supplier_did: str, supplier_product_id: str
) -> str | None:
    """Re-resolve our products using that supplier product; a reason to retry (the supplier
    is still unreachable), or None."""
    pending = []
    for _installation, product_id in await products_using(
        context, supplier_did, supplier_product_id
    ):
        report = await resolve_product(context, product_id)
        if isinstance(report, Failure):
            continue
        for outcome in report.value.lines:
            line = outcome.line
            same = (line.supplier_did, line.supplier_product_id) == (
                supplier_did,
                supplier_product_id,
            )
            if same and outcome.reason_code == FailureCode.UNREACHABLE:
                pending.append(f"{product_id}: {outcome.reason_code} {outcome.reason}")
    lagging = await _behind_announcement(context, supplier_did, supplier_product_id)
    if lagging is not None:
        pending.append(lagging)
    return "; ".join(pending) or None


async def _behind_announcement(
    context: NodeContext, supplier_did: str, supplier_product_id: str
) -> str | None:
    """Why the held value is still older than the version the supplier announced, if it is
    (a cache or a replica may serve the previous version for a moment: try again)."""
    async with context.database.session() as session:
        row = (
            await session.exec(
                select(ReceivedFootprintRow).where(
                    ReceivedFootprintRow.supplier_did == supplier_did,
                    ReceivedFootprintRow.supplier_product_id == supplier_product_id,
                )
            )
        ).first()
    if row is None or not row.announced_version or not newer(row.announced_version, row.version):
        return None
    return f"announced version {row.announced_version} not served yet (we hold {row.version})"
