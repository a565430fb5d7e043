"""`parse_input`: the parsed JSON/YAML mapping of an input file -> `CalcInput` or errors.

Strict (issue 3, item 3): unknown keys, missing required values, negative quantities, fractions
outside [0, 1], unit mismatches, duplicate ids, precursor and BOM cycles and attribution shares
not summing to 100 % each give one `CalcError` naming the input path; nothing is computed then.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from calc._model import CalcInput, Installation, Options, Regime, WasteGasElectricity
from calc._parse_base import CalcError, Reader, join
from calc._parse_bom import read_products
from calc._parse_flows import read_electricity, read_heat, read_source_streams, read_waste_gases
from calc._parse_processes import COUNTRY_PATTERN, process_ids_of, read_processes

FORMAT = "carbonspace-calc/1"
ROOT_KEYS = (
    "$schema",
    "format",
    "description",
    "regime",
    "installation",
    "reporting_period",
    "options",
    "source_streams",
    "heat",
    "waste_gases",
    "electricity",
    "processes",
    "products",
)


def parse_input(data: Any) -> CalcInput | list[CalcError]:
    """Validate an input mapping; the typed model, or one error per problem (with its path)."""
    r = Reader()
    root = r.mapping(data, "", ROOT_KEYS, ("regime", "installation", "reporting_period"))
    if root is None:
        return r.errors
    if root.get("format", FORMAT) != FORMAT:
        r.error("format", f"must be '{FORMAT}'")
    regime = r.choice(root, "regime", "", [x.value for x in Regime])
    definitive = regime != Regime.TRANSITIONAL
    installation = _installation(r, root.get("installation"))
    period = _period(r, root.get("reporting_period"))
    options = _options(r, root.get("options", {}), definitive, period)
    _check_unique_ids(r, root)
    pids = process_ids_of(root)
    processes = read_processes(r, root, definitive)
    streams = read_source_streams(r, root, pids)
    heat_in, heat_out = read_heat(r, root, pids)
    wg_in, wg_out = read_waste_gases(r, root, pids)
    el_prod, el_cons = read_electricity(r, root, pids)
    products, order = read_products(r, root)
    if "processes" not in root and "products" not in root:
        r.error("processes", "required value is missing (give processes, products or both)")
    if r.errors or regime is None or installation is None or period is None:
        return r.errors
    return CalcInput(
        Regime(regime),
        installation,
        period[0],
        period[1],
        options,
        streams,
        heat_in,
        heat_out,
        wg_in,
        wg_out,
        el_prod,
        el_cons,
        processes,
        products,
        bom_order=order,
    )


def _installation(r: Reader, raw: Any) -> Installation | None:
    if raw is None:
        return None
    m = r.mapping(
        raw,
        "installation",
        ("id", "name", "country", "unlocode", "address"),
        ("id", "name", "country"),
    )
    if m is None:
        return None
    before = len(r.errors)
    iid = r.text(m, "id", "installation")
    name = r.text(m, "name", "installation")
    country = r.text(m, "country", "installation", COUNTRY_PATTERN)
    locode = r.text(m, "unlocode", "installation", r"[A-Z]{2} ?[A-Z2-9]{3}")
    if locode is not None and country is not None and not locode.startswith(country):
        r.error("installation.unlocode", f"UN/LOCODE {locode} is not in country {country}")
    if "address" in m:
        r.text(m, "address", "installation")
    if iid is None or name is None or country is None or len(r.errors) != before:
        return None
    return Installation(iid, name, country, locode)


def _period(r: Reader, raw: Any) -> tuple[str, str] | None:
    if raw is None:
        return None
    m = r.mapping(raw, "reporting_period", ("start", "end"), ("start", "end"))
    if m is None:
        return None
    dates = []
    for key in ("start", "end"):
        value = m.get(key)
        try:
            dates.append(dt.date.fromisoformat(str(value)))
        except ValueError:
            r.error(join("reporting_period", key), "must be a date YYYY-MM-DD")
    if len(dates) != 2:
        return None
    if dates[1] < dates[0]:
        r.error("reporting_period.end", "must not be before start")
        return None
    return dates[0].isoformat(), dates[1].isoformat()


def _options(r: Reader, raw: Any, definitive: bool, period: tuple[str, str] | None) -> Options:
    keys = (
        "waste_gas_electricity",
        "see_decimal_places",
        "import_from_rounded_see",
        "markup_year",
        "apply_default_markup",
        "require_verified_supplier_values",
    )
    m = r.mapping(raw, "options", keys)
    year = max(2026, int(period[1][:4])) if period else 2026
    if m is None:
        return Options(markup_year=year, require_verified_supplier_values=definitive)
    wg = r.choice(m, "waste_gas_electricity", "options", [x.value for x in WasteGasElectricity])
    places = r.integer(m, "see_decimal_places", "options", 0, 5)
    markup_year = r.integer(m, "markup_year", "options", 2026, 2100)
    return Options(
        waste_gas_electricity=WasteGasElectricity(wg or WasteGasElectricity.EL_PROD_DEDUCTION),
        see_decimal_places=5 if places is None else places,
        import_from_rounded_see=r.boolean(m, "import_from_rounded_see", "options", True),
        markup_year=markup_year or year,
        apply_default_markup=r.boolean(m, "apply_default_markup", "options", True),
        require_verified_supplier_values=r.boolean(
            m, "require_verified_supplier_values", "options", definitive
        ),
    )


def _ids(items: Any, base: str) -> Iterable[tuple[str, str]]:
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                yield item["id"], join(join(base, i), "id")


def _nested(root: Mapping[str, Any], key: str, sub: str) -> Iterable[tuple[str, str]]:
    items = root.get(key)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                yield from _ids(item.get(sub), join(join(key, i), sub))


def _check_unique_ids(r: Reader, root: Mapping[str, Any]) -> None:
    groups: list[list[tuple[str, str]]] = [
        list(_ids(root.get("processes"), "processes")),
        list(_ids(root.get("source_streams"), "source_streams")),
        list(_nested(root, "processes", "goods")),
        list(_ids(root.get("products"), "products")),
    ]
    for key in ("heat", "waste_gases", "electricity"):
        section = root.get(key)
        if isinstance(section, Mapping):
            groups.append(
                [x for sub, items in section.items() for x in _ids(items, join(key, sub))]
            )
    for group in groups:
        counts = Counter(i for i, _ in group)
        seen: set[str] = set()
        for ident, path in group:
            if counts[ident] > 1 and ident in seen:
                r.error(path, f"duplicate id '{ident}'")
            seen.add(ident)
