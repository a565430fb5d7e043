"""Default values table (IR 2025/2621 Annex I; transitional DG TAXUD values), built from rows.

The engine is pure: the caller reads the CSV (connector/calculation is the edge) and passes the
rows; `build_default_values` turns them into an immutable table. Lookup rules (CALC.md
section 12): longest CN prefix; a country row without a value (a dash in the OJ) or a country
not in the table -> the 'Other countries and territories' row; unknown country of production
-> the highest value for that CN code (Annex IV); several variants for one CN code (white /
grey clinker) -> the highest (conservative). Mark-ups on the definitive values: +10 / 20 / 30 %
for 2026 / 2027 / 2028 onwards, fertilisers +1 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

OTHER_COUNTRIES = "other"
WORLD = "world"
_COUNTRY_NAMES = MappingProxyType(
    {
        "South Korea": "KR",
        "Other countries and territories": OTHER_COUNTRIES,
        "all (world-average)": WORLD,
    }
)


@dataclass(frozen=True)
class DefaultValueRow:
    """One row: SEE in t CO2e per tonne of good; `see_indirect` None = not applicable."""

    period: str  # "definitive" | "transitional"
    country: str  # ISO alpha-2, OTHER_COUNTRIES or WORLD
    cn_code: str
    description: str
    sector: str
    see_direct: Decimal | None
    see_indirect: Decimal | None
    bm_route: str = ""


@dataclass(frozen=True)
class DefaultValue:
    """The default value used for one precursor, with how it was found."""

    row: DefaultValueRow
    see_direct: Decimal
    see_indirect: Decimal
    markup_factor: Decimal
    markup_year: int | None
    note: str
    table_version: str


@dataclass(frozen=True)
class DefaultValuesTable:
    """Immutable default values, indexed by (period, country) then CN code."""

    version: str
    source: str
    index: Mapping[tuple[str, str], Mapping[str, tuple[DefaultValueRow, ...]]]

    def lookup(
        self, definitive: bool, country: str | None, cn_code: str, markup_year: int | None
    ) -> DefaultValue | None:
        """Default value for a good of `cn_code` produced in `country` (None = unknown)."""
        period = "definitive" if definitive else "transitional"
        if not definitive:
            found = self._best(period, WORLD, cn_code)
            note = "transitional world-average default value"
        elif country is None:
            found = self._highest_any_country(period, cn_code)
            note = "country of production unknown: highest value for this CN code (Annex IV)"
        else:
            found = self._best(period, country, cn_code)
            note = f"default value for country {country}"
            if found is None:
                found = self._best(period, OTHER_COUNTRIES, cn_code)
                note = f"no value for {country}: 'Other countries and territories' row"
        if found is None:
            return None
        factor = _markup(found, markup_year) if definitive and markup_year else Decimal(1)
        return DefaultValue(
            row=found,
            see_direct=found.see_direct or Decimal(0),
            see_indirect=found.see_indirect or Decimal(0),
            markup_factor=factor,
            markup_year=markup_year if definitive else None,
            note=note,
            table_version=self.version,
        )

    def _best(self, period: str, country: str, cn_code: str) -> DefaultValueRow | None:
        by_cn = self.index.get((period, country), {})
        for length in range(len(cn_code), 3, -1):
            rows = by_cn.get(cn_code[:length])
            if rows:
                with_value = [r for r in rows if r.see_direct is not None]
                return max(with_value, key=_total) if with_value else None
        return None

    def _highest_any_country(self, period: str, cn_code: str) -> DefaultValueRow | None:
        candidates = [
            row
            for (p, c), _ in self.index.items()
            if p == period
            for row in [self._best(period, c, cn_code)]
            if row is not None
        ]
        return max(candidates, key=_total) if candidates else None


def _total(row: DefaultValueRow) -> Decimal:
    return (row.see_direct or Decimal(0)) + (row.see_indirect or Decimal(0))


def _markup(row: DefaultValueRow, year: int) -> Decimal:
    if row.sector == "fertilisers":
        return Decimal("1.01")
    return Decimal("1.1") if year <= 2026 else Decimal("1.2") if year == 2027 else Decimal("1.3")


def _decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def row_from_csv(raw: Mapping[str, str]) -> DefaultValueRow:
    """A row of `cbam-default-values.csv` (column names as in that file)."""
    period = "transitional" if raw["period"].startswith("transitional") else "definitive"
    na = raw.get("indirect_na", "").strip().lower() == "yes"
    direct = _decimal(raw.get("see_direct", ""))
    indirect = None if na else _decimal(raw.get("see_indirect", ""))
    if direct is not None and indirect is None and not na:
        total = _decimal(raw.get("see_total", ""))
        indirect = (total - direct) if total is not None else None
    country = raw["country"].strip()
    return DefaultValueRow(
        period=period,
        country=_COUNTRY_NAMES.get(country, country),
        cn_code=raw["cn_code"].replace(" ", ""),
        description=raw.get("description", ""),
        sector=raw.get("sector", ""),
        see_direct=direct,
        see_indirect=indirect,
        bm_route=raw.get("bm_route", ""),
    )


def build_default_values(
    rows: Iterable[DefaultValueRow], version: str, source: str
) -> DefaultValuesTable:
    """An immutable, indexed table from rows (see `row_from_csv`)."""
    index: dict[tuple[str, str], dict[str, list[DefaultValueRow]]] = {}
    for row in rows:
        index.setdefault((row.period, row.country), {}).setdefault(row.cn_code, []).append(row)
    frozen = {
        key: MappingProxyType({cn: tuple(rs) for cn, rs in by_cn.items()})
        for key, by_cn in index.items()
    }
    return DefaultValuesTable(version=version, source=source, index=MappingProxyType(frozen))


EMPTY_DEFAULT_VALUES = build_default_values((), version="empty", source="none")
