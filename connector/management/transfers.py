"""Transfer processes and EDRs for the management API, over `connector.transfer.service`
(DSP stream), in EDC Management API v3 / Tractus-X shapes (edc-mgmt-api.md §4.7, 4.9, 4.10)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from connector.context import NodeContext
from connector.management._query import QuerySpec, apply_query
from connector.management.processes import (
    PROTOCOL,
    SCAN_LIMIT,
    edr_entry_json,
    epoch_ms,
    transfer_module,
    unavailable,
)
from connector.management.schemas import TransferRequest
from connector.management.views import EDR_CONTEXT, VOCAB_CONTEXT, id_response
from connector.negotiation import get_agreement, query_negotiations
from connector.outcome import Failure, Ok

Json = dict[str, Any]
HTTP_ENDPOINT_TYPE = "https://w3id.org/idsa/v4.1/HTTP"


def transfer_record(row: Any) -> Json:
    return {
        "id": row.id,
        "type": str(row.role),
        "state": str(row.state),
        "stateTimestamp": epoch_ms(row.updated_at),
        "assetId": row.asset_id,
        "contractId": row.agreement_id,
        "contractAgreementId": row.agreement_id,
        "agreementId": row.agreement_id,
        "transferType": row.transfer_type,
        "counterPartyId": row.counterparty_id,
        "counterPartyAddress": row.counterparty_address,
        "createdAt": epoch_ms(row.created_at),
    }


def transfer_json(row: Any) -> Json:
    record = transfer_record(row)
    body: Json = {"@context": VOCAB_CONTEXT, "@type": "TransferProcess", "@id": row.id}
    for key in (
        "type",
        "state",
        "stateTimestamp",
        "assetId",
        "contractId",
        "transferType",
        "counterPartyId",
        "counterPartyAddress",
        "createdAt",
    ):
        body[key] = record[key]
    body["protocol"] = PROTOCOL
    body["correlationId"] = row.provider_pid if str(row.role) == "CONSUMER" else row.consumer_pid
    body["dataDestination"] = {"@type": "DataAddress", "type": "HttpProxy"}
    body["privateProperties"] = {}
    body["callbackAddresses"] = []
    if row.error_detail:
        body["errorDetail"] = row.error_detail
    return body


async def start_transfer(context: NodeContext, request: TransferRequest) -> Ok[Json] | Failure:
    """`POST /v3/transferprocesses`: the counterparty id defaults to the agreement's provider."""
    module = transfer_module()
    if module is None:
        return unavailable()
    counterparty = request.counterparty_id
    if not counterparty:
        agreement = await get_agreement(context, request.agreement_id)
        if isinstance(agreement, Failure):
            return agreement
        counterparty = agreement.value.provider_id
    outcome = await module.request_transfer(
        context, request.address, counterparty, request.agreement_id, request.transfer_type
    )
    if isinstance(outcome, Failure):
        return outcome
    return Ok(id_response(outcome.value.id, outcome.value.created_at))


async def show_transfer(context: NodeContext, transfer_id: str) -> Ok[Json] | Failure:
    module = transfer_module()
    if module is None:
        return unavailable()
    outcome = await module.get_transfer(context, transfer_id)
    return outcome if isinstance(outcome, Failure) else Ok(transfer_json(outcome.value))


async def transfer_state(context: NodeContext, transfer_id: str) -> Ok[Json] | Failure:
    module = transfer_module()
    if module is None:
        return unavailable()
    outcome = await module.get_transfer(context, transfer_id)
    if isinstance(outcome, Failure):
        return outcome
    return Ok(
        {"@context": VOCAB_CONTEXT, "@type": "TransferState", "state": str(outcome.value.state)}
    )


