"""One place that turns a `Failure` (or an unexpected exception) into an HTTP answer with the
error shape of the surface that was called (STYLE.md "Errors"):

- `/api/dsp/...`: DSP 2025-1 error messages (`CatalogError`, `ContractNegotiationError`,
  `TransferError`), see shared/reference/dsp.md section 7;
- `/api/management/...`: the EDC Management API error array `[{message, type, path, invalidValue}]`;
- `/api/aas/...` and `/api/public/...`: the AAS API Part 2 `Result` with `messages`;
- anything else: `{"error": reason, "detail": ...}`.

Unexpected exceptions are logged with the request id and answered 500 with no traceback; a
database that cannot be reached (or whose connection dropped) is a 503 with `Retry-After`; a
client that hangs up before its body is read is logged as such, not as an error.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import exc as sql_errors
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from connector.outcome import Failure, Reason

log = logging.getLogger("carbonspace.errors")

# nginx's status for "client closed request": only logs and metrics ever see it.
CLIENT_CLOSED_REQUEST = 499

# Seconds a caller should wait before retrying when the database was unreachable.
DATABASE_RETRY_AFTER_S = 1

DSP_CONTEXT = "https://w3id.org/dspace/2025/1/context.jsonld"

_EDC_TYPES: dict[Reason, str] = {
    Reason.BAD_REQUEST: "ValidationFailure",
    Reason.UNAUTHORIZED: "AuthenticationFailed",
    Reason.FORBIDDEN: "NotAuthorized",
    Reason.NOT_FOUND: "ObjectNotFound",
    Reason.CONFLICT: "ObjectConflict",
    Reason.TOO_LARGE: "ValidationFailure",
    Reason.UNAVAILABLE: "ServiceUnavailable",
    Reason.BAD_GATEWAY: "BadGateway",
}

_REASON_BY_STATUS: dict[int, Reason] = {
    400: Reason.BAD_REQUEST,
    401: Reason.UNAUTHORIZED,
    403: Reason.FORBIDDEN,
    404: Reason.NOT_FOUND,
    405: Reason.BAD_REQUEST,
    409: Reason.CONFLICT,
    413: Reason.TOO_LARGE,
    415: Reason.BAD_REQUEST,
    422: Reason.BAD_REQUEST,
}


def dsp_error_type(path: str) -> str:
    """The DSP error message type for a DSP path."""
    if "/negotiations" in path:
        return "ContractNegotiationError"
    if "/transfers" in path:
        return "TransferError"
    return "CatalogError"


def dsp_error_body(
    path: str, failure: Failure, provider_pid: str = "", consumer_pid: str = ""
) -> dict[str, Any]:
    """A DSP error message; negotiation and transfer errors always carry both pids."""
    error_type = dsp_error_type(path)
    body: dict[str, Any] = {"@context": [DSP_CONTEXT], "@type": error_type}
    if error_type != "CatalogError":
        body["providerPid"] = provider_pid
        body["consumerPid"] = consumer_pid
    body["code"] = str(failure.status)
    body["reason"] = [failure.detail, *failure.details]
    return body


def edc_error_body(failure: Failure) -> list[dict[str, Any]]:
    """The EDC Management API error array: one entry per problem."""
    messages = [failure.detail, *failure.details] if failure.details else [failure.detail]
    return [
        {"message": message, "type": _EDC_TYPES[failure.reason], "path": None, "invalidValue": None}
        for message in messages
    ]


def aas_error_body(failure: Failure, status: int | None = None) -> dict[str, Any]:
    """The AAS API Part 2 `Result` (only the keys the spec allows)."""
    timestamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    texts = [failure.detail, *failure.details]
    return {
        "messages": [
            {
                "messageType": "Error",
                "text": text,
                "code": str(status or failure.status),
                "timestamp": timestamp,
            }
            for text in texts
        ]
    }


def error_body_for_path(path: str, failure: Failure, status: int | None = None) -> Any:
    """Pick the error shape by the surface the path belongs to."""
    if path.startswith("/api/dsp"):
        return dsp_error_body(path, failure)
    if path.startswith("/api/management"):
        return edc_error_body(failure)
    if path.startswith(("/api/aas", "/api/public")):
        return aas_error_body(failure, status)
    return {
        "error": failure.reason.value,
        "detail": failure.detail,
        "details": list(failure.details),
    }


def failure_response(request: Request, failure: Failure) -> JSONResponse:
    """The response for a failure, shaped for the surface of `request`."""
    body = error_body_for_path(request.url.path, failure)
    return JSONResponse(body, status_code=failure.status)


def install_error_handlers(app: FastAPI) -> None:
    """Validation errors -> 400 spec-shaped, HTTP errors keep their status, bugs -> 500."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = tuple(_describe_validation_error(error) for error in exc.errors())
        return failure_response(request, Failure(Reason.BAD_REQUEST, "invalid request", details))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        reason = _REASON_BY_STATUS.get(exc.status_code, Reason.BAD_REQUEST)
        failure = Failure(reason, str(exc.detail))
        body = error_body_for_path(request.url.path, failure, exc.status_code)
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(ClientDisconnect)
    async def _client_gone(request: Request, exc: ClientDisconnect) -> Response:
        # The caller closed the connection before its body was read: nothing was done, and
        # nobody is left to answer. Not a bug of ours, so no 500 and no traceback in the log.
        log.info("client disconnected", extra={"path": request.url.path, "method": request.method})
        return Response(status_code=CLIENT_CLOSED_REQUEST)

    @app.exception_handler(sql_errors.DBAPIError)
    async def _database(request: Request, exc: sql_errors.DBAPIError) -> JSONResponse:
        if not _database_unreachable(exc):
            return _internal_error(request, exc)
        # Nothing was committed: the transaction failed with its connection. Retrying is safe.
        log.warning(
            "database unreachable",
            extra={"path": request.url.path, "method": request.method, "error": str(exc.orig)},
        )
        return _unavailable(request)

    @app.exception_handler(sqlite3.OperationalError)
    async def _sqlite_state(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        # Inline SQLite row operations raise the driver's error once a lock wait runs out.
        if not _sqlite_unavailable(exc):
            return _internal_error(request, exc)
        log.warning("database unavailable", extra={"path": request.url.path, "error": str(exc)})
        return _unavailable(request)

    @app.exception_handler(sql_errors.TimeoutError)
    async def _pool_exhausted(request: Request, exc: sql_errors.TimeoutError) -> JSONResponse:
        log.warning("no database connection free", extra={"path": request.url.path})
        return _unavailable(request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _internal_error(request, exc)


def _database_unreachable(error: sql_errors.DBAPIError) -> bool:
    """A lost or refused connection, a lock wait run out, a full or unreadable disk: the
    database's state, not a bug of ours (SQLite reports bad SQL as an OperationalError too)."""
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, sqlite3.Error):
        return _sqlite_unavailable(error.orig)
    return isinstance(error, (sql_errors.OperationalError, sql_errors.InterfaceError))


# SQLite's primary result codes for a database that cannot serve now: BUSY, LOCKED, READONLY,
# IOERR, FULL, CANTOPEN.
_SQLITE_UNAVAILABLE = frozenset({5, 6, 8, 10, 13, 14})


def _sqlite_unavailable(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _SQLITE_UNAVAILABLE


def _unavailable(request: Request) -> JSONResponse:
    failure = Failure(Reason.UNAVAILABLE, "the database is unavailable; retry later")
    body = error_body_for_path(request.url.path, failure, 503)
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}
    return JSONResponse(body, status_code=503, headers=headers)


def _internal_error(request: Request, error: Exception) -> JSONResponse:
    """500 for a bug, logged with its traceback; the caller sees none."""
    log.error(
        "unhandled error",
        exc_info=error,
        extra={"path": request.url.path, "method": request.method},
    )
    failure = Failure(Reason.UNAVAILABLE, "internal error; see the node's log")
    body = error_body_for_path(request.url.path, failure, 500)
    return JSONResponse(body, status_code=500)


def _describe_validation_error(error: Any) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{location}: {error.get('msg', 'invalid')}" if location else str(error.get("msg"))
