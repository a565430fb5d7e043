"""Change propagation, consumer side (issue 7, item 4): idempotent by version, stale flag."""

from __future__ import annotations

from sqlmodel import select

from connector.context import NodeContext
from connector.outcome import Failure, Ok
from connector.upstream._lines import UpstreamLine
from connector.upstream._outcomes import Fetched
from connector.upstream.models import ReceivedFootprintRow
from connector.upstream.propagation import REFRESH_KIND, accept_notification, newer
from connector.upstream.resolver import resolve_lines
from connector.work import WorkItem
from tests.connector.upstream._signer import KeyRing
from tests.connector.upstream.conftest import published

MILL = "did:web:127.0.0.1%3A9102"
COIL = UpstreamLine(MILL, "coil", ())


async def _receive(context: NodeContext, ring: KeyRing, version: int) -> None:
    async def fetch(line: UpstreamLine) -> Fetched:
        return Fetched(published(ring, MILL, "coil", version), "agr-1", "asset-coil", True, True)

    await resolve_lines(context, "bolts", [COIL], fetch)


async def _state(context: NodeContext) -> tuple[ReceivedFootprintRow, list[WorkItem]]:
    async with context.database.session() as session:
        row = (await session.exec(select(ReceivedFootprintRow))).one()
        items = list((await session.exec(select(WorkItem))).all())
    return row, items


def test_newer_when_versions_are_numbers_compares_numerically() -> None:
    assert (newer("10", "9"), newer("9", "10"), newer("3", "3"), newer("b", "a")) == (
        True,
        False,
        False,
        True,
    )


async def test_accept_notification_when_newer_version_marks_stale_and_schedules_refresh(
    context: NodeContext, ring: KeyRing
) -> None:
    await _receive(context, ring, 3)
    outcome = await accept_notification(context, MILL, "coil", "asset-coil", "4")
    assert outcome == Ok("accepted")
    row, items = await _state(context)
    assert (row.stale, row.announced_version, row.version) == (True, "4", "3")
    assert row.stale_reason == "supplier published version 4 (we hold 3)"
    assert [(i.kind, i.subject_id) for i in items] == [(REFRESH_KIND, f"{MILL}|coil")]


async def test_accept_notification_when_repeated_is_a_duplicate_without_new_work(
    context: NodeContext, ring: KeyRing
) -> None:
    await _receive(context, ring, 3)
    await accept_notification(context, MILL, "coil", "asset-coil", "4")
    again = await accept_notification(context, MILL, "coil", "asset-coil", "4")
    older = await accept_notification(context, MILL, "coil", "asset-coil", "2")
    assert (again, older) == (Ok("duplicate"), Ok("duplicate"))
    _, items = await _state(context)
    assert len(items) == 1


async def test_accept_notification_when_refetched_clears_stale(
    context: NodeContext, ring: KeyRing
) -> None:
    await _receive(context, ring, 3)
    await accept_notification(context, MILL, "coil", "asset-coil", "4")
    await _receive(context, ring, 4)
    row, _ = await _state(context)
    assert (row.stale, row.version, row.stale_reason) == (False, "4", "")


async def test_accept_notification_when_not_our_supplier_is_not_found(
    context: NodeContext,
) -> None:
    outcome = await accept_notification(context, MILL, "coil", "asset-coil", "4")
    assert isinstance(outcome, Failure)
    assert (outcome.status, outcome.detail) == (
        404,
        f"no footprint of product coil received from {MILL}",
    )


async def test_receive_when_supplier_still_serves_older_than_announced_stays_stale(
    context: NodeContext, ring: KeyRing
) -> None:
    await _receive(context, ring, 3)
    await accept_notification(context, MILL, "coil", "asset-coil", "4")
    await _receive(context, ring, 3)
    row, _ = await _state(context)
    assert (row.stale, row.stale_reason) == (True, "supplier announced version 4, served 3")
