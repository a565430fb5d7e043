"""Agreement retirement, Tractus-X EDC style (tractusx-edc control plane 0.11.2,
"Agreements Retirement"): the provider revokes an agreement it granted, and every EDR issued
under it fails at once (DESIGN.md "A provider can revoke an agreement").

- `POST /v3/contractagreements/retirements` `{"edc:agreementId", "tx:reason"}`: 204; 400 bad
  body; 404 unknown agreement; 409 already retired.
- `POST /v3/contractagreements/retirements/request`: 200, the retired agreements.
- `DELETE /v3/contractagreements/retirements/{agreementId}`: 204, reactivated; 404 when the
  agreement is unknown or not retired.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from connector.context import NodeContext, get_context
from connector.management._jsonld import edc_fields, node_id, read_json
from connector.management._routing import respond, route
from connector.management.views import epoch_ms
from connector.negotiation import (
    get_agreement,
    query_agreements,
    reinstate_agreement,
    revoke_agreement,
)
from connector.negotiation.models import AgreementRow
from connector.outcome import Failure, Ok, bad_request, conflict

router = APIRouter()
Ctx = Depends(get_context)

TX_NS = "https://w3id.org/tractusx/v0.0.1/ns/"
RETIREMENT_CONTEXT = {"tx": TX_NS, "edc": "https://w3id.org/edc/v0.0.1/ns/"}
MAX_LISTED = 10_000


def _tx_fields(document: dict[str, Any]) -> dict[str, Any]:
    """EDC fields, with `tx:x` and the Tractus-X namespace also read as `x`."""
    fields = edc_fields(document)
    for key in list(fields):
        for prefix in ("tx:", TX_NS):
            if key.startswith(prefix):
                fields[key[len(prefix) :]] = fields.pop(key)
    return fields


def parse_retirement(document: Any) -> Ok[tuple[str, str]] | Failure:
    """`(agreement id, reason)` from a retirement request; the reason is required too."""
    if not isinstance(document, dict):
        return bad_request("body: must be a JSON object")
    fields = _tx_fields(document)
    agreement_id = node_id(fields.get("agreementId"))
    reason = node_id(fields.get("reason"))
    problems = []
    if not isinstance(agreement_id, str) or not agreement_id:
        problems.append("agreementId: required, a non-empty string")
    if not isinstance(reason, str) or not reason:
        problems.append("reason: required, a non-empty string")
    if problems:
        return bad_request(problems[0], *problems[1:])
    return Ok((str(agreement_id), str(reason)))


def retirement_json(row: AgreementRow) -> dict[str, Any]:
    return {
        "@context": RETIREMENT_CONTEXT,
        "@id": row.id,
        "@type": "tx:AgreementsRetirementEntry",
        "edc:agreementId": row.id,
        "tx:reason": row.revocation_reason,
        "tx:agreementRetirementDate": epoch_ms(row.revoked_at),
    }


@route(router, "POST", "/v3/contractagreements/retirements")
async def retire(request: Request, context: NodeContext = Ctx) -> Response:
    document = await read_json(request)
    parsed = document if isinstance(document, Failure) else parse_retirement(document.value)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    agreement_id, reason = parsed.value
    existing = await get_agreement(context, agreement_id)
    if isinstance(existing, Failure):
        return respond(request, existing)
    if existing.value.revoked_at is not None:
        return respond(request, conflict(f"agreement {agreement_id} is already retired"))
    revoked = await revoke_agreement(context, agreement_id, reason)
    return respond(request, revoked if isinstance(revoked, Failure) else Ok(None))


@route(router, "POST", "/v3/contractagreements/retirements/request")
async def list_retired(request: Request, context: NodeContext = Ctx) -> Response:
    provided = await query_agreements(
        context, {"provider_id": context.settings.node.did}, 0, MAX_LISTED, ("signed_at", "ASC")
    )
    if isinstance(provided, Failure):
        return respond(request, provided)
    retired = [retirement_json(row) for row in provided.value if row.revoked_at is not None]
    return respond(request, Ok(retired))


@route(router, "DELETE", "/v3/contractagreements/retirements/{agreement_id:path}")
async def reactivate(agreement_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    reinstated = await reinstate_agreement(context, agreement_id)
    return respond(request, reinstated if isinstance(reinstated, Failure) else Ok(None))
