"""Routes: contract negotiations, contract agreements, transfer processes, EDRs (EDC v3 and the
Tractus-X `POST /v3/edrs`), and the carbonspace `POST /fetch` convenience."""

from __future__ import annotations

import base64
import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from connector.context import NodeContext, get_context
from connector.management import processes, transfers
from connector.management._jsonld import edc_fields, node_id, read_json
from connector.management._query import read_query_spec
from connector.management._routing import respond, route
from connector.management.fetch import fetch_asset, negotiate_edr
from connector.management.schemas import parse_contract_request, parse_transfer_request
from connector.management.views import VOCAB_CONTEXT, id_response
from connector.negotiation import (
    accept_offer,
    counter_offer,
    offer_contract,
    request_contract,
    terminate_negotiation,
)
from connector.negotiation import get_negotiation as find_negotiation
from connector.outcome import Failure, Ok, bad_request
from policies import PolicyParseError, parse_policy, to_edc

router = APIRouter()
Ctx = Depends(get_context)


async def _reason(request: Request) -> str:
    document = await read_json(request, required=False)
    if isinstance(document, Ok) and isinstance(document.value, dict):
        reason = edc_fields(document.value).get("reason")
        if isinstance(reason, str) and reason:
            return reason
    return "terminated through the management API"


@route(router, "POST", "/v3/contractnegotiations")
async def start_negotiation(request: Request, context: NodeContext = Ctx) -> Response:
    document = await read_json(request)
    parsed = document if isinstance(document, Failure) else parse_contract_request(document.value)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    call = parsed.value.counterparty
    started = await request_contract(
        context, call.address, call.counterparty_id, parsed.value.offer
    )
    if isinstance(started, Failure):
        return respond(request, started)
    return respond(request, Ok(id_response(started.value.id, started.value.created_at)))


@route(router, "POST", "/v3/contractnegotiations/request")
async def query_negotiations(request: Request, context: NodeContext = Ctx) -> Response:
    spec = await read_query_spec(request)
    return respond(
        request,
        spec
        if isinstance(spec, Failure)
        else await processes.find_negotiations(context, spec.value),
    )


@route(router, "GET", "/v3/contractnegotiations/{negotiation_id}/state")
async def negotiation_state(
    negotiation_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await processes.negotiation_state(context, negotiation_id))


@route(router, "GET", "/v3/contractnegotiations/{negotiation_id}/agreement")
async def negotiation_agreement(
    negotiation_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await processes.negotiation_agreement(context, negotiation_id))