async def change_transfer(
    context: NodeContext, transfer_id: str, action: str, reason: str
) -> Ok[None] | Failure:
    """`suspend`, `resume` or `terminate` (204 on success, as EDC)."""
    module = transfer_module()
    if module is None:
        return unavailable()
    function = getattr(module, f"{action}_transfer")
    outcome = (
        await function(context, transfer_id)
        if action == "resume"
        else await function(context, transfer_id, reason)
    )
    return outcome if isinstance(outcome, Failure) else Ok(None)


async def find_transfers(context: NodeContext, spec: QuerySpec) -> Ok[list[Json]] | Failure:
    module = transfer_module()
    if module is None:
        return unavailable()
    rows = await module.query_transfers(context, None, 0, SCAN_LIMIT)
    if isinstance(rows, Failure):
        return rows
    pairs = [(transfer_record(r), r) for r in rows.value]
    return Ok([transfer_json(r) for r in apply_query(spec, pairs)])


async def _negotiation_ids(context: NodeContext) -> dict[str, str]:
    rows = await query_negotiations(context, None, 0, SCAN_LIMIT)
    if isinstance(rows, Failure):
        return {}
    return {r.agreement_id: r.id for r in rows.value if r.agreement_id}


async def find_edrs(context: NodeContext, spec: QuerySpec) -> Ok[list[Json]] | Failure:
    """`POST /v3/edrs/request`: cached EDR entries (one per transfer)."""
    module = transfer_module()
    if module is None:
        return unavailable()
    rows = await module.query_edrs(context, None, 0, SCAN_LIMIT)
    if isinstance(rows, Failure):
        return rows
    negotiations = await _negotiation_ids(context)
    entries = [edr_entry_json(r, negotiations.get(r.agreement_id)) for r in rows.value]
    pairs = [({**e, "id": e["@id"]}, e) for e in entries]
    return Ok(apply_query(spec, pairs))


def _expires_in(expires_at: Any, now: datetime) -> str | None:
    try:
        moment = datetime.fromisoformat(str(expires_at))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return str(max(0, int((moment - now).total_seconds())))


def data_address_json(edr: Any, now: datetime | None = None) -> Json:
    """The EDR as a Tractus-X `DataAddress` (§4.10): `endpoint` and `authorization` are what
    the clients read; refresh details under `tx-auth:`."""
    fields = (
        dict(edr)
        if isinstance(edr, dict)
        else {
            "endpoint": edr.endpoint,
            "endpointType": edr.endpoint_type,
            "authorization": edr.token,
            "refreshEndpoint": edr.refresh_endpoint,
        }
    )
    body: Json = {
        "@context": EDR_CONTEXT,
        "@type": "DataAddress",
        "type": fields.get("endpointType") or HTTP_ENDPOINT_TYPE,
        "endpointType": fields.get("endpointType") or HTTP_ENDPOINT_TYPE,
        "endpoint": fields.get("endpoint"),
        "authorization": fields.get("authorization"),
    }
    if fields.get("authType"):
        body["authType"] = fields["authType"]
    for key in ("refreshEndpoint", "expiresAt", "refreshToken", "refreshAudience"):
        if fields.get(key):
            body[f"tx-auth:{key}"] = fields[key]
    expires_in = _expires_in(fields["expiresAt"], now) if now and fields.get("expiresAt") else None
    if expires_in is not None:
        body["tx-auth:expiresIn"] = expires_in
    for key in ("transferProcessId", "agreementId", "assetId"):
        if fields.get(key):
            body[key] = fields[key]
    return body


async def edr_data_address(
    context: NodeContext, transfer_id: str, refresh: bool
) -> Ok[Json] | Failure:
    """`GET /v3/edrs/{id}/dataaddress?auto_refresh=` and `POST /v3/edrs/{id}/refresh`."""
    module = transfer_module()
    if module is None:
        return unavailable()
    outcome = await module.get_edr_data_address(context, transfer_id, refresh)
    if isinstance(outcome, Failure):
        return outcome
    return Ok(data_address_json(outcome.value, context.clock.now()))
