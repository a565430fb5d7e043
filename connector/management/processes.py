"""Consumer/provider process views for the management API: contract negotiations, agreements,
transfer processes and EDRs, read from the DSP stream's services (`connector.negotiation`,
`connector.transfer`) and shaped as EDC Management API v3 JSON (edc-mgmt-api.md §4.9-4.12)."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from connector.context import NodeContext
from connector.management._query import QuerySpec, apply_query, pushdown
from connector.management.views import EDR_CONTEXT, VOCAB_CONTEXT
from connector.negotiation import (
    AgreementRow,
    NegotiationRow,
    get_agreement,
    get_negotiation,
    query_agreements,
    query_negotiations,
)
from connector.outcome import Failure, Ok, Reason
from policies import PolicyParseError, parse_policy, to_edc

PROTOCOL = "dataspace-protocol-http:2025-1"
SCAN_LIMIT = 100_000
Json = dict[str, Any]


def epoch_ms(moment: datetime | None) -> int | None:
    """Epoch milliseconds; naive datetimes (SQLite) are UTC."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return int(aware.timestamp() * 1000)


def transfer_module() -> ModuleType | None:
    """`connector.transfer.service` once the DSP stream provides it."""
    try:
        return importlib.import_module("connector.transfer.service")
    except ImportError:
        return None


def unavailable() -> Failure:
    return Failure(Reason.UNAVAILABLE, "transfer processes are not available in this node")


# Record fields of `negotiation_record` the database can filter on, with their columns.
NEGOTIATION_COLUMNS = {
    "id": "id",
    "contractNegotiationId": "id",
    "state": "state",
    "counterPartyId": "counterparty_id",
    "assetId": "asset_id",
    "contractAgreementId": "agreement_id",
}


def negotiation_record(row: NegotiationRow) -> Json:
    return {
        "id": row.id,
        "contractNegotiationId": row.id,
        "type": str(row.role),
        "state": str(row.state),
        "counterPartyId": row.counterparty_id,
        "counterPartyAddress": row.counterparty_address,
        "contractAgreementId": row.agreement_id,
        "assetId": row.asset_id,
        "correlationId": row.provider_pid if row.role == "CONSUMER" else row.consumer_pid,
        "createdAt": epoch_ms(row.created_at),
    }


def negotiation_json(row: NegotiationRow) -> Json:
    record = negotiation_record(row)
    body: Json = {"@context": VOCAB_CONTEXT, "@type": "ContractNegotiation", "@id": row.id}
    body.update({k: v for k, v in record.items() if k not in ("id", "contractNegotiationId")})
    body["protocol"] = PROTOCOL
    body["callbackAddresses"] = []
    if row.error_detail:
        body["errorDetail"] = row.error_detail
    if body["contractAgreementId"] is None:
        del body["contractAgreementId"]
    return body


def _policy_json(policy: Any) -> Any:
    if not isinstance(policy, dict):
        return policy
    try:
        return to_edc(parse_policy(policy, context=policy.get("@context")))
    except PolicyParseError:
        return policy


def agreement_record(row: AgreementRow) -> Json:
    return {
        "id": row.id,
        "assetId": row.asset_id,
        "providerId": row.provider_id,
        "consumerId": row.consumer_id,
        "contractNegotiationId": row.negotiation_id,
        "contractSigningDate": epoch_ms(row.signed_at),
    }


def agreement_json(row: AgreementRow) -> Json:
    signed = epoch_ms(row.signed_at)
    return {
        "@context": {**VOCAB_CONTEXT, "odrl": "http://www.w3.org/ns/odrl/2/"},
        "@type": "ContractAgreement",
        "@id": row.id,
        "assetId": row.asset_id,
        "providerId": row.provider_id,
        "consumerId": row.consumer_id,
        "contractSigningDate": None if signed is None else signed // 1000,
        "policy": _policy_json(row.policy),
    }


async def show_negotiation(context: NodeContext, negotiation_id: str) -> Ok[Json] | Failure:
    outcome = await get_negotiation(context, negotiation_id)
    return outcome if isinstance(outcome, Failure) else Ok(negotiation_json(outcome.value))


async def negotiation_state(context: NodeContext, negotiation_id: str) -> Ok[Json] | Failure:
    outcome = await get_negotiation(context, negotiation_id)
    if isinstance(outcome, Failure):
        return outcome
    return Ok(
        {"@context": VOCAB_CONTEXT, "@type": "NegotiationState", "state": str(outcome.value.state)}
    )


async def find_negotiations(context: NodeContext, spec: QuerySpec) -> Ok[list[Json]] | Failure:
    plan = pushdown(spec, NEGOTIATION_COLUMNS, "created_at")
    if plan is not None:
        page = await query_negotiations(context, plan.filters, spec.offset, spec.limit, plan.sort)
        return page if isinstance(page, Failure) else Ok([negotiation_json(r) for r in page.value])
    rows = await query_negotiations(context, None, 0, SCAN_LIMIT)
    if isinstance(rows, Failure):
        return rows
    pairs = [(negotiation_record(r), r) for r in rows.value]
    return Ok([negotiation_json(r) for r in apply_query(spec, pairs)])


async def negotiation_agreement(context: NodeContext, negotiation_id: str) -> Ok[Json] | Failure:
    outcome = await get_negotiation(context, negotiation_id)
    if isinstance(outcome, Failure):
        return outcome
    if not outcome.value.agreement_id:
        return Failure(Reason.NOT_FOUND, f"negotiation {negotiation_id} has no agreement yet")
    return await show_agreement(context, outcome.value.agreement_id)


async def show_agreement(context: NodeContext, agreement_id: str) -> Ok[Json] | Failure:
    outcome = await get_agreement(context, agreement_id)
    return outcome if isinstance(outcome, Failure) else Ok(agreement_json(outcome.value))


async def agreement_negotiation(context: NodeContext, agreement_id: str) -> Ok[Json] | Failure:
    outcome = await get_agreement(context, agreement_id)
    if isinstance(outcome, Failure):
        return outcome
    rows = await query_negotiations(context, {"agreement_id": agreement_id}, 0, 10)
    if isinstance(rows, Failure) or not rows.value:
        return await show_negotiation(context, outcome.value.negotiation_id)
    return Ok(negotiation_json(rows.value[0]))


async def find_agreements(context: NodeContext, spec: QuerySpec) -> Ok[list[Json]] | Failure:
    rows = await query_agreements(context, None, 0, SCAN_LIMIT)
    if isinstance(rows, Failure):
        return rows
    pairs = [(agreement_record(r), r) for r in rows.value]
    return Ok([agreement_json(r) for r in apply_query(spec, pairs)])


def edr_entry_json(edr: Any, negotiation_id: str | None) -> Json:
    """`EndpointDataReferenceEntry` (§4.9): `@context`, `@type`, `providerId`,
    `transferProcessId` are required by tractusx-sdk's EDR cache."""
    return {
        "@context": EDR_CONTEXT,
        "@id": edr.transfer_id,
        "@type": "EndpointDataReferenceEntry",
        "providerId": edr.provider_id,
        "assetId": edr.asset_id,
        "agreementId": edr.agreement_id,
        "transferProcessId": edr.transfer_id,
        "contractNegotiationId": negotiation_id,
        "createdAt": epoch_ms(edr.created_at),
    }
