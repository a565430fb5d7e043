"""DCP authentication of DSP requests (DSP 2025-1 §"Authorization"; DCP self-issued ID token):
one place maps the `Authorization` header to a verified participant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request

from connector.outcome import Failure, Ok, Reason

if TYPE_CHECKING:
    from connector.context import NodeContext


async def authenticate_request(context: NodeContext, request: Request) -> Ok[Any] | Failure:
    """The verified participant (`did`, `credentials`) behind the request, or why not."""
    identity = context.service("identity")
    outcome: Ok[Any] | Failure = await identity.authenticate(request.headers.get("authorization"))
    if isinstance(outcome, Failure) and outcome.reason is not Reason.UNAUTHORIZED:
        return Failure(Reason.UNAUTHORIZED, outcome.detail, outcome.details)
    return outcome
