"""Reading production processes, goods and precursors; precursor-cycle check.

Processes and functional units: 2025/2547 Art. 4 and Annex I; activity level Annex II F;
precursors Annex III B, Art. 13-15 (CALC.md sections 3, 9, 10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from calc import _units as u
from calc._categories import functional_unit, goods_category
from calc._model import ExcludedOutput, Good, Precursor, Process, SupplierKey, SupplierValue
from calc._parse_base import Reader, join, to_decimal

CN_PATTERN = r"[0-9]{4}( ?[0-9]{2}){0,3}"
COUNTRY_PATTERN = r"[A-Z]{2}"
_SEE_UNITS = {f"t CO2e/{fu}": fu for fu in u.FUNCTIONAL_UNIT_AMOUNTS}


def fu_of(unit: str) -> str:
    """The functional unit whose amounts may be written in `unit` ("kg" -> "t")."""
    return next(fu for fu, group in u.FUNCTIONAL_UNIT_AMOUNTS.items() if unit in group)


def cn_text(r: Reader, m: Mapping[str, Any], path: str) -> str | None:
    """The CN code at `m["cn_code"]`; an unquoted YAML number is accepted as its digits."""
    value = m.get("cn_code")
    if isinstance(value, int) and not isinstance(value, bool):
        m = {**m, "cn_code": str(value)}
    return r.text(m, "cn_code", path, CN_PATTERN)


def cn(text: str) -> str:
    return text.replace(" ", "")


def process_ids_of(root: Mapping[str, Any]) -> list[str]:
    items = root.get("processes")
    if not isinstance(items, list):
        return []
    return [p["id"] for p in items if isinstance(p, Mapping) and isinstance(p.get("id"), str)]


def read_processes(r: Reader, root: Mapping[str, Any], definitive: bool) -> tuple[Process, ...]:
    keys = (
        "id",
        "name",
        "goods",
        "precursors",
        "joint_process",
        "non_cbam",
        "internal_precursors",
        "excluded_outputs",
    )
    processes: list[Process] = []
    for item, path in r.items(root, "processes", ""):
        m = r.mapping(item, path, keys, ("id",))
        if m is None:
            continue
        before = len(r.errors)
        pid = r.text(m, "id", path)
        non_cbam = r.boolean(m, "non_cbam", path, False)
        goods = tuple(g for i, p in r.items(m, "goods", path) if (g := _good(r, i, p)))
        _check_goods(r, m, path, goods, non_cbam, definitive)
        precursors = tuple(
            x for i, p in r.items(m, "precursors", path) if (x := _precursor(r, i, p, definitive))
        )
        if non_cbam and precursors:
            r.error(join(path, "precursors"), "a non-CBAM process has no precursors")
        internal = _outputs(r, m, "internal_precursors", path, with_kind=False)
        excluded = _outputs(r, m, "excluded_outputs", path, with_kind=True)
        if pid is None or len(r.errors) != before:
            continue
        processes.append(
            Process(
                pid,
                path,
                str(m.get("name") or pid),
                goods,
                precursors,
                r.boolean(m, "joint_process", path, False),
                non_cbam,
                internal,
                excluded,
            )
        )
    _check_process_graph(r, processes, definitive)
    return tuple(processes)


def _good(r: Reader, item: Any, path: str) -> Good | None:
    keys = ("id", "cn_code", "name", "activity_level", "clinker_content", "nitrogen_content")
    m = r.mapping(item, path, keys, ("id", "cn_code", "activity_level"))
    if m is None:
        return None
    before = len(r.errors)
    gid = r.text(m, "id", path)
    code = cn_text(r, m, path)
    al = r.quantity(m, "activity_level", path, u.MASS_T)
    clinker = r.fraction(m, "clinker_content", path)
    nitrogen = r.quantity(m, "nitrogen_content", path, u.NITROGEN_KG_PER_T)
    if code is not None and goods_category(cn(code)) is None:
        r.error(join(path, "cn_code"), f"CN code {code} is not a CBAM good (Annex I, 2023/956)")
    if gid is None or code is None or al is None or len(r.errors) != before:
        return None
    return Good(
        gid,
        path,
        cn(code),
        str(m.get("name") or gid),
        al[0],
        clinker,
        None if nitrogen is None else nitrogen[0],
    )


def good_fu_amount(good: Good, fu: str) -> Decimal | None:
    """Activity level of a good in functional units (Eq. 64-66 read backwards)."""
    if fu == "t clinker":
        share = Decimal(1) if good.cn_code.startswith("252310") else good.clinker_content
        return None if share is None else good.activity_level_t * share
    if fu == "kg N":
        n = good.nitrogen_content_kg_per_t
        return None if n is None else good.activity_level_t * n
    return good.activity_level_t


def _check_goods(
    r: Reader,
    m: Mapping[str, Any],
    path: str,
    goods: Sequence[Good],
    non_cbam: bool,
    definitive: bool,
) -> None:
    if non_cbam:
        if goods:
            r.error(join(path, "goods"), "a non-CBAM process has no CBAM goods")
        return
    if not goods:
        if "goods" not in m:
            r.error(join(path, "goods"), "required value is missing (or set non_cbam: true)")
        return
    categories = {goods_category(g.cn_code) for g in goods}
    units = {functional_unit(g.cn_code, definitive) for g in goods}
    if len(categories) > 1 or len(units) > 1:
        r.error(
            join(path, "goods"),
            "goods of one production process must share one aggregated "
            "goods category and functional unit (2025/2547 Art. 4)",
        )
        return
    fu = units.pop()
    total = Decimal(0)
    for good in goods:
        amount = good_fu_amount(good, fu)
        if amount is None:
            key = "clinker_content" if fu == "t clinker" else "nitrogen_content"
            r.error(join(good.ref, key), f"required: the functional unit is {fu} (Art. 4)")
            return
        total += amount
    if total <= 0:
        r.error(join(path, "goods"), "activity level must be greater than 0 (Annex II F)")


def _outputs(
    r: Reader, m: Mapping[str, Any], key: str, path: str, with_kind: bool
) -> tuple[ExcludedOutput, ...]:
    out: list[ExcludedOutput] = []
    kinds = ("off_spec", "by_product", "waste", "scrap")
    for item, p in r.items(m, key, path):
        o = r.mapping(
            item,
            p,
            ("name", "kind", "mass") if with_kind else ("name", "mass"),
            ("name", "kind", "mass") if with_kind else ("name", "mass"),
        )
        if o is None:
            continue
        name = r.text(o, "name", p)
        kind = r.choice(o, "kind", p, kinds) if with_kind else "internal_precursor"
        mass = r.quantity(o, "mass", p, u.MASS_T)
        if name is not None and kind is not None and mass is not None:
            out.append(ExcludedOutput(name, kind, mass[0]))
    return tuple(out)


_PRECURSOR_KEYS = (
    "id",
    "kind",
    "mass",
    "from_process",
    "cn_code",
    "country",
    "origin",
    "supplier",
    "see",
    "name",
)


def _precursor(r: Reader, item: Any, path: str, definitive: bool) -> Precursor | None:
    kind = item.get("kind") if isinstance(item, Mapping) else None
    required = (
        "id",
        "kind",
        "mass",
        *(("from_process",) if kind == "own" else ()),
        *(("cn_code",) if kind == "purchased" else ()),
    )
    m = r.mapping(item, path, _PRECURSOR_KEYS, required)
    if m is None:
        return None
    before = len(r.errors)
    xid = r.text(m, "id", path)
    kind = r.choice(m, "kind", path, ("own", "purchased"))
    amounts = {k: v for group in u.FUNCTIONAL_UNIT_AMOUNTS.values() for k, v in group.items()}
    mass = r.quantity(m, "mass", path, amounts)
    if kind == "own":
        for key in ("cn_code", "country", "origin", "supplier", "see"):
            if key in m:
                r.error(join(path, key), "only for purchased precursors")
        src = r.text(m, "from_process", path)
        if xid is None or mass is None or src is None or len(r.errors) != before:
            return None
        return Precursor(xid, path, "own", mass[0], fu_of(mass[1]), from_process=src)
    if "from_process" in m:
        r.error(join(path, "from_process"), "only for own precursors")
    return _purchased(r, m, path, definitive, xid, mass, before)


def _purchased(
    r: Reader,
    m: Mapping[str, Any],
    path: str,
    definitive: bool,
    xid: str | None,
    mass: tuple[Decimal, str] | None,
    before: int,
) -> Precursor | None:
    code = cn_text(r, m, path)
    country = r.text(m, "country", path, COUNTRY_PATTERN)
    origin = r.choice(m, "origin", path, ("third_country", "eu", "ets_linked")) or "third_country"
    supplier = read_supplier(r, m, path)
    inline = read_see(r, m, "see", path)
    fu = None
    if code is not None:
        if goods_category(cn(code)) is None:
            r.error(
                join(path, "cn_code"),
                f"CN code {code} is not a CBAM good: not a relevant "
                "precursor (2025/2547 Annex III B)",
            )
        fu = functional_unit(cn(code), definitive)
    if fu is not None and mass is not None:
        if mass[1] in u.MASS_T:
            fu = "t"  # tonnes of product: default values (2025/2621) are per tonne
        elif mass[1] not in u.FUNCTIONAL_UNIT_AMOUNTS[fu]:
            r.error(
                join(join(path, "mass"), "unit"),
                f"unit '{mass[1]}' matches neither tonnes of product nor the precursor's "
                f"functional unit '{fu}'",
            )
            fu = None
    if fu is not None and inline is not None and inline.functional_unit != fu:
        r.error(
            join(join(path, "see"), "unit"),
            f"SEE per '{inline.functional_unit}' does not "
            f"match the precursor's functional unit '{fu}'",
        )
    if xid is None or mass is None or code is None or len(r.errors) != before:
        return None
    return Precursor(
        xid,
        path,
        "purchased",
        mass[0],
        fu_of(mass[1]),
        cn_code=cn(code),
        country=country,
        origin=origin,
        supplier=supplier,
        inline=inline,
    )


def read_supplier(r: Reader, m: Mapping[str, Any], path: str) -> SupplierKey | None:
    if "supplier" not in m:
        return None
    here = join(path, "supplier")
    s = r.mapping(
        m["supplier"], here, ("participant_id", "product_id"), ("participant_id", "product_id")
    )
    if s is None:
        return None
    pid, prod = r.text(s, "participant_id", here), r.text(s, "product_id", here)
    return None if pid is None or prod is None else SupplierKey(pid, prod)


def read_see(r: Reader, m: Mapping[str, Any], key: str, path: str) -> SupplierValue | None:
    """An inline supplier SEE: `{direct, indirect, unit, source_id, version, verified, ...}`."""
    if key not in m:
        return None
    here = join(path, key)
    keys = ("direct", "indirect", "unit", "source_id", "version", "verified", "reporting_period")
    s = r.mapping(m[key], here, keys, ("direct", "unit", "source_id"))
    if s is None:
        return None
    before = len(r.errors)
    values = []
    for name in ("direct", "indirect"):
        value = to_decimal(s.get(name, 0))
        if value is None or value < 0:
            r.error(join(here, name), "must be a non-negative number")
        values.append(value)
    unit = r.choice(s, "unit", here, tuple(_SEE_UNITS))
    source_id = r.text(s, "source_id", here)
    version = r.text(s, "version", here) or "unversioned"
    period = r.text(s, "reporting_period", here)
    verified = r.boolean(s, "verified", here, False)
    if unit is None or source_id is None or len(r.errors) != before:
        return None
    return SupplierValue(
        source_id,
        version,
        values[0],
        values[1],
        _SEE_UNITS[unit],
        verified=verified,
        reporting_period=period,
    )


def process_fu(process: Process, definitive: bool) -> str:
    return functional_unit(process.goods[0].cn_code, definitive) if process.goods else "t"


def _check_process_graph(r: Reader, processes: Sequence[Process], definitive: bool) -> None:
    by_id = {p.id: p for p in processes}
    for p in processes:
        for x in p.precursors:
            if x.kind != "own":
                continue
            src = by_id.get(x.from_process or "")
            here = join(x.ref, "from_process")
            if src is None or src.non_cbam:
                r.error(here, f"unknown CBAM production process '{x.from_process}'")
            elif (
                fu := process_fu(src, definitive)
            ) and x.amount_unit not in u.FUNCTIONAL_UNIT_AMOUNTS[fu]:
                r.error(
                    join(join(x.ref, "mass"), "unit"),
                    f"unit '{x.amount_unit}' does not "
                    f"match the functional unit '{fu}' of process '{src.id}'",
                )
    for cycle_ref, cycle in _cycles(processes):
        r.error(
            cycle_ref,
            "precursor cycle: " + " -> ".join(cycle) + " (Annex III B needs an "
            "acyclic precursor graph)",
        )


def _cycles(processes: Sequence[Process]) -> list[tuple[str, list[str]]]:
    edges = {
        p.id: [
            (x.from_process, join(x.ref, "from_process")) for x in p.precursors if x.kind == "own"
        ]
        for p in processes
    }
    state: dict[str, int] = {}
    found: list[tuple[str, list[str]]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target, ref in edges.get(node, []):
            if target is None or target not in edges:
                continue
            if state.get(target) == 1:
                found.append(
                    (
                        ref,
                        [*stack[stack.index(target) :], node, target]
                        if target in stack
                        else [node, target],
                    )
                )
            elif target not in state:
                visit(target, [*stack, node])
        state[node] = 2

    for pid in edges:
        if pid not in state:
            visit(pid, [])
    return found
