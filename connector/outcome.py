"""Typed service outcomes (STYLE.md "Errors"): a service returns `Ok(value)` or a `Failure`
with a reason and a detail; `connector.errors` maps a reason to a status and a spec-shaped body
once, for every endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Reason(StrEnum):
    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    UNAVAILABLE = "unavailable"
    BAD_GATEWAY = "bad_gateway"  # a counterparty failed (EDC answers 502)


HTTP_STATUS: dict[Reason, int] = {
    Reason.BAD_REQUEST: 400,
    Reason.UNAUTHORIZED: 401,
    Reason.FORBIDDEN: 403,
    Reason.NOT_FOUND: 404,
    Reason.CONFLICT: 409,
    Reason.TOO_LARGE: 413,
    Reason.UNAVAILABLE: 503,
    Reason.BAD_GATEWAY: 502,
}


@dataclass(frozen=True)
class Ok(Generic[T]):
    value: T


@dataclass(frozen=True)
class Failure:
    """Why a use case did not succeed. `details` carries one line per problem (e.g. a path)."""

    reason: Reason
    detail: str
    details: tuple[str, ...] = field(default=())

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.reason]


Outcome = Ok[T] | Failure


def bad_request(detail: str, *details: str) -> Failure:
    return Failure(Reason.BAD_REQUEST, detail, details)


def not_found(detail: str) -> Failure:
    return Failure(Reason.NOT_FOUND, detail)


def conflict(detail: str) -> Failure:
    return Failure(Reason.CONFLICT, detail)


def forbidden(detail: str) -> Failure:
    return Failure(Reason.FORBIDDEN, detail)


def unauthorized(detail: str) -> Failure:
    return Failure(Reason.UNAUTHORIZED, detail)
