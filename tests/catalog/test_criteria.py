"""EDC criteria (QuerySpec filterExpression, assetsSelector)."""

from __future__ import annotations

import pytest

from catalog import Criterion, CriterionError, matches, parse_criterion

RECORD = {
    "id": "testlab:run:probe",
    "http://purl.org/dc/terms/type": {"@id": "https://w3id.org/catenax/taxonomy#PcfExchange"},
    "version": "1.2.0",
    "count": 3,
    "tags": ["a", "b"],
}


@pytest.mark.parametrize(
    ("left", "operator", "right", "expected"),
    [
        ("https://w3id.org/edc/v0.0.1/ns/id", "=", "testlab:run:probe", True),
        ("edc:id", "=", "testlab:run:probe", True),
        ("id", "!=", "testlab:run:probe", False),
        ("id", "like", "testlab:%", True),
        ("id", "like", "TESTLAB:%", False),
        ("id", "ilike", "TESTLAB:%", True),
        ("id", "in", ["x", "testlab:run:probe"], True),
        (
            "'http://purl.org/dc/terms/type'.'@id'",
            "=",
            "https://w3id.org/catenax/taxonomy#PcfExchange",
            True,
        ),
        ("dct:type", "=", "https://w3id.org/catenax/taxonomy#PcfExchange", True),
        ("count", ">", 2, True),
        ("count", "<=", 2, False),
        ("tags", "contains", "b", True),
        ("missing", "=", "x", False),
        ("missing", "!=", "x", True),
    ],
)
def test_criterion_matches_when_evaluated(left, operator, right, expected) -> None:
    assert matches(Criterion(left, operator, right), RECORD) is expected


def test_criterion_is_refused_when_operator_unknown() -> None:
    with pytest.raises(CriterionError):
        parse_criterion({"operandLeft": "id", "operator": "~", "operandRight": "x"})


def test_criterion_reads_prefixed_keys_when_parsed() -> None:
    criterion = parse_criterion(
        {"edc:operandLeft": "id", "edc:operator": "=", "edc:operandRight": "x"}
    )
    assert criterion == Criterion("id", "=", "x")