@route(router, "POST", "/v3/contractnegotiations/{negotiation_id}/terminate")
async def terminate(negotiation_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    outcome = await terminate_negotiation(context, negotiation_id, await _reason(request))
    return respond(request, outcome if isinstance(outcome, Failure) else Ok(None))


@route(router, "POST", "/v3/contractnegotiations/offers")
async def offer_contract_route(request: Request, context: NodeContext = Ctx) -> Response:
    """carbonspace extension (provider): offer a contract on our own initiative (DSP initial
    ContractOfferMessage). `{"counterPartyAddress", "counterPartyId", "assetId",
    "contractDefinitionId"?}` -> IdResponse of the new negotiation (OFFERED)."""
    document = await read_json(request)
    if isinstance(document, Failure):
        return respond(request, document)
    fields = edc_fields(document.value) if isinstance(document.value, dict) else {}
    names = ("counterPartyAddress", "counterPartyId", "assetId", "contractDefinitionId")
    values = {name: node_id(fields.get(name)) for name in names}
    for name in names[:3]:
        if not isinstance(values[name], str) or not values[name]:
            return respond(request, bad_request(f"{name}: is required and must be a string"))
    definition = values["contractDefinitionId"]
    if definition is not None and not isinstance(definition, str):
        return respond(request, bad_request("contractDefinitionId: must be a string"))
    offered = await offer_contract(
        context,
        values["counterPartyAddress"],
        values["counterPartyId"],
        values["assetId"],
        definition,
    )
    if isinstance(offered, Failure):
        return respond(request, offered)
    return respond(request, Ok(id_response(offered.value.id, offered.value.created_at)))


@route(router, "POST", "/v3/contractnegotiations/{negotiation_id}/accept")
async def accept(negotiation_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    """carbonspace extension (consumer): accept the offer held in OFFERED."""
    outcome = await accept_offer(context, negotiation_id)
    return respond(request, outcome if isinstance(outcome, Failure) else Ok(None))


@route(router, "POST", "/v3/contractnegotiations/{negotiation_id}/counteroffer")
async def counter(negotiation_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    """carbonspace extension (consumer): answer the offer held in OFFERED with `policy`, a
    changed offer (EDC/ODRL or DSP form), as in a ContractRequest."""
    document = await read_json(request)
    if isinstance(document, Failure):
        return respond(request, document)
    fields = edc_fields(document.value) if isinstance(document.value, dict) else {}
    policy = fields.get("policy")
    if not isinstance(policy, dict):
        return respond(request, bad_request("policy: is required (the changed offer)"))
    outer = document.value.get("@context") if isinstance(document.value, dict) else None
    if outer is not None and "@context" not in policy:
        policy = {"@context": outer, **policy}
    outcome = await counter_offer(context, negotiation_id, policy)
    return respond(request, outcome if isinstance(outcome, Failure) else Ok(None))


@route(router, "GET", "/v3/contractnegotiations/{negotiation_id}/offer")
async def current_offer(
    negotiation_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    """carbonspace extension: the offer currently on the table (EDC policy form, with `@id`,
    `target`, `assigner`), e.g. what the consumer holds in OFFERED."""
    outcome = await find_negotiation(context, negotiation_id)
    if isinstance(outcome, Failure):
        return respond(request, outcome)
    try:
        odrl = {"odrl": "http://www.w3.org/ns/odrl/2/"}
        offer = {"@context": {**VOCAB_CONTEXT, **odrl}, **to_edc(parse_policy(outcome.value.offer))}
    except PolicyParseError:
        offer = outcome.value.offer
    return respond(request, Ok(offer))


@route(router, "GET", "/v3/contractnegotiations/{negotiation_id}")
async def get_negotiation(
    negotiation_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await processes.show_negotiation(context, negotiation_id))


@route(router, "POST", "/v3/contractagreements/request")
async def query_agreements(request: Request, context: NodeContext = Ctx) -> Response:
    spec = await read_query_spec(request)
    return respond(
        request,
        spec if isinstance(spec, Failure) else await processes.find_agreements(context, spec.value),
    )


@route(router, "GET", "/v3/contractagreements/{agreement_id}/negotiation")
async def agreement_negotiation(
    agreement_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await processes.agreement_negotiation(context, agreement_id))


@route(router, "GET", "/v3/contractagreements/{agreement_id}")
async def get_agreement(
    agreement_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await processes.show_agreement(context, agreement_id))


@route(router, "POST", "/v3/transferprocesses")
async def start_transfer(request: Request, context: NodeContext = Ctx) -> Response:
    document = await read_json(request)
    parsed = document if isinstance(document, Failure) else parse_transfer_request(document.value)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(request, await transfers.start_transfer(context, parsed.value))


@route(router, "POST", "/v3/transferprocesses/request")
async def query_transfers(request: Request, context: NodeContext = Ctx) -> Response:
    spec = await read_query_spec(request)
    return respond(
        request,
        spec if isinstance(spec, Failure) else await transfers.find_transfers(context, spec.value),
    )


@route(router, "GET", "/v3/transferprocesses/{transfer_id}/state")
async def transfer_state(
    transfer_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await transfers.transfer_state(context, transfer_id))


@route(router, "POST", "/v3/transferprocesses/{transfer_id}/{action}")
async def change_transfer(
    transfer_id: str, action: str, request: Request, context: NodeContext = Ctx
) -> Response:
    if action not in ("suspend", "resume", "terminate"):
        return respond(request, bad_request(f"{action}: not one of suspend, resume, terminate"))
    reason = await _reason(request)
    return respond(request, await transfers.change_transfer(context, transfer_id, action, reason))


@route(router, "GET", "/v3/transferprocesses/{transfer_id}")
async def get_transfer(transfer_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    return respond(request, await transfers.show_transfer(context, transfer_id))


@route(router, "POST", "/v3/edrs")
async def negotiate_edr_route(request: Request, context: NodeContext = Ctx) -> Response:
    """Tractus-X: negotiate, start an HttpData-PULL transfer, cache the EDR; answers 200 with
    the negotiation's IdResponse."""
    document = await read_json(request)
    parsed = document if isinstance(document, Failure) else parse_contract_request(document.value)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(request, await negotiate_edr(context, parsed.value))


@route(router, "POST", "/v3/edrs/request")
async def query_edrs(request: Request, context: NodeContext = Ctx) -> Response:
    spec = await read_query_spec(request)
    return respond(
        request,
        spec if isinstance(spec, Failure) else await transfers.find_edrs(context, spec.value),
    )


@route(router, "GET", "/v3/edrs/{transfer_id}/dataaddress")
async def edr_data_address(
    transfer_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    """`auto_refresh` (default true) is parsed case-insensitively: clients send `True`."""
    flag = request.query_params.get("auto_refresh", "true").strip().lower()
    if flag not in ("true", "false", "1", "0"):
        return respond(request, bad_request("auto_refresh: must be true or false"))
    refresh = flag in ("true", "1")
    return respond(request, await transfers.edr_data_address(context, transfer_id, refresh))


@route(router, "POST", "/v3/edrs/{transfer_id}/refresh")
async def refresh_edr(transfer_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    return respond(request, await transfers.edr_data_address(context, transfer_id, True))


@route(router, "POST", "/fetch")
async def fetch(request: Request, context: NodeContext = Ctx) -> Response:
    """carbonspace: `{"providerId", "assetId", "counterPartyAddress"?, "path"?}` -> the data,
    fetched through catalog, negotiation, transfer and EDR (reusing a valid agreement/EDR)."""
    document = await read_json(request)
    if isinstance(document, Failure):
        return respond(request, document)
    fields = edc_fields(document.value) if isinstance(document.value, dict) else {}
    provider, asset = fields.get("providerId"), fields.get("assetId")
    if not isinstance(provider, str) or not isinstance(asset, str) or not provider or not asset:
        return respond(request, bad_request("providerId and assetId: required strings"))
    address, path = fields.get("counterPartyAddress"), fields.get("path", "")
    if (address is not None and not isinstance(address, str)) or not isinstance(path, str):
        return respond(request, bad_request("counterPartyAddress and path: must be strings"))
    outcome = await fetch_asset(context, provider, asset, dsp_url=address, path=path)
    if isinstance(outcome, Failure):
        return respond(request, outcome)
    return respond(request, Ok(fetch_json(outcome.value)))


def fetch_json(result: Any) -> dict[str, Any]:
    """The answer of `/fetch`: the data (JSON, text or base64) and the contract it came under."""
    body: dict[str, Any] = {
        "providerId": result.provider_id,
        "assetId": result.asset_id,
        "agreementId": result.agreement_id,
        "transferProcessId": result.transfer_id,
        "reused": result.reused,
        "contentType": result.content_type,
    }
    if "json" in result.content_type:
        try:
            body["data"] = json.loads(result.body)
            return body
        except ValueError:
            pass
    try:
        body["text"] = result.body.decode("utf-8")
    except UnicodeDecodeError:
        body["base64"] = base64.b64encode(result.body).decode()
    return body
