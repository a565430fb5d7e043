"""Router helpers: every route also answers with a trailing slash (no 307 redirect, which some
clients do not follow: edc-mgmt-api.md §5), and outcomes map to responses in one place.

The slash is dropped before routing (`connector.app.TrailingSlashMiddleware`) rather than
registered as a second route per path: FastAPI's router tries routes one by one, and the
duplicates doubled the ~90 routes a management call was matched against (route matching was
6% of a consumer node's CPU in a negotiation burst)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from connector.errors import failure_response
from connector.outcome import Failure, Ok


def route(router: APIRouter, method: str, path: str, **options: Any) -> Callable[[Any], Any]:
    """Register `path` for `method` (`path/` reaches it with its slash dropped)."""

    def decorator(function: Any) -> Any:
        router.add_api_route(path, function, methods=[method], **options)
        return function

    return decorator


def respond(request: Request, outcome: Ok[Any] | Failure, status: int = 200) -> Response:
    """`Ok` -> JSON (or 204 for None), `Failure` -> the EDC error array."""
    if isinstance(outcome, Failure):
        return failure_response(request, outcome)
    if outcome.value is None:
        return Response(status_code=204)
    return JSONResponse(outcome.value, status_code=status)
