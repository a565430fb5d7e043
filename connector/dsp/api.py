"""DSP 2025-1 HTTPS binding, both roles, under `/api/dsp` (shared/reference/dsp.md §3), and the
unauthenticated `/.well-known/dspace-version`. Each route validates, calls one service
function and maps its outcome (STYLE.md "Routers only validate, call one service function")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from connector import negotiation, transfer
from connector.context import NodeContext, get_context
from connector.dsp import DSP_PATH, PROTOCOL_VERSION
from connector.dsp._endpoint import handle_get, handle_post
from connector.negotiation import NegotiationMessage
from connector.outcome import Failure, Ok, bad_request
from connector.transfer import TransferMessage

public_router = APIRouter(tags=["dsp"])
dsp = APIRouter(prefix=DSP_PATH)


@public_router.get("/.well-known/dspace-version")
async def dspace_version(context: NodeContext = Depends(get_context)) -> dict[str, Any]:
    """The version document (unauthenticated, unversioned)."""
    return {
        "protocolVersions": [
            {
                "version": PROTOCOL_VERSION,
                "path": DSP_PATH,
                "binding": "HTTPS",
                "identifierType": "did:web",
                "serviceId": f"{context.settings.node.did}#dsp",
                "auth": {"protocol": "DCP", "version": "1.0"},
            }
        ]
    }


# ---- catalog (provider) -------------------------------------------------------------------


def _contracts() -> Any:
    """MGMT's provider side of the catalog (imported late: it imports our services)."""
    from connector.contracts import service as contracts

    return contracts


@dsp.post("/catalog/request")
async def catalog_request(
    request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    async def call(participant: Any, message: dict[str, Any]) -> Ok[Any] | Failure:
        outcome: Ok[Any] | Failure = await _contracts().provider_catalog(
            context, participant, message
        )
        return outcome

    return await handle_post(context, request, ("CatalogRequestMessage",), call)


@dsp.get("/catalog/datasets/{dataset_id:path}")
async def catalog_dataset(
    dataset_id: str, request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    async def call(participant: Any) -> Ok[Any] | Failure:
        outcome: Ok[Any] | Failure = await _contracts().provider_dataset(
            context, participant, dataset_id
        )
        return outcome

    return await handle_get(context, request, call)


# ---- negotiations (provider endpoints and consumer callbacks) -----------------------------


@dsp.get("/negotiations/{pid}")
async def negotiation_state(
    pid: str, request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    return await handle_get(
        context, request, lambda who: negotiation.negotiation_for_peer(context, who, pid)
    )


@dsp.post("/negotiations/request", status_code=201)
async def negotiation_request(
    request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    async def call(who: Any, message: dict[str, Any]) -> Ok[Any] | Failure:
        return await negotiation.on_initial_request(context, who, message)

    return await handle_post(context, request, ("ContractRequestMessage",), call)


@dsp.post("/negotiations/offers", status_code=201)
async def negotiation_initial_offer(
    request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    async def call(who: Any, message: dict[str, Any]) -> Ok[Any] | Failure:
        return await negotiation.on_initial_offer(context, who, message)

    return await handle_post(context, request, ("ContractOfferMessage",), call)


def _negotiation_route(suffix: str, message_type: str, kind: NegotiationMessage | None) -> None:
    async def endpoint(
        pid: str, request: Request, context: NodeContext = Depends(get_context)
    ) -> Response:
        async def call(who: Any, message: dict[str, Any]) -> Ok[Any] | Failure:
            move = kind if kind is not None else _event_kind(message)
            if move is None:
                return bad_request(f"eventType: {message.get('eventType')!r} is not known")
            return await negotiation.on_message(context, who, pid, move, message)

        return await handle_post(context, request, (message_type,), call)

    endpoint.__name__ = f"negotiation_{suffix.replace('/', '_')}"
    dsp.post(f"/negotiations/{{pid}}/{suffix}")(endpoint)


def _event_kind(message: dict[str, Any]) -> NegotiationMessage | None:
    event = str(message.get("eventType", "")).rsplit("/", 1)[-1].removeprefix("dspace:")
    return {
        "ACCEPTED": NegotiationMessage.ACCEPTED_EVENT,
        "FINALIZED": NegotiationMessage.FINALIZED_EVENT,
    }.get(event)


_negotiation_route("request", "ContractRequestMessage", NegotiationMessage.REQUEST)
_negotiation_route("events", "ContractNegotiationEventMessage", None)
_negotiation_route(
    "agreement/verification",
    "ContractAgreementVerificationMessage",
    NegotiationMessage.VERIFICATION,
)
_negotiation_route(
    "termination", "ContractNegotiationTerminationMessage", NegotiationMessage.TERMINATION
)
_negotiation_route("offers", "ContractOfferMessage", NegotiationMessage.OFFER)
_negotiation_route("agreement", "ContractAgreementMessage", NegotiationMessage.AGREEMENT)


# ---- transfers (provider endpoints and consumer callbacks) --------------------------------


@dsp.get("/transfers/{pid}")
async def transfer_state(
    pid: str, request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    return await handle_get(
        context, request, lambda who: transfer.transfer_for_peer(context, who, pid)
    )


@dsp.post("/transfers/request", status_code=201)
async def transfer_request(
    request: Request, context: NodeContext = Depends(get_context)
) -> Response:
    async def call(who: Any, message: dict[str, Any]) -> Ok[Any] | Failure:
        return await transfer.on_transfer_request(context, who, message)

    return await handle_post(context, request, ("TransferRequestMessage",), call)


def _transfer_route(suffix: str, kind: TransferMessage) -> None:
    async def endpoint(
        pid: str, request: Request, context: NodeContext = Depends(get_context)
    ) -> Response:
        async def call(who: Any, message: dict[str, Any]) -> Ok[Any] | Failure:
            return await transfer.on_message(context, who, pid, kind, message)

        return await handle_post(context, request, (kind.value,), call)

    endpoint.__name__ = f"transfer_{suffix}"
    dsp.post(f"/transfers/{{pid}}/{suffix}")(endpoint)


_transfer_route("start", TransferMessage.START)
_transfer_route("completion", TransferMessage.COMPLETION)
_transfer_route("termination", TransferMessage.TERMINATION)
_transfer_route("suspension", TransferMessage.SUSPENSION)

public_router.include_router(dsp)
