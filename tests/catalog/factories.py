"""Small builders for catalog tests."""

from __future__ import annotations

from datetime import UTC, datetime

from catalog import AssetEntry, Criterion, DataService, OfferDefinition
from policies import Constraint, LeftOperand, Permission, Policy, PolicyContext

EDC = "https://w3id.org/edc/v0.0.1/ns/"
PROVIDER = "did:web:mill.example"
CONSUMER = "did:web:bolts.example"
SERVICE = DataService(PROVIDER + "#dsp", "https://mill.example/api/dsp")
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def open_policy() -> Policy:
    return Policy(permissions=(Permission("use"),))


def customer_policy(*dids: str) -> Policy:
    """Only these participants (carbonspace ParticipantId constraint)."""
    constraint = Constraint(LeftOperand.PARTICIPANT_ID, "isAnyOf", tuple(dids))
    return Policy(permissions=(Permission("use", (constraint,)),))


def pcf_asset(asset_id: str = "pcf-1", version: str = "3.0") -> AssetEntry:
    return AssetEntry(
        asset_id,
        {
            EDC + "id": asset_id,
            "http://purl.org/dc/terms/type": {
                "@id": "https://w3id.org/catenax/taxonomy#PcfExchange"
            },
            "https://w3id.org/catenax/ontology/common#version": version,
            EDC + "name": f"footprint {asset_id}",
        },
    )


def definition(
    definition_id: str = "cd-1",
    *,
    access: Policy | None = None,
    contract: Policy | None = None,
    selector: tuple[Criterion, ...] = (),
) -> OfferDefinition:
    return OfferDefinition(
        definition_id, access or open_policy(), contract or open_policy(), selector
    )


def context(participant: str = CONSUMER) -> PolicyContext:
    return PolicyContext(participant_id=participant, now=NOW)


def usage_policy() -> Policy:
    return Policy(
        permissions=(
            Permission("use", (Constraint("UsagePurpose", "isAnyOf", ("cx.pcf.base:1",)),)),
        )
    )
