"""Order of recomputation among our own products composed from the product store: a product is
composed after the products of ours it uses (their new value is what it must use)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from connector.calculation.recompute import components_first

PRODUCTS = [f"p{i}" for i in range(8)]


@st.composite
def acyclic_uses(draw: st.DrawFn) -> dict[str, set[str]]:
    """Random "uses" edges between PRODUCTS, each from a product to ones earlier in a random
    order (so no cycle, and an order unrelated to the ids)."""
    ranked = draw(st.permutations(PRODUCTS))
    return {
        product: set(draw(st.lists(st.sampled_from(ranked[:i]), max_size=3))) if i else set()
        for i, product in enumerate(ranked)
    }


@given(acyclic_uses(), st.sets(st.sampled_from(PRODUCTS), min_size=1))
def test_every_product_comes_after_the_ones_it_uses_when_they_are_recomputed_too(
    uses: dict[str, set[str]], wanted: set[str]
) -> None:
    order = components_first(wanted, uses)
    assert sorted(order) == sorted(wanted)
    position = {product: i for i, product in enumerate(order)}

    def reachable(product: str) -> set[str]:
        """What `product` uses, directly or through other wanted products."""
        found, todo = set(), [product]
        while todo:
            for used in uses[todo.pop()] & wanted:
                if used not in found:
                    found.add(used)
                    todo.append(used)
        return found

    for product in wanted:
        for used in reachable(product):
            assert position[used] < position[product], (product, used, order)


def test_cycle_of_our_own_products_is_cut_and_each_is_listed_once_when_present() -> None:
    uses = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    order = components_first(["a", "b", "c", "d"], uses)
    assert sorted(order) == ["a", "b", "c", "d"]
    assert order.index("a") < order.index("d")
