"""The common path of every DSP endpoint: authenticate (DCP), read the JSON body, normalise the
JSON-LD, validate against the DSP schema, call one service function, map its outcome to the
DSP answer (shared/reference/dsp.md §3.5: unauthorised on negotiation/transfer -> 404)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from connector.dsp._auth import authenticate_request
from connector.dsp._jsonld import normalise
from connector.dsp._validation import validate_message
from connector.errors import dsp_error_body
from connector.outcome import Failure, Ok, Reason, bad_request, not_found

if TYPE_CHECKING:
    from connector.context import NodeContext

Call = Callable[[Any, dict[str, Any]], Awaitable[Ok[Any] | Failure]]


def error_response(request: Request, failure: Failure, message: Any = None) -> JSONResponse:
    """A DSP error message; negotiation/transfer errors echo the pids that were sent."""
    pids = message if isinstance(message, dict) else {}
    provider_pid = pids.get("providerPid")
    consumer_pid = pids.get("consumerPid")
    body = dsp_error_body(
        request.url.path,
        failure,
        provider_pid if isinstance(provider_pid, str) else "",
        consumer_pid if isinstance(consumer_pid, str) else "",
    )
    return JSONResponse(body, status_code=failure.status)


def _is_process_path(request: Request) -> bool:
    path = request.url.path
    return "/negotiations" in path or "/transfers" in path


async def authenticated(context: NodeContext, request: Request) -> Ok[Any] | Failure:
    """The verified participant; on negotiation/transfer paths a refusal reads as 404."""
    outcome = await authenticate_request(context, request)
    if isinstance(outcome, Failure) and _is_process_path(request):
        return not_found("not found")
    return outcome


async def read_message(request: Request, expected: tuple[str, ...]) -> Ok[dict[str, Any]] | Failure:
    """The body as a compact DSP 2025-1 message of one of the `expected` types."""
    raw = await request.body()
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return bad_request("the body is not valid JSON")
    normalised = normalise(document)
    if isinstance(normalised, Failure):
        return normalised
    problem = validate_message(normalised.value, expected)
    return problem if problem is not None else normalised


def reply_response(value: Any) -> Response:
    """`Reply(status, body)` -> JSON (or an empty 200)."""
    status = getattr(value, "status", 200)
    body = getattr(value, "body", value)
    if body is None:
        return Response(status_code=status)
    return JSONResponse(body, status_code=status, media_type="application/json")


async def handle_post(
    context: NodeContext, request: Request, expected: tuple[str, ...], call: Call
) -> Response:
    participant = await authenticated(context, request)
    if isinstance(participant, Failure):
        return error_response(request, participant)
    message = await read_message(request, expected)
    if isinstance(message, Failure):
        return error_response(request, message, await _raw_pids(request))
    outcome = await call(participant.value, message.value)
    if isinstance(outcome, Failure):
        return error_response(request, outcome, message.value)
    return reply_response(outcome.value)


async def handle_get(
    context: NodeContext, request: Request, call: Callable[[Any], Awaitable[Ok[Any] | Failure]]
) -> Response:
    participant = await authenticated(context, request)
    if isinstance(participant, Failure):
        return error_response(request, participant)
    outcome = await call(participant.value)
    if isinstance(outcome, Failure):
        return error_response(request, outcome)
    return reply_response(outcome.value)


async def _raw_pids(request: Request) -> dict[str, Any]:
    try:
        document = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return {}
    return document if isinstance(document, dict) else {}


def unauthorized_catalog(failure: Failure) -> Failure:
    return Failure(Reason.UNAUTHORIZED, failure.detail, failure.details)
