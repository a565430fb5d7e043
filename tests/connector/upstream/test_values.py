"""Reading a supplier's footprint (issue 7, item 1): only a cradle-to-gate value can stand for
a component; a gate-to-gate (A3) value is refused, not silently used."""

from __future__ import annotations

from dataclasses import replace

from aas_models import build_submodel, to_json_dict
from connector.context import NodeContext
from connector.outcome import Failure, Ok
from connector.upstream import Provenance, lineage_hash, sign_submodel
from connector.upstream._lines import UpstreamLine
from connector.upstream._outcomes import Fetched, FetchProblem, LineStatus
from connector.upstream._values import cradle_to_gate, read_supplier_value
from connector.upstream.resolver import resolve_lines
from tests.connector.upstream._signer import KeyRing
from tests.connector.upstream.conftest import footprint

MILL = "did:web:127.0.0.1%3A9102"


def _submodel(phases: tuple[str, ...]) -> dict:
    record = replace(footprint(2, "2020"), life_cycle_phases=phases)
    return to_json_dict(build_submodel("urn:test:coil:cf", record))


def test_cradle_to_gate_when_phases_listed_one_by_one_accepts_them() -> None:
    one_by_one = (
        "A1 - raw material supply (and upstream production)",
        "A2 - cradle-to-gate transport to factory",
        "A3 - production",
    )
    assert [cradle_to_gate(p) for p in (("A1-A3",), one_by_one, ("A3 - production",))] == [
        True,
        True,
        False,
    ]


def test_read_supplier_value_when_gate_to_gate_only_refuses_it() -> None:
    read = read_supplier_value(_submodel(("A3 - production",)))
    assert isinstance(read, Failure)
    assert read.detail == (
        "received footprint covers A3 - production, not cradle to gate (A1-A3): it cannot stand "
        "for the component"
    )
    assert isinstance(read_supplier_value(_submodel(("A1-A3",))), Ok)


async def test_resolve_lines_when_supplier_serves_gate_to_gate_value_flags_invalid_data(
    context: NodeContext, ring: KeyRing
) -> None:
    provenance = Provenance(MILL, "coil", (), frozenset({lineage_hash(MILL, "coil")}))
    signed = sign_submodel(ring.signer(MILL), _submodel(("A3 - production",)), provenance)

    async def fetch(line: UpstreamLine) -> Fetched | FetchProblem:
        return Fetched(signed, "agreement-coil", "pcf-coil", True, True)

    (outcome,) = await resolve_lines(context, "bolts", [UpstreamLine(MILL, "coil", ())], fetch)
    assert (outcome.status, outcome.reason_code) == (LineStatus.DEFAULT, "invalid_data")
