"""Upstream use cases (issue 7): resolve a product's supplier lines, recompute and publish;
refresh the products that depend on a supplier value announced as changed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlmodel import select

from connector.calculation.installation import installation_of_product, parse_document
from connector.calculation.recompute import (
    ProductComputation,
    products_using,
    recompute_installation,
    recompute_store_product,
)
from connector.context import NodeContext
from connector.outcome import Failure, Ok, not_found
from connector.products import product_bom
from connector.upstream._exchange import exchange_fetch
from connector.upstream._lines import (
    UpstreamLine,
    items_of_product,
    merge_lines,
    store_lines,
    upstream_lines,
)
from connector.upstream._outcomes import FailureCode, LineOutcome, LineStatus, ResolutionReport
from connector.upstream.models import ReceivedFootprintRow
from connector.upstream.propagation import newer, schedule_refresh
from connector.upstream.resolver import DEFAULT_CONCURRENCY, FetchLine, resolve_lines


@dataclass(frozen=True)
class _Plan:
    """A product's supplier lines and how it is recomputed afterwards."""

    lines: tuple[UpstreamLine, ...]
    recompute: Callable[[], Awaitable[Ok[ProductComputation] | Failure]]
    problems: tuple[str, ...] = ()


async def _plan(context: NodeContext, product_id: str) -> _Plan | Failure:
    """Lines from the installation file that computes the product (with the product store's
    lines on the same supplier products), else from its product-store BOM."""
    row = await installation_of_product(context, product_id)
    stored = store_lines(product_id, await product_bom(context, product_id))
    if row is None:
        if not stored:
            return not_found(
                f"product {product_id}: no imported installation file links it and its "
                "product-store bill of materials names no supplier"
            )
        return _Plan(stored, lambda: recompute_store_product(context, product_id))
    parsed = parse_document(row.document)
    if isinstance(parsed, Failure):
        return parsed
    file_lines = upstream_lines(parsed.value, items_of_product(row.links, product_id))
    lines, unlisted = merge_lines(file_lines, stored)
    problems = tuple(
        f"{ref}: supplier product {x.supplier_did}#{x.supplier_product_id} is not in "
        f"installation file {row.installation_id}, which computes {product_id}: not used "
        "(add it to the file's components, or remove it from the product store)"
        for x in unlisted
        for ref in x.refs
    )

    async def recompute() -> Ok[ProductComputation] | Failure:
        done = await recompute_installation(context, row.installation_id)
        if isinstance(done, Failure):
            return done
        return Ok(next(c for c in done.value if c.product_id == product_id))

    return _Plan(lines, recompute, problems)


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
    plan = await _plan(context, product_id)
    if isinstance(plan, Failure):
        return plan
    if on_lines is not None:
        on_lines(len(plan.lines))
    outcomes = await resolve_lines(
        context, product_id, plan.lines, fetch or exchange_fetch(context), concurrency, on_line
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
    recomputed = await plan.recompute()
    if isinstance(recomputed, Failure):
        return recomputed
    mine = recomputed.value
    cycles = [o.reason for o in outcomes if o.status is LineStatus.CYCLE]
    errors = cycles or [*mine.problems, *plan.problems]
    return Ok(
        ResolutionReport(
            product_id=product_id,
            lines=outcomes,
            result=mine.result,
            breakdown=mine.breakdown,
            published_version=mine.version or None,
            error="; ".join(errors) or None,
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
