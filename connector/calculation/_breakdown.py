"""A product's computed figures, its breakdown by precursor and by supply-chain tier
(issue 7, item 5): node-internal view for `carbonspace resolve`, plus the tier profile that
goes into the published provenance (aggregates only, no activity data).

Tier 0 is the node's own contribution; a supplier value contributes its own tier profile
shifted by one tier (or all at tier 1 when it publishes none). Defaults and secondary data sit
at tier 1, flagged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calc import CalcResult, GoodResult, PcfResult, Source, SourceKind

SUPPLIED = "supplied at compute time"
Profile = tuple[Decimal, ...]
_ZERO = Decimal(0)


def num(value: Decimal) -> str:
    """Exact decimal text without exponent or trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _add(profile: list[Decimal], tier: int, value: Decimal) -> None:
    while len(profile) <= tier:
        profile.append(_ZERO)
    profile[tier] += value


def _shifted(profile: list[Decimal], supplier: Profile, total: Decimal) -> None:
    """Spread a supplier line's contribution over tiers in proportion to the supplier's own
    tier profile (unit-free: only the shares matter)."""
    whole = sum(supplier, _ZERO)
    if not supplier or whole == 0:
        _add(profile, 1, total)
        return
    for tier, part in enumerate(supplier):
        _add(profile, tier + 1, total * part / whole)


def supplier_of(source: Source) -> tuple[str, str] | None:
    """(participant id, product id) of a value supplied by the resolver, else None."""
    if source.kind is not SourceKind.SUPPLIER or source.reference != SUPPLIED:
        return None
    detail = dict(source.detail)
    did, product = detail.get("supplier_participant_id"), detail.get("supplier_product_id")
    return (did, product) if did and product else None


@dataclass(frozen=True)
class ProductFigures:
    """What one product of ours computes to: SEE (CBAM goods) and PCF (BOM product)."""

    good: GoodResult | None
    pcf: PcfResult | None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.good is not None:
            g = self.good
            out["see"] = {
                "cnCode": g.cn_code,
                "directTCo2ePerT": num(g.see_direct_reported),
                "indirectTCo2ePerT": num(g.see_indirect_reported),
                "totalTCo2ePerT": num(g.see_total_reported),
                "precursorsDirectTCo2ePerT": num(g.precursors_direct_t_co2e_per_t),
                "defaultShare": num(g.default_share_of_total),
            }
        if self.pcf is not None:
            out["pcf"] = {
                "declaredUnit": self.pcf.declared_unit,
                "pcfKgCo2e": num(self.pcf.pcf_kg_co2e),
                "ownKgCo2e": num(self.pcf.own_kg_co2e),
                "primaryDataShare": num(self.pcf.primary_data_share),
            }
        return out


def product_figures(result: CalcResult, items: Sequence[str]) -> ProductFigures:
    good = next((g for g in result.goods if g.id in items), None)
    pcf = next((p for p in result.products if p.id in items), None)
    return ProductFigures(good, pcf)


def pcf_lines(
    pcf: PcfResult, profiles: Mapping[tuple[str, str], Profile]
) -> tuple[list[dict[str, Any]], Profile]:
    """Per-line contributions of a BOM product and its PCF tier profile."""
    profile: list[Decimal] = [pcf.own_kg_co2e]
    lines = []
    for c in pcf.components():
        supplier = supplier_of(c.source)
        kind = "supplier" if supplier else c.source.kind.value
        if supplier is not None:
            _shifted(profile, profiles.get(supplier, ()), c.contribution_kg_co2e)
        else:
            _add(
                profile,
                1 if c.source.kind is not SourceKind.OWN_DATA else 0,
                c.contribution_kg_co2e,
            )
        lines.append(
            {
                "line": c.id,
                "source": kind,
                "supplier": supplier[0] if supplier else None,
                "supplierProductId": supplier[1] if supplier else None,
                "version": dict(c.source.detail).get("version"),
                "quantity": num(c.quantity),
                "unit": c.unit,
                "contributionKgCo2e": num(c.contribution_kg_co2e),
            }
        )
    return lines, tuple(profile)


def see_lines(
    result: CalcResult, good: GoodResult, profiles: Mapping[tuple[str, str], Profile]
) -> tuple[list[dict[str, Any]], Profile]:
    """Per-precursor contributions to a good's SEE (per t of good) and its SEE tier profile."""
    process = next(p for p in result.processes if p.id == good.process_id)
    own = good.attributed_direct_t_co2e_per_t
    if good.indirect_counted:
        own += good.attributed_indirect_t_co2e_per_t
    profile: list[Decimal] = [own]
    lines = []
    for x in process.precursors:
        per_t = x.contribution_direct_t_co2e
        if x.indirect_counted:
            per_t += x.contribution_indirect_t_co2e
        per_t = per_t / process.activity_level * good.fu_per_t if process.activity_level else _ZERO
        supplier = supplier_of(x.source)
        if supplier is not None:
            _shifted(profile, profiles.get(supplier, ()), per_t)
        else:
            _add(profile, 0 if x.data_type in ("own_process", "zero_rated") else 1, per_t)
        lines.append(
            {
                "line": x.id,
                "source": "supplier" if supplier else x.data_type,
                "supplier": supplier[0] if supplier else None,
                "supplierProductId": supplier[1] if supplier else None,
                "version": dict(x.source.detail).get("version"),
                "specificMass": num(x.specific_mass),
                "contributionTCo2ePerT": num(per_t),
            }
        )
    return lines, tuple(profile)
