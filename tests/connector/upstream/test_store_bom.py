"""Supplier lines kept only in the product store (issue 7, item 1): resolved like an
installation file's lines, composed into the product's PCF, flagged the same way, and resolved
once when the installation file names the same supplier product."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

from connector.calculation.installation import import_installation
from connector.calculation.models import ComputedFootprintRow
from connector.calculation.recompute import products_using, recompute_store_products
from connector.context import NodeContext
from connector.outcome import Ok
from connector.products import get_submodel_json
from connector.products.service import import_file
from connector.upstream import verify_submodel
from connector.upstream._lines import UpstreamLine
from connector.upstream._outcomes import FailureCode, Fetched, FetchProblem
from connector.upstream.service import resolve_product
from tests.connector.upstream._signer import KeyRing
from tests.connector.upstream.conftest import OUR_DID, published

MILL = "did:web:127.0.0.1%3A9102"
FASTENER = "did:web:127.0.0.1%3A9103"
PANELS = "did:web:127.0.0.1%3A9104"
D = Decimal
PERIOD = {"periodStart": "2026-01-01T00:00:00Z", "periodEnd": "2027-01-01T00:00:00Z"}


def _footprint(product: str, pcf: str, phases: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "product": product,
        "pcfKgCo2e": pcf,
        "methods": ["ISO 14067"],
        "lifeCyclePhases": phases,
        "publish": False,
        **PERIOD,
        **extra,
    }


def _store(
    bom: list[dict[str, Any]], own_phases: tuple[str, ...] = ("A3 - production",), **more: Any
) -> dict[str, Any]:
    products = [{"id": "hub", "name": "Wheel-hub module", "unit": "piece"}]
    products += more.get("products", [])
    footprints = [_footprint("hub", "12.5", list(own_phases)), *more.get("footprints", [])]
    return {"products": products, "bom": bom, "footprints": footprints}


COIL_LINE = {
    "product": "hub",
    "component": "coil",
    "quantity": "6.2",
    "unit": "kg",
    "supplier": MILL,
    "supplierProductId": "coil",
}
BOLTS_LINE = {
    "product": "hub",
    "component": "bolts",
    "quantity": "0.4",
    "unit": "kg",
    "supplier": FASTENER,
    "supplierProductId": "bolts",
}


async def _import(context: NodeContext, document: dict[str, Any]) -> None:
    imported = await import_file(context, json.dumps(document).encode(), "products.json")
    assert isinstance(imported, Ok), imported


class Suppliers:
    """A fake exchange: signed submodels (or problems) per supplier, and the calls made."""

    def __init__(self, ring: KeyRing, table: dict[str, Any]) -> None:
        self.ring, self.table, self.calls = ring, table, []

    async def __call__(self, line: UpstreamLine) -> Fetched | FetchProblem:
        self.calls.append((line.supplier_did, line.supplier_product_id))
        answer = self.table[line.supplier_did]
        if isinstance(answer, FetchProblem):
            return answer
        product = line.supplier_product_id
        submodel = published(self.ring, line.supplier_did, product, 2, pcf=answer)
        return Fetched(submodel, f"agreement-{product}", f"pcf-{product}", True, True)


async def test_resolve_when_bom_only_in_product_store_composes_pcf_from_supplier_values(
    context: NodeContext, ring: KeyRing
) -> None:
    await _import(context, _store([COIL_LINE, BOLTS_LINE]))
    fetch = Suppliers(ring, {MILL: "2020", FASTENER: "2150"})
    report = await resolve_product(context, "hub", fetch=fetch)
    assert isinstance(report, Ok), report
    value = report.value
    assert sorted(fetch.calls) == [(MILL, "coil"), (FASTENER, "bolts")]
    assert [(o.line.supplier_product_id, o.status.value, o.line.refs) for o in value.lines] == [
        ("coil", "received", ("product-store.bom[hub][1]",)),
        ("bolts", "received", ("product-store.bom[hub][2]",)),
    ]
    expected = D("12.5") + D("6.2") * D("2020") / 1000 + D("0.4") * D("2150") / 1000
    assert D(value.result["pcf"]["pcfKgCo2e"]) == expected
    assert (value.error, value.published_version) == (None, 2)
    assert value.breakdown["flags"] == {"default": [], "stale": []}
    rows = value.breakdown["precursors"]["pcf"]
    assert [(r["line"], r["source"], r["supplier"]) for r in rows] == [
        ("coil", "supplier", MILL),
        ("bolts", "supplier", FASTENER),
    ]
    served = json.loads(
        await get_submodel_json(context, "urn:carbonspace:127.0.0.1%3A8080:sm:cf:hub") or "{}"
    )
    verified = await verify_submodel(ring.signer(OUR_DID), served, OUR_DID)
    assert isinstance(verified, Ok)
    assert [(p.supplier_did, p.product_id) for p in verified.value.provenance.precursors] == [
        (MILL, "coil"),
        (FASTENER, "bolts"),
    ]


async def test_resolve_when_store_supplier_down_uses_own_estimate_flagged_default(
    context: NodeContext, ring: KeyRing
) -> None:
    estimate = {
        "products": [{"id": "coil", "name": "Coil (our estimate)", "unit": "t"}],
        "footprints": [_footprint("coil", "2500", ["A1-A3"])],
    }
    await _import(context, _store([COIL_LINE], **estimate))
    down = FetchProblem(FailureCode.UNREACHABLE, "connection refused")
    report = await resolve_product(context, "hub", fetch=Suppliers(ring, {MILL: down}))
    assert isinstance(report, Ok)
    (coil,) = report.value.lines
    assert (coil.status.value, coil.reason_code) == ("default", "unreachable")
    assert report.value.breakdown["flags"]["default"] == [f"{MILL}#coil"]
    assert D(report.value.result["pcf"]["pcfKgCo2e"]) == D("12.5") + D("6.2") * D("2.5")
    assert report.value.to_json()["flagged"][0]["reasonCode"] == "unreachable"


async def test_resolve_when_store_supplier_down_without_estimate_names_the_bom_line(
    context: NodeContext, ring: KeyRing
) -> None:
    await _import(context, _store([COIL_LINE]))
    down = FetchProblem(FailureCode.POLICY_DENIED, "no offer we can satisfy")
    report = await resolve_product(context, "hub", fetch=Suppliers(ring, {MILL: down}))
    assert isinstance(report, Ok)
    assert report.value.lines[0].reason_code == "policy_denied"
    assert report.value.published_version is None
    assert report.value.error == (
        "product-store.bom[hub][1]: no footprint for this component (no supplier value, no pcf)"
    )


async def test_resolve_when_imported_footprint_is_cradle_to_gate_refuses_to_count_twice(
    context: NodeContext, ring: KeyRing
) -> None:
    await _import(context, _store([COIL_LINE], own_phases=("A1-A3",)))
    report = await resolve_product(context, "hub", fetch=Suppliers(ring, {MILL: "2020"}))
    assert isinstance(report, Ok)
    assert report.value.lines[0].status.value == "received"
    assert report.value.published_version is None
    assert report.value.error == (
        "product hub: imported footprint version 1 covers A1-A3, which already contains its "
        "components: import its own production emissions as a footprint with lifeCyclePhases "
        '["A3 - production"] (and "publish": false) to compose it from its bill of materials'
    )


async def test_resolve_when_store_line_has_no_supplier_uses_our_component_footprint(
    context: NodeContext, ring: KeyRing
) -> None:
    internal = {"product": "hub", "component": "bracket", "quantity": "2", "unit": "piece"}
    bracket = {
        "products": [{"id": "bracket", "name": "Bracket", "unit": "piece"}],
        "footprints": [_footprint("bracket", "0.75", ["A1-A3"])],
    }
    await _import(context, _store([COIL_LINE, internal], **bracket))
    report = await resolve_product(context, "hub", fetch=Suppliers(ring, {MILL: "2020"}))
    assert isinstance(report, Ok)
    assert [o.line.supplier_product_id for o in report.value.lines] == ["coil"]
    expected = D("12.5") + D("6.2") * D("2.02") + D("2") * D("0.75")
    assert D(report.value.result["pcf"]["pcfKgCo2e"]) == expected


def _file(product: str, supplier: str, supplier_product: str) -> dict[str, Any]:
    component = {
        "id": "panel",
        "quantity": {"value": "0.5", "unit": "kg"},
        "supplier": {"participant_id": supplier, "product_id": supplier_product},
        "pcf": {"value": "2", "unit": "kg CO2e/kg", "data_type": "secondary"},
    }
    return {
        "format": "carbonspace-calc/1",
        "regime": "definitive",
        "installation": {"id": "inst-frames", "name": "Frames", "country": "KR"},
        "reporting_period": {"start": "2026-01-01", "end": "2026-12-31"},
        "products": [
            {
                "id": product,
                "name": product,
                "declared_unit": "kg",
                "gate_to_gate": {"value": "1", "unit": "kg CO2e/kg"},
                "components": [component],
            }
        ],
    }


async def test_resolve_when_file_and_store_name_the_same_supplier_line_fetches_it_once(
    context: NodeContext, ring: KeyRing
) -> None:
    assert isinstance(await import_installation(context, _file("frame", PANELS, "panel")), Ok)
    line = {"product": "frame", "component": "panel", "quantity": "0.5", "unit": "kg"}
    store = {
        "products": [{"id": "frame", "name": "Frame", "unit": "kg"}],
        "bom": [{**line, "supplier": PANELS, "supplierProductId": "panel"}],
    }
    await _import(context, store)
    fetch = Suppliers(ring, {PANELS: "3000"})
    report = await resolve_product(context, "frame", fetch=fetch)
    assert isinstance(report, Ok)
    assert fetch.calls == [(PANELS, "panel")]
    (panel,) = report.value.lines
    assert panel.line.refs == ("products[0].components[0]", "product-store.bom[frame][1]")
    assert D(report.value.result["pcf"]["pcfKgCo2e"]) == D("1") + D("0.5") * D("3")
    assert report.value.error is None


async def test_resolve_when_store_line_is_missing_from_the_file_reports_it_unused(
    context: NodeContext, ring: KeyRing
) -> None:
    assert isinstance(await import_installation(context, _file("frame", PANELS, "panel")), Ok)
    extra = {
        "product": "frame",
        "component": "paint",
        "quantity": "0.1",
        "unit": "kg",
        "supplier": MILL,
        "supplierProductId": "paint",
    }
    await _import(context, {"products": [{"id": "frame", "name": "Frame", "unit": "kg"}],
                            "bom": [extra]})  # fmt: skip
    fetch = Suppliers(ring, {PANELS: "3000"})
    report = await resolve_product(context, "frame", fetch=fetch)
    assert isinstance(report, Ok)
    assert fetch.calls == [(PANELS, "panel")]
    assert report.value.error == (
        f"product-store.bom[frame][1]: supplier product {MILL}#paint is not in installation "
        "file inst-frames, which computes frame: not used (add it to the file's components, "
        "or remove it from the product store)"
    )


async def test_products_using_when_store_bom_names_the_supplier_product_lists_it(
    context: NodeContext,
) -> None:
    await _import(context, _store([COIL_LINE, BOLTS_LINE]))
    assert await products_using(context, MILL, "coil") == [("product-store", "hub")]
    assert await products_using(context, MILL, "bolts") == []


async def test_resolve_when_product_has_no_supplier_anywhere_is_not_found(
    context: NodeContext,
) -> None:
    await _import(context, _store([]))
    report = await resolve_product(context, "hub", fetch=Suppliers(KeyRing(), {}))
    assert not isinstance(report, Ok)
    assert report.detail == (
        "product hub: no imported installation file links it and its product-store bill of "
        "materials names no supplier"
    )


async def test_recompute_store_products_when_own_footprint_reimported_publishes_new_value(
    context: NodeContext, ring: KeyRing
) -> None:
    await _import(context, _store([COIL_LINE]))
    first = await resolve_product(context, "hub", fetch=Suppliers(ring, {MILL: "2020"}))
    assert isinstance(first, Ok) and first.value.published_version == 2
    await _import(context, {"footprints": [_footprint("hub", "13", ["A3 - production"])]})
    (done,) = await recompute_store_products(context)
    assert (done.product_id, done.version, done.published) == ("hub", 4, True)
    assert D(done.result["pcf"]["pcfKgCo2e"]) == D("13") + D("6.2") * D("2.02")
    assert await recompute_store_products(context) == (replace(done, published=False),)


def _bracket(product_id: str = "bracket") -> dict[str, Any]:
    """A product of ours with its own production footprint (composed once a BOM names it)."""
    return {
        "products": [{"id": product_id, "name": "Bracket", "unit": "piece"}],
        "footprints": [_footprint(product_id, "0.5", ["A3 - production"])],
    }


HUB_USES_BRACKET = {"product": "hub", "component": "bracket", "quantity": "2", "unit": "piece"}
SHEET_LINE = {
    "product": "bracket",
    "component": "sheet",
    "quantity": "0.3",
    "unit": "kg",
    "supplier": PANELS,
    "supplierProductId": "sheet",
}


async def _computed_pcf(context: NodeContext, product_id: str) -> tuple[int, Decimal]:
    async with context.database.session() as session:
        row = await session.get(ComputedFootprintRow, product_id)
    assert row is not None
    return row.version, D(row.result["pcf"]["pcfKgCo2e"])


async def test_resolve_when_our_composed_component_changes_recomposes_the_product_using_it(
    context: NodeContext, ring: KeyRing
) -> None:
    await _import(context, _store([COIL_LINE, HUB_USES_BRACKET, SHEET_LINE], **_bracket()))
    fetch = Suppliers(ring, {MILL: "2020", PANELS: "1000"})
    assert isinstance(await resolve_product(context, "bracket", fetch=fetch), Ok)
    assert isinstance(await resolve_product(context, "hub", fetch=fetch), Ok)
    version, pcf = await _computed_pcf(context, "hub")
    assert pcf == D("12.5") + D("6.2") * D("2.02") + 2 * (D("0.5") + D("0.3"))
    fetch.table[PANELS] = "2000"  # the panel supplier's new value reaches the bracket only
    changed = await resolve_product(context, "bracket", fetch=fetch)
    assert isinstance(changed, Ok)
    assert D(changed.value.result["pcf"]["pcfKgCo2e"]) == D("0.5") + D("0.6")
    assert await _computed_pcf(context, "hub") == (
        version + 1,
        D("12.5") + D("6.2") * D("2.02") + 2 * (D("0.5") + D("0.6")),
    )
    unchanged = await resolve_product(context, "bracket", fetch=fetch)
    assert isinstance(unchanged, Ok)
    assert (await _computed_pcf(context, "hub"))[0] == version + 1


async def test_recompute_store_products_when_both_changed_composes_our_component_first(
    context: NodeContext, ring: KeyRing
) -> None:
    # "bracket" < "hub" by id: name the component so that id order would compute it last.
    uses = {**HUB_USES_BRACKET, "component": "zbracket"}
    await _import(
        context,
        _store([COIL_LINE, uses, {**SHEET_LINE, "product": "zbracket"}], **_bracket("zbracket")),
    )
    fetch = Suppliers(ring, {MILL: "2020", PANELS: "1000"})
    assert isinstance(await resolve_product(context, "zbracket", fetch=fetch), Ok)
    assert isinstance(await resolve_product(context, "hub", fetch=fetch), Ok)
    await _import(context, {"footprints": [_footprint("zbracket", "0.7", ["A3 - production"])]})
    done = await recompute_store_products(context)
    assert [d.product_id for d in done] == ["zbracket", "hub"]
    assert (await _computed_pcf(context, "hub"))[1] == (
        D("12.5") + D("6.2") * D("2.02") + 2 * (D("0.7") + D("0.3"))
    )
