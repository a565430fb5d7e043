"""Resolve a product's supplier lines concurrently (issue 7, item 1; DESIGN.md "Rules that make
it fast": fan-out concurrent with a bound).

Each line is fetched by `fetch` (directory -> catalog -> offer -> negotiation or reused agreement
-> transfer or reused EDR -> submodel), then verified (publisher signature, provenance, figures)
and stored with its agreement id and signature. One failing supplier never blocks the others:
its line falls back to the last received value (stale) or to the default value, with the reason.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

from sqlmodel import select

from connector.context import NodeContext
from connector.outcome import Failure
from connector.upstream._lines import UpstreamLine
from connector.upstream._outcomes import (
    FailureCode,
    Fetched,
    FetchProblem,
    LineOutcome,
    LineStatus,
)
from connector.upstream._provenance import lineage_hash
from connector.upstream._values import read_supplier_value
from connector.upstream.models import ReceivedFootprintRow
from connector.upstream.signing import VerifiedSubmodel, verify_submodel

log = logging.getLogger("carbonspace.upstream")

FetchLine = Callable[[UpstreamLine], Awaitable[Fetched | FetchProblem]]
DEFAULT_CONCURRENCY = 8
LINE_TIMEOUT_S = 30.0
LOCKS_KEY = "upstream.line_locks"


async def resolve_lines(
    context: NodeContext,
    product_id: str,
    lines: Sequence[UpstreamLine],
    fetch: FetchLine,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_done: Callable[[LineOutcome], None] | None = None,
) -> tuple[LineOutcome, ...]:
    """Fetch, verify and store every line, at most `concurrency` at a time."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(line: UpstreamLine) -> LineOutcome:
        async with gate, _line_lock(context, line):
            outcome = await _resolve_one(context, product_id, line, fetch)
        if on_done is not None:
            on_done(outcome)
        return outcome

    return tuple(await asyncio.gather(*(one(line) for line in lines)))


def _line_lock(context: NodeContext, line: UpstreamLine) -> asyncio.Lock:
    """One fetch of a supplier product at a time in this node (two products, or a refresh and
    an operator's resolve, may need the same line at once)."""
    locks: dict[tuple[str, str], asyncio.Lock] = context.services.setdefault(LOCKS_KEY, {})
    return locks.setdefault((line.supplier_did, line.supplier_product_id), asyncio.Lock())


async def _resolve_one(
    context: NodeContext, product_id: str, line: UpstreamLine, fetch: FetchLine
) -> LineOutcome:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(LINE_TIMEOUT_S):
            fetched = await fetch(line)
            if isinstance(fetched, Fetched):
                checked = await _accept(context, product_id, line, fetched)
            else:
                checked = fetched
    except TimeoutError:
        checked = FetchProblem(FailureCode.UNREACHABLE, f"no answer within {LINE_TIMEOUT_S} s")
    except Exception as exc:  # one supplier's bug or outage must not stop the others
        log.warning(
            "upstream line %s/%s failed: %r", line.supplier_did, line.supplier_product_id, exc
        )
        checked = FetchProblem(FailureCode.ERROR, f"{type(exc).__name__}: {exc}")
    elapsed = time.perf_counter() - started
    if isinstance(checked, LineOutcome):
        return _with_elapsed(checked, elapsed)
    return _with_elapsed(await _fall_back(context, line, checked), elapsed)


def _with_elapsed(outcome: LineOutcome, elapsed: float) -> LineOutcome:
    return replace(outcome, elapsed_s=elapsed)


async def _accept(
    context: NodeContext, product_id: str, line: UpstreamLine, fetched: Fetched
) -> LineOutcome | FetchProblem:
    identity = context.service("identity")
    verified = await verify_submodel(identity, fetched.submodel, line.supplier_did)
    if isinstance(verified, Failure):
        code = FailureCode.BAD_SIGNATURE if verified.status == 401 else FailureCode.INVALID_DATA
        return _problem(code, verified.detail, fetched)
    checked = _check(context, product_id, line, verified.value, fetched)
    if isinstance(checked, FetchProblem):
        return checked
    value, version = checked
    status = await _store(context, line, verified.value, fetched, value, version)
    return LineOutcome(
        line,
        status,
        version=version,
        agreement_id=fetched.agreement_id,
        negotiated=fetched.negotiated,
        transferred=fetched.transferred,
    )


