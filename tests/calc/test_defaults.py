"""Default value lookup rules (IR 2025/2621 Annex I; CALC.md section 12)."""

from __future__ import annotations

from decimal import Decimal

from tests.calc.factories import DEFAULTS

D = Decimal


def test_lookup_when_korean_value_exists_uses_it_with_markup_year() -> None:
    value = DEFAULTS.lookup(True, "KR", "25232900", 2027)
    assert value is not None
    assert (value.see_direct, value.see_indirect, value.markup_factor) == (
        D("0.89"),
        D("0.06"),
        D("1.2"),
    )


def test_lookup_when_country_value_missing_uses_other_countries_row() -> None:
    value = DEFAULTS.lookup(True, "KR", "28141000", 2026)
    assert value is not None
    assert value.row.country == "other"
    assert value.markup_factor == D("1.01")  # fertilisers


def test_lookup_when_several_variants_takes_highest() -> None:
    value = DEFAULTS.lookup(True, "KR", "25231000", None)
    assert value is not None
    assert value.row.description == "White clinker"


def test_lookup_when_transitional_uses_world_value_without_markup() -> None:
    value = DEFAULTS.lookup(False, "KR", "72085120", 2026)
    assert value is not None
    assert (value.see_direct, value.markup_factor, value.markup_year) == (D("2.01"), D(1), None)


def test_lookup_when_cn_code_not_in_table_returns_none() -> None:
    assert DEFAULTS.lookup(True, "KR", "27160000", 2026) is None
