"""The resolver core (issue 7, item 1): verify, store, fall back; bounded and independent."""

from __future__ import annotations

import asyncio
import copy

from sqlmodel import select

from connector.context import NodeContext
from connector.upstream._lines import UpstreamLine
from connector.upstream._outcomes import FailureCode, Fetched, FetchProblem, LineStatus
from connector.upstream.models import ReceivedFootprintRow
from connector.upstream.resolver import resolve_lines
from tests.connector.upstream._signer import KeyRing
from tests.connector.upstream.conftest import OUR_DID, published

MILL = "did:web:127.0.0.1%3A9102"
ORE = "did:web:127.0.0.1%3A9101"
COIL = UpstreamLine(MILL, "coil", ("processes[0].precursors[0]",))
PELLETS = UpstreamLine(ORE, "pellets", ("processes[0].precursors[1]",))


def serve(table: dict) -> object:
    async def fetch(line: UpstreamLine) -> Fetched | FetchProblem:
        answer = table[line.supplier_did]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, FetchProblem):
            return answer
        product = line.supplier_product_id
        return Fetched(
            answer, f"agreement-{product}", f"asset-{product}", negotiated=True, transferred=True
        )

    return fetch


async def rows(context: NodeContext) -> list[ReceivedFootprintRow]:
    async with context.database.session() as session:
        found = (await session.exec(select(ReceivedFootprintRow))).all()
    return sorted(found, key=lambda r: r.supplier_did)


async def test_resolve_lines_when_supplier_serves_signed_value_stores_it(
    context: NodeContext, ring: KeyRing
) -> None:
    fetch = serve({MILL: published(ring, MILL, "coil", 3, pcf="2020")})
    (outcome,) = await resolve_lines(context, "bolts", [COIL], fetch)
    assert (outcome.status, outcome.version, outcome.agreement_id) == (
        LineStatus.RECEIVED,
        "3",
        "agreement-coil",
    )
    (row,) = await rows(context)
    assert (row.supplier_did, row.supplier_product_id, row.version) == (MILL, "coil", "3")
    assert row.value["pcf_kg_co2e"] == "2020"
    assert row.value["see_direct"] == "2.1"
    assert row.signature.count(".") == 2 and row.stale is False


async def test_resolve_lines_when_same_version_again_reports_current(
    context: NodeContext, ring: KeyRing
) -> None:
    fetch = serve({MILL: published(ring, MILL, "coil", 3)})
    await resolve_lines(context, "bolts", [COIL], fetch)
    (again,) = await resolve_lines(context, "bolts", [COIL], fetch)
    assert again.status is LineStatus.CURRENT


async def test_resolve_lines_when_supplier_down_without_value_uses_default_with_reason(
    context: NodeContext,
) -> None:
    down = FetchProblem(FailureCode.UNREACHABLE, "connection refused")
    (outcome,) = await resolve_lines(context, "bolts", [COIL], serve({MILL: down}))
    assert (outcome.status, outcome.reason_code, outcome.reason) == (
        LineStatus.DEFAULT,
        "unreachable",
        "connection refused",
    )
    assert await rows(context) == []


async def test_resolve_lines_when_supplier_down_with_value_uses_it_flagged_stale(
    context: NodeContext, ring: KeyRing
) -> None:
    await resolve_lines(context, "bolts", [COIL], serve({MILL: published(ring, MILL, "coil", 3)}))
    down = FetchProblem(FailureCode.UNREACHABLE, "connection refused")
    (outcome,) = await resolve_lines(context, "bolts", [COIL], serve({MILL: down}))
    assert (outcome.status, outcome.version) == (LineStatus.STALE, "3")
    (row,) = await rows(context)
    assert row.stale is True
    assert row.stale_reason == "unreachable: connection refused"


async def test_resolve_lines_when_one_supplier_fails_the_others_still_resolve(
    context: NodeContext, ring: KeyRing
) -> None:
    fetch = serve({MILL: RuntimeError("boom"), ORE: published(ring, ORE, "pellets", 1)})
    coil, pellets = await resolve_lines(context, "coil", [COIL, PELLETS], fetch)
    assert (coil.status, coil.reason_code, coil.reason) == (
        LineStatus.DEFAULT,
        "error",
        "RuntimeError: boom",
    )
    assert pellets.status is LineStatus.RECEIVED


async def test_resolve_lines_when_value_tampered_refuses_it(
    context: NodeContext, ring: KeyRing
) -> None:
    tampered = copy.deepcopy(published(ring, MILL, "coil", 3))
    tampered["id"] = "urn:test:other"
    (outcome,) = await resolve_lines(context, "bolts", [COIL], serve({MILL: tampered}))
    assert (outcome.status, outcome.reason_code) == (LineStatus.DEFAULT, "bad_signature")
    assert await rows(context) == []


async def test_resolve_lines_when_signed_by_another_participant_refuses_it(
    context: NodeContext, ring: KeyRing
) -> None:
    forged = published(ring, ORE, "coil", 3)
    (outcome,) = await resolve_lines(context, "bolts", [COIL], serve({MILL: forged}))
    assert (outcome.status, outcome.reason_code) == (LineStatus.DEFAULT, "bad_signature")


async def test_resolve_lines_when_value_depends_on_our_product_detects_cycle(
    context: NodeContext, ring: KeyRing
) -> None:
    from connector.upstream import lineage_hash

    lineage = frozenset({lineage_hash(MILL, "coil"), lineage_hash(OUR_DID, "bolts")})
    fetch = serve({MILL: published(ring, MILL, "coil", 3, lineage=lineage)})
    (outcome,) = await resolve_lines(context, "bolts", [COIL], fetch)
    assert outcome.status is LineStatus.CYCLE
    assert outcome.reason == (
        f"supply-chain cycle: {MILL} product coil already depends on our product bolts"
    )
    assert await rows(context) == []


async def test_resolve_lines_when_many_suppliers_never_exceeds_the_bound(
    context: NodeContext,
) -> None:
    running = 0
    peak = 0

    async def fetch(line: UpstreamLine) -> FetchProblem:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        running -= 1
        return FetchProblem(FailureCode.UNREACHABLE, "down")

    lines = [UpstreamLine(f"did:web:s{i}", "p", ()) for i in range(12)]
    outcomes = await resolve_lines(context, "x", lines, fetch, concurrency=3)
    assert len(outcomes) == 12
    assert peak == 3
