"""Routes: `POST /v3/catalog/request`, `POST /v3/catalog/dataset/request` (consumer side)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from connector.context import NodeContext, get_context
from connector.management._jsonld import read_json
from connector.management._routing import respond, route
from connector.management.consumer import counterparty_catalog, counterparty_dataset
from connector.management.discovery import discover
from connector.management.schemas import parse_catalog_request, parse_dataset_request
from connector.outcome import Failure

router = APIRouter()


@route(router, "POST", "/v3/catalog/request")
async def request_catalog(
    request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    document = await read_json(request)
    parsed = document if isinstance(document, Failure) else parse_catalog_request(document.value)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    call = parsed.value.counterparty
    return respond(
        request,
        await counterparty_catalog(
            context, call.address, call.counterparty_id, parsed.value.query.criteria
        ),
    )


@route(router, "POST", "/v3/catalog/dataset/request")
async def request_dataset(
    request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    document = await read_json(request)
    parsed = document if isinstance(document, Failure) else parse_dataset_request(document.value)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    call = parsed.value.counterparty
    return respond(
        request,
        await counterparty_dataset(
            context, call.address, call.counterparty_id, parsed.value.dataset_id
        ),
    )


@route(router, "POST", "/v4alpha/connectordiscovery/dspversionparams")
async def discover_connector(
    request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    """Tractus-X: the DSP address, participant id and protocol of a counterparty (an object,
    as tractusx-sdk 0.8.3 reads it)."""
    document = await read_json(request)
    if isinstance(document, Failure):
        return respond(request, document)
    return respond(request, await discover(context, document.value))
