"""Property tests of issue 3 "Done when" (hypothesis)."""

from __future__ import annotations

from copy import deepcopy
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from calc import CalcResult, SupplierKey, SupplierValue
from tests.calc.factories import q, run

D = Decimal
amounts = st.decimals(min_value=D("0.001"), max_value=D("100000"), places=3)
fractions = st.decimals(min_value=D(0), max_value=D(1), places=2)
CN = ["7208 51 20", "7207 12 10", "2523 29 00", "2808 00 00", "2804 10 00", "7601 10 00"]


@st.composite
def shares(draw: st.DrawFn, pids: list[str]) -> list[dict[str, Any]]:
    cuts = sorted(
        draw(st.lists(st.integers(0, 100), min_size=len(pids) - 1, max_size=len(pids) - 1))
    )
    bounds = [0, *cuts, 100]
    return [
        {"process": p, "share": {"value": bounds[i + 1] - bounds[i], "unit": "%"}}
        for i, p in enumerate(pids)
    ]


@st.composite
def installations(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 3))
    pids = [f"p{i}" for i in range(n)]
    processes = []
    for i, pid in enumerate(pids):
        cn = draw(st.sampled_from(["7208 51 20", "2804 10 00", "7601 10 00"]))
        goods = [
            {"id": f"g{i}-{j}", "cn_code": cn, "activity_level": q(draw(amounts), "t")}
            for j in range(draw(st.integers(1, 2)))
        ]
        precursors = [
            {
                "id": f"x{i}",
                "kind": "purchased",
                "cn_code": "7207 12 10",
                "country": "KR",
                "mass": q(draw(amounts), "t"),
                "see": {
                    "direct": str(draw(amounts)),
                    "indirect": str(draw(amounts)),
                    "unit": "t CO2e/t",
                    "source_id": f"s{i}",
                    "verified": True,
                },
            }
        ]
        if i > 0 and draw(st.booleans()):
            precursors.append(
                {
                    "id": f"own{i}",
                    "kind": "own",
                    "from_process": pids[i - 1],
                    "mass": q(draw(amounts), "t"),
                }
            )
        processes.append({"id": pid, "goods": goods, "precursors": precursors})
    streams = []
    for k in range(draw(st.integers(1, 4))):
        stream = draw(st.sampled_from(["combustion", "mass_balance", "process"]))
        base: dict[str, Any] = {"id": f"s{k}", "attribution": draw(shares(pids))}
        if stream == "combustion":
            base.update(
                method="combustion",
                fuel_quantity=q(draw(amounts), "t"),
                ncv=q(draw(amounts), "GJ/t"),
                emission_factor=q(draw(amounts), "t CO2/TJ"),
                biomass_fraction=draw(fractions),
            )
        elif stream == "mass_balance":
            base.update(
                method="mass_balance",
                activity_data=q(draw(amounts), "t"),
                carbon_content=q(draw(fractions), "t C/t"),
            )
        else:
            base.update(
                method="process",
                activity_data=q(draw(amounts), "t"),
                emission_factor=q(draw(amounts), "t CO2/t"),
                purity=draw(fractions),
            )
        streams.append(base)
    consumption = [
        {
            "id": "grid",
            "quantity": q(draw(amounts), "MWh"),
            "source": "grid",
            "emission_factor": q(draw(fractions), "t CO2/MWh"),
            "attribution": draw(shares(pids)),
        }
    ]
    return {
        "regime": draw(st.sampled_from(["transitional", "definitive"])),
        "installation": {"id": "i", "name": "i", "country": "KR"},
        "reporting_period": {"start": "2026-01-01", "end": "2026-12-31"},
        "source_streams": streams,
        "electricity": {"consumption": consumption},
        "processes": processes,
    }


def see_by_good(result: CalcResult) -> dict[str, tuple[Decimal, Decimal]]:
    return {
        g.id: (g.see_direct_t_co2e_per_t, g.see_indirect_counted_t_co2e_per_t) for g in result.goods
    }


@settings(max_examples=60, deadline=None)
@given(installations())
def test_attribution_when_any_shares_sums_to_installation_emissions(data: dict[str, Any]) -> None:
    result = run(data)
    assert sum(p.dir_em_star_t_co2e for p in result.processes) == result.direct_emissions_t_co2e


def _scaled(data: dict[str, Any], k: int) -> dict[str, Any]:
    out = deepcopy(data)
    for s in out["source_streams"]:
        key = "fuel_quantity" if s["method"] == "combustion" else "activity_data"
        s[key]["value"] *= k
    out["electricity"]["consumption"][0]["quantity"]["value"] *= k
    for p in out["processes"]:
        for g in p["goods"]:
            g["activity_level"]["value"] *= k
        for x in p["precursors"]:
            x["mass"]["value"] *= k
    return out


@settings(max_examples=60, deadline=None)
@given(installations(), st.integers(2, 1000))
def test_see_when_activity_and_production_scaled_by_k_is_unchanged(
    data: dict[str, Any], k: int
) -> None:
    before, after = see_by_good(run(data)), see_by_good(run(_scaled(data, k)))
    for gid, (d, i) in before.items():
        assert abs(after[gid][0] - d) <= abs(d) * D("1e-30")
        assert abs(after[gid][1] - i) <= abs(i) * D("1e-30")


@settings(max_examples=60, deadline=None)
@given(installations())
def test_precursor_when_see_is_zero_contributes_zero(data: dict[str, Any]) -> None:
    key = SupplierKey("did:web:zero", "p")
    zero = SupplierValue("z", "1", see_direct=D(0), see_indirect=D(0), verified=True)
    with_zero = deepcopy(data)
    with_zero["processes"][0]["precursors"].append(
        {
            "id": "zero",
            "kind": "purchased",
            "cn_code": "7207 12 10",
            "mass": q("500", "t"),
            "supplier": {"participant_id": "did:web:zero", "product_id": "p"},
        }
    )
    result = run(with_zero, supplier_values={key: zero})
    contribution = next(x for x in result.processes[0].precursors if x.id == "zero")
    assert contribution.contribution_direct_t_co2e == 0
    assert contribution.contribution_indirect_t_co2e == 0
    assert see_by_good(result) == see_by_good(run(data))


@settings(max_examples=60, deadline=None)
@given(installations(), amounts, st.integers(0, 2))
def test_see_when_non_negative_emission_added_never_decreases(
    data: dict[str, Any], extra: Decimal, p: int
) -> None:
    more = deepcopy(data)
    pid = more["processes"][min(p, len(more["processes"]) - 1)]["id"]
    more["source_streams"].append(
        {
            "id": "extra",
            "method": "measurement",
            "gas": "CO2",
            "emissions": q(extra, "t"),
            "process": pid,
        }
    )
    before, after = see_by_good(run(data)), see_by_good(run(more))
    for gid, (d, i) in before.items():
        assert after[gid][0] >= d
        assert after[gid][1] == i


@settings(max_examples=60, deadline=None)
@given(installations(), st.randoms(use_true_random=False))
def test_results_when_input_order_shuffled_are_identical(data: dict[str, Any], rnd: Any) -> None:
    shuffled = deepcopy(data)
    rnd.shuffle(shuffled["source_streams"])
    rnd.shuffle(shuffled["processes"])
    for p in shuffled["processes"]:
        rnd.shuffle(p["goods"])
        rnd.shuffle(p["precursors"])
    a, b = run(data), run(shuffled)
    assert see_by_good(a) == see_by_good(b)
    assert a.direct_emissions_t_co2e == b.direct_emissions_t_co2e