def _problem(code: FailureCode, detail: str, fetched: Fetched) -> FetchProblem:
    return FetchProblem(code, detail, fetched.negotiated, fetched.transferred)


def _check(
    context: NodeContext,
    product_id: str,
    line: UpstreamLine,
    verified: VerifiedSubmodel,
    fetched: Fetched,
) -> tuple[dict[str, Any], str] | FetchProblem:
    provenance = verified.provenance
    if provenance.product_id != line.supplier_product_id:
        detail = (
            f"provenance.productId {provenance.product_id} is not the requested product "
            f"{line.supplier_product_id}"
        )
        return _problem(FailureCode.INVALID_DATA, detail, fetched)
    if lineage_hash(context.settings.node.did, product_id) in provenance.lineage:
        detail = (
            f"supply-chain cycle: {line.supplier_did} product {line.supplier_product_id} "
            f"already depends on our product {product_id}"
        )
        return _problem(FailureCode.CYCLE, detail, fetched)
    read = read_supplier_value(verified.submodel)
    if isinstance(read, Failure):
        return _problem(FailureCode.INVALID_DATA, read.detail, fetched)
    value, version = read.value
    value["tiers_pcf"] = list(provenance.pcf_tiers)
    value["tiers_see"] = list(provenance.see_tiers)
    return value, version


async def _store(
    context: NodeContext,
    line: UpstreamLine,
    verified: VerifiedSubmodel,
    fetched: Fetched,
    value: dict[str, Any],
    version: str,
) -> LineStatus:
    now = context.clock.now()
    async with context.database.session() as session:
        row = await _row(session, line)
        if (
            row is not None
            and row.version == version
            and row.submodel_hash == verified.submodel_hash
        ):
            row.stale, row.stale_reason = _staleness(row.announced_version, version)
            row.agreement_id = fetched.agreement_id
            session.add(row)
            await session.commit()
            return LineStatus.CURRENT
        if row is None:
            row = ReceivedFootprintRow(
                supplier_did=line.supplier_did,
                supplier_product_id=line.supplier_product_id,
                asset_id=fetched.asset_id,
                version=version,
                submodel_hash="",
                signature="",
                agreement_id="",
                submodel={},
                value={},
                received_at=now,
            )
        row.asset_id, row.version, row.agreement_id = (
            fetched.asset_id,
            version,
            fetched.agreement_id,
        )
        row.submodel_hash, row.signature = verified.submodel_hash, verified.signature
        row.submodel, row.value = verified.submodel, value
        row.lineage = sorted(verified.provenance.lineage)
        row.stale, row.stale_reason = _staleness(row.announced_version, version)
        row.received_at = now
        session.add(row)
        await session.commit()
    return LineStatus.RECEIVED


def _staleness(announced: str, version: str) -> tuple[bool, str]:
    """Still stale when the supplier announced a newer version than the one it served."""
    if announced and announced.isdigit() and version.isdigit() and int(announced) > int(version):
        return True, f"supplier announced version {announced}, served {version}"
    return False, ""


async def _row(session: Any, line: UpstreamLine) -> ReceivedFootprintRow | None:
    statement = select(ReceivedFootprintRow).where(
        ReceivedFootprintRow.supplier_did == line.supplier_did,
        ReceivedFootprintRow.supplier_product_id == line.supplier_product_id,
    )
    found: ReceivedFootprintRow | None = (await session.exec(statement)).first()
    return found


async def _fall_back(
    context: NodeContext, line: UpstreamLine, problem: FetchProblem
) -> LineOutcome:
    """Keep using the last received value (flagged stale), else the default value."""
    async with context.database.session() as session:
        row = await _row(session, line)
        if row is not None and problem.code != FailureCode.CYCLE:
            row.stale = True
            row.stale_reason = f"{problem.code.value}: {problem.detail}"
            session.add(row)
            await session.commit()
            return LineOutcome(
                line,
                LineStatus.STALE,
                version=row.version,
                agreement_id=row.agreement_id,
                reason_code=problem.code.value,
                reason=problem.detail,
                negotiated=problem.negotiated,
                transferred=problem.transferred,
            )
    status = LineStatus.CYCLE if problem.code == FailureCode.CYCLE else LineStatus.DEFAULT
    return LineOutcome(
        line,
        status,
        reason_code=problem.code.value,
        reason=problem.detail,
        negotiated=problem.negotiated,
        transferred=problem.transferred,
    )
