"""`POST /v3/contractnegotiations/request`: a QuerySpec of `=` criteria on plain fields is
answered by the database (one page, not every row); any other spec by the in-memory QuerySpec
evaluation. Both answer the same for the same rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from catalog import Criterion
from connector.management._query import QuerySpec, apply_query, pushdown
from connector.management.processes import NEGOTIATION_COLUMNS, negotiation_record
from connector.negotiation.models import NegotiationRow

EDC = "https://w3id.org/edc/v0.0.1/ns/"
START = datetime(2026, 5, 1, tzinfo=UTC)
STATES = ("REQUESTED", "FINALIZED", "FINALIZED", "TERMINATED", "FINALIZED", "AGREED")


def _row(i: int, state: str) -> NegotiationRow:
    return NegotiationRow(
        id=f"n-{i:02d}",
        role="CONSUMER",
        state=state,
        counterparty_id="did:web:mill.example" if i % 2 else "did:web:ore.example",
        counterparty_address="http://peer/api/dsp",
        consumer_pid=f"urn:uuid:c{i}",
        offer_id=f"offer-{i}",
        asset_id=f"asset-{i % 3}",
        offer={},
        created_at=START - timedelta(minutes=i),  # inserted newest first
        updated_at=START,
    )


async def _store(node: Any) -> list[NegotiationRow]:
    rows = [_row(i, state) for i, state in enumerate(STATES)]
    async with node.database.session() as session:
        for row in rows:
            session.add(row)
        await session.commit()
    return rows


def _spec(*criteria: tuple[str, str, Any], **paging: Any) -> dict[str, Any]:
    return {
        "@context": {"@vocab": EDC},
        "@type": "QuerySpec",
        "filterExpression": [
            {"operandLeft": left, "operator": op, "operandRight": right}
            for left, op, right in criteria
        ],
        **paging,
    }


async def _ids(client: Any, body: dict[str, Any]) -> list[str]:
    response = await client.post("/v3/contractnegotiations/request", json=body)
    assert response.status_code == 200, response.text
    return [negotiation["@id"] for negotiation in response.json()]


async def test_state_filter_pages_like_the_in_memory_evaluation(node) -> None:
    client, context = node
    await _store(context)
    finalized = _spec(("state", "=", "FINALIZED"), sortField="createdAt", sortOrder="DESC")
    assert await _ids(client, finalized) == ["n-01", "n-02", "n-04"]
    assert await _ids(client, {**finalized, "offset": 2, "limit": 1}) == ["n-04"]
    assert await _ids(client, {**finalized, "offset": 3, "limit": 1}) == []
    ascending = _spec((EDC + "state", "=", "FINALIZED"), sortField="createdAt")
    assert await _ids(client, ascending) == ["n-04", "n-02", "n-01"]
    both = _spec(("state", "=", "FINALIZED"), ("counterPartyId", "=", "did:web:mill.example"))
    assert sorted(await _ids(client, both)) == ["n-01"]


async def test_specs_the_database_cannot_answer_use_the_in_memory_evaluation(node) -> None:
    client, context = node
    await _store(context)
    assert sorted(await _ids(client, _spec(("state", "in", ["AGREED", "REQUESTED"])))) == [
        "n-00",
        "n-05",
    ]
    assert sorted(await _ids(client, _spec(("counterPartyId", "like", "%ore%")))) == [
        "n-00",
        "n-02",
        "n-04",
    ]
    by_id = _spec(sortField="id", sortOrder="DESC", limit=2)
    assert await _ids(client, by_id) == ["n-05", "n-04"]


def test_pushdown_only_for_equalities_on_string_columns_and_created_at_order() -> None:
    def plan(*criteria: Criterion, sort: str | None = None) -> Any:
        spec = QuerySpec(criteria=criteria, sort_field=sort)
        return pushdown(spec, NEGOTIATION_COLUMNS, "created_at")

    state = Criterion("state", "=", "FINALIZED")
    assert plan(state).filters == {"state": "FINALIZED"}
    assert plan(state, sort="createdAt").sort == ("created_at", "ASC")
    assert plan(Criterion(EDC + "assetId", "=", "a")).filters == {"asset_id": "a"}
    assert plan(Criterion("state", "in", ["FINALIZED"])) is None
    assert plan(Criterion("createdAt", "=", "1")) is None
    assert plan(Criterion("type", "=", "CONSUMER")) is None
    assert plan(state, Criterion("state", "=", "AGREED")) is None
    assert plan(state, sort="state") is None


def test_pushed_down_filters_select_what_the_in_memory_evaluation_selects() -> None:
    rows = [_row(i, state) for i, state in enumerate(STATES)]
    pairs = [(negotiation_record(r), r) for r in rows]
    spec = QuerySpec(criteria=(Criterion("state", "=", "FINALIZED"),), limit=100)
    plan = pushdown(spec, NEGOTIATION_COLUMNS, "created_at")
    assert plan is not None
    by_columns = [r for r in rows if all(getattr(r, c) == v for c, v in plan.filters.items())]
    assert by_columns == apply_query(spec, pairs)
