"""EDC `QuerySpec` (edc-mgmt-api.md §4.8): `filterExpression` (ANDed criteria), `sortField`,
`sortOrder`, `offset`, `limit` (EDC default 50). A missing body means everything."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from catalog import Criterion, CriterionError, canonical_name, matches_all, parse_criterion
from connector.management._jsonld import edc_fields, read_json
from connector.outcome import Failure, Ok, bad_request

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class QuerySpec:
    criteria: tuple[Criterion, ...] = ()
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    sort_field: str | None = None
    descending: bool = False


def _int(value: Any, name: str, minimum: int) -> Ok[int] | Failure:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        return bad_request(f"{name}: must be an integer >= {minimum}")
    return Ok(value)


def parse_query_spec(document: Any) -> Ok[QuerySpec] | Failure:
    """A QuerySpec from a request body (`{}` = everything)."""
    if not isinstance(document, Mapping):
        return bad_request("QuerySpec: must be a JSON object")
    fields = edc_fields(document)
    offset = _int(fields.get("offset", 0), "offset", 0)
    limit = _int(fields.get("limit", DEFAULT_LIMIT), "limit", 1)
    if isinstance(offset, Failure):
        return offset
    if isinstance(limit, Failure):
        return limit
    raw = fields.get("filterExpression") or []
    raw = raw if isinstance(raw, list) else [raw]
    try:
        criteria = tuple(parse_criterion(c) for c in raw)
    except CriterionError as exc:
        return bad_request(f"filterExpression: {exc}")
    order = str(fields.get("sortOrder", "ASC")).upper()
    if order not in ("ASC", "DESC"):
        return bad_request("sortOrder: must be ASC or DESC")
    sort_field = fields.get("sortField")
    if sort_field is not None and not isinstance(sort_field, str):
        return bad_request("sortField: must be a string")
    return Ok(QuerySpec(criteria, offset.value, limit.value, sort_field, order == "DESC"))


async def read_query_spec(request: Request) -> Ok[QuerySpec] | Failure:
    """The request's optional EDC QuerySpec body, parsed (shared by every `/request` route)."""
    document = await read_json(request, required=False)
    return document if isinstance(document, Failure) else parse_query_spec(document.value)


def apply_query(spec: QuerySpec, items: Sequence[tuple[Mapping[str, Any], Any]]) -> list[Any]:
    """Filter `(record, item)` pairs on the record, sort, page; return the items."""
    selected = [(r, i) for r, i in items if matches_all(spec.criteria, r)]
    if spec.sort_field:
        key = canonical_name(spec.sort_field)
        present = [(r, i) for r, i in selected if r.get(key) is not None]
        absent = [(r, i) for r, i in selected if r.get(key) is None]
        present.sort(
            key=lambda pair: (
                str(pair[0][key]) if not isinstance(pair[0][key], int | float) else pair[0][key]
            ),
            reverse=spec.descending,
        )
        selected = present + absent
    return [item for _, item in selected[spec.offset : spec.offset + spec.limit]]


@dataclass(frozen=True)
class Pushdown:
    """A QuerySpec the database can answer alone: column equalities and an optional sort."""

    filters: dict[str, str]
    sort: tuple[str, str] | None


def pushdown(spec: QuerySpec, columns: Mapping[str, str], created_column: str) -> Pushdown | None:
    """The spec as column filters when it has only `=` criteria with string values on record
    fields that `columns` maps (record field -> string column) and sorts by nothing or by
    `createdAt` (`created_column`; string order differs between Python and database
    collations, so no other sort is pushed down); None when it needs the
    in-memory evaluation of `apply_query`. Clients poll with such specs (a state filter), and
    loading every row to answer them costs more than the work they wait for."""
    filters: dict[str, str] = {}
    for criterion in spec.criteria:
        column = columns.get(canonical_name(criterion.operand_left))
        value = criterion.operand_right
        if criterion.operator != "=" or column is None or not isinstance(value, str):
            return None
        if filters.setdefault(column, value) != value:
            return None
    if spec.sort_field is None:
        return Pushdown(filters, None)
    if canonical_name(spec.sort_field) == "createdAt":
        return Pushdown(filters, (created_column, "DESC" if spec.descending else "ASC"))
    return None
