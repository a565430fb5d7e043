"""Identity routes.

Public (protocol port): the DID document (`/.well-known/did.json`, and `/did.json` for node URLs
with a path), the DCP credential service (`POST /api/identity/presentations/query`) and
`GET /api/identity/whoami`, which runs the full DCP verification of the caller and echoes what was
verified (for peers debugging trust). Management: the node's identity, DCP tokens for operators,
peer DID resolution and the held credentials.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse

from connector.context import NodeContext, get_context
from connector.errors import failure_response
from connector.identity import store
from connector.identity.did import DidError, did_document_url, service_endpoint
from connector.identity.keys import KeyFileError, load_key
from connector.identity.provisioning import node_key_location, store_credential
from connector.identity.schemas import (
    AddCredentialRequest,
    CredentialView,
    ParticipantView,
    PeerView,
    TokenRequest,
    TokenResponse,
)
from connector.identity.service import NodeIdentity
from connector.outcome import Failure, Reason, not_found

public_router = APIRouter(tags=["identity"])
management_router = APIRouter(prefix="/api/management/identity", tags=["identity"])


def identity_of(context: NodeContext) -> NodeIdentity:
    service: NodeIdentity = context.service("identity")
    return service


async def on_startup(context: NodeContext) -> None:
    """Load and decrypt the node key; publish `NodeIdentity` as `services["identity"]`."""
    try:
        key = load_key(node_key_location(context.settings))
    except KeyFileError as exc:
        raise RuntimeError(str(exc)) from None
    context.services["identity"] = NodeIdentity(context, key)


@public_router.get("/.well-known/did.json")
@public_router.get("/did.json", include_in_schema=False)
async def did_document(context: NodeContext = Depends(get_context)) -> JSONResponse:
    """The node's did:web document."""
    return JSONResponse(identity_of(context).document, media_type="application/did+json")


@public_router.post("/api/identity/presentations/query")
async def presentations_query(
    request: Request,
    authorization: str | None = Header(default=None),
    context: NodeContext = Depends(get_context),
) -> JSONResponse:
    """DCP Resolution API: a PresentationResponseMessage for an authorised verifier."""
    try:
        body: Any = await request.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "presentationDefinition" in body:
        detail = "presentationDefinition is not supported; query by scope"
        return JSONResponse({"error": "not_implemented", "detail": detail}, status_code=501)
    outcome = await identity_of(context).answer_presentation_query(authorization, body)
    if isinstance(outcome, Failure):
        return failure_response(request, outcome)
    return JSONResponse(outcome.value)


@public_router.get("/api/identity/whoami", response_model=ParticipantView)
async def whoami(
    request: Request,
    authorization: str | None = Header(default=None),
    context: NodeContext = Depends(get_context),
) -> Any:
    """Authenticate the caller with DCP and echo the verified DID and credentials."""
    outcome = await identity_of(context).authenticate(authorization)
    if isinstance(outcome, Failure):
        return failure_response(request, outcome)
    return ParticipantView.of(outcome.value)


@management_router.get("")
async def describe_identity(context: NodeContext = Depends(get_context)) -> dict[str, Any]:
    """The node's DID, DID document and trusted authorities."""
    identity = identity_of(context)
    return {
        "did": identity.did,
        "didDocument": identity.document,
        "trustedAuthorities": list(context.settings.trust.authorities),
    }


@management_router.post("/tokens", response_model=TokenResponse)
async def mint_token(
    body: TokenRequest, context: NodeContext = Depends(get_context)
) -> TokenResponse:
    """A DCP self-issued ID token for a call to `audience` (for operators debugging trust)."""
    headers = await identity_of(context).outbound_headers(body.audience)
    return TokenResponse(audience=body.audience, authorization=headers["Authorization"])


@management_router.get("/peers", response_model=PeerView)
async def resolve_peer(
    request: Request,
    did: str = Query(min_length=9, max_length=512),
    context: NodeContext = Depends(get_context),
) -> Any:
    """Resolve a peer's did:web document and its DCP/DSP endpoints (`?did=`; a query parameter
    because did:web identifiers contain `%3A`, which a path segment would decode)."""
    try:
        did_document_url(did, allow_insecure=True)
    except DidError as exc:
        return failure_response(request, Failure(Reason.BAD_REQUEST, str(exc)))
    resolved = await identity_of(context).resolver.resolve(did)
    if isinstance(resolved, Failure):
        return failure_response(request, not_found(resolved.detail))
    document = resolved.value
    return PeerView(
        did=did,
        did_document=document,
        credential_service=service_endpoint(document, "CredentialService"),
        dsp_endpoint=service_endpoint(document, "DataService"),
    )


@management_router.get("/credentials", response_model=list[CredentialView])
async def list_held_credentials(context: NodeContext = Depends(get_context)) -> Any:
    """The credentials this node holds and presents."""
    rows = await store.list_credentials(context.database)
    return [CredentialView.of_row(row) for row in rows]


@management_router.post("/credentials", status_code=201, response_model=CredentialView)
async def add_held_credential(
    body: AddCredentialRequest, request: Request, context: NodeContext = Depends(get_context)
) -> Any:
    """Store a VC-JWT issued to this node."""
    outcome = await store_credential(
        context.database, context.settings.node.did, body.credential, context.clock.now()
    )
    if isinstance(outcome, Failure):
        return failure_response(request, outcome)
    return CredentialView.of_credential(outcome.value)
