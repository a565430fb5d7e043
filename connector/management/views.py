"""EDC Management API v3 response shapes (edc-mgmt-api.md §4.9-4.12, EDC OpenAPI 3.1.3):
`@id`, the EDC namespace as `@vocab`, `odrl:` policies, epoch-millisecond timestamps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connector.assets.models import AssetRow
from connector.contracts import read_policy
from connector.contracts.models import ContractDefinitionRow, PolicyDefinitionRow
from connector.management._jsonld import MANAGEMENT_CONTEXT, compact_keys
from policies import EDC_NS, to_edc

VOCAB_CONTEXT: dict[str, str] = {"@vocab": EDC_NS}
EDR_CONTEXT: dict[str, str] = {
    "@vocab": EDC_NS,
    "edc": EDC_NS,
    "tx": "https://w3id.org/tractusx/v0.0.1/ns/",
    "tx-auth": "https://w3id.org/tractusx/auth/",
    "cx-policy": "https://w3id.org/catenax/policy/",
    "odrl": "http://www.w3.org/ns/odrl/2/",
}


def epoch_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def id_response(entity_id: str, created_at: datetime) -> dict[str, Any]:
    """`IdResponse` (§4.12)."""
    return {
        "@context": VOCAB_CONTEXT,
        "@type": "IdResponse",
        "@id": entity_id,
        "createdAt": epoch_ms(created_at),
    }


def state_response(kind: str, state: str) -> dict[str, Any]:
    """`NegotiationState` / `TransferState`."""
    return {"@context": VOCAB_CONTEXT, "@type": kind, "state": state}


def asset_json(row: AssetRow) -> dict[str, Any]:
    properties = compact_keys(row.properties)
    properties.setdefault("id", row.id)
    return {
        "@context": MANAGEMENT_CONTEXT,
        "@id": row.id,
        "@type": "Asset",
        "properties": properties,
        "privateProperties": compact_keys(row.private_properties),
        "dataAddress": {"@type": "DataAddress", **row.data_address},
        "createdAt": epoch_ms(row.created_at),
    }


def policy_definition_json(row: PolicyDefinitionRow) -> dict[str, Any]:
    policy = read_policy(row)
    return {
        "@context": MANAGEMENT_CONTEXT,
        "@id": row.id,
        "@type": "PolicyDefinition",
        "policy": to_edc(policy) if policy is not None else row.policy,
        "privateProperties": row.private_properties,
        "createdAt": epoch_ms(row.created_at),
    }


def contract_definition_json(row: ContractDefinitionRow) -> dict[str, Any]:
    return {
        "@context": MANAGEMENT_CONTEXT,
        "@id": row.id,
        "@type": "ContractDefinition",
        "accessPolicyId": row.access_policy_id,
        "contractPolicyId": row.contract_policy_id,
        "assetsSelector": row.assets_selector,
        "privateProperties": row.private_properties,
        "createdAt": epoch_ms(row.created_at),
    }


def policy_definition_record(row: PolicyDefinitionRow) -> dict[str, Any]:
    return {"id": row.id, "createdAt": epoch_ms(row.created_at), **row.private_properties}


def contract_definition_record(row: ContractDefinitionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "accessPolicyId": row.access_policy_id,
        "contractPolicyId": row.contract_policy_id,
        "createdAt": epoch_ms(row.created_at),
    }
