"""Result types of an upstream resolution (issue 7, items 1 and 6): per supplier line, whether
a fresh, unchanged, stale or default value was used and why; JSON shape of the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from connector.upstream._lines import UpstreamLine


class LineStatus(StrEnum):
    RECEIVED = "received"  # a new version fetched, verified and stored
    CURRENT = "current"  # fetched; the version we already held
    STALE = "stale"  # fetching failed; our last received value is used
    DEFAULT = "default"  # no usable value: the calc engine falls back to the default value
    CYCLE = "cycle"  # the value depends on the product being resolved: rejected


class FailureCode(StrEnum):
    UNKNOWN_PARTICIPANT = "unknown_participant"
    UNREACHABLE = "unreachable"
    NOT_OFFERED = "not_offered"
    POLICY_DENIED = "policy_denied"
    INVALID_DATA = "invalid_data"
    BAD_SIGNATURE = "bad_signature"
    CYCLE = "cycle"
    ERROR = "error"


@dataclass(frozen=True)
class Fetched:
    """What the exchange with one supplier returned."""

    submodel: dict[str, Any]
    agreement_id: str
    asset_id: str
    negotiated: bool
    transferred: bool


@dataclass(frozen=True)
class FetchProblem:
    """Why the exchange with one supplier did not give a usable value."""

    code: FailureCode
    detail: str
    negotiated: bool = False
    transferred: bool = False


@dataclass(frozen=True)
class LineOutcome:
    line: UpstreamLine
    status: LineStatus
    version: str | None = None
    agreement_id: str | None = None
    reason_code: str = ""
    reason: str = ""
    negotiated: bool = False
    transferred: bool = False
    elapsed_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "supplier": self.line.supplier_did,
            "supplierProductId": self.line.supplier_product_id,
            "refs": list(self.line.refs),
            "status": self.status.value,
            "version": self.version,
            "agreementId": self.agreement_id,
            "reasonCode": self.reason_code or None,
            "reason": self.reason or None,
            "negotiated": self.negotiated,
            "transferred": self.transferred,
            "elapsedS": round(self.elapsed_s, 4),
        }


@dataclass(frozen=True)
class ResolutionReport:
    """What `resolve` returns (CLI table and management JSON alike)."""

    product_id: str
    lines: tuple[LineOutcome, ...]
    result: dict[str, Any] = field(default_factory=dict)
    breakdown: dict[str, Any] = field(default_factory=dict)
    published_version: int | None = None
    error: str | None = None

    @property
    def negotiations(self) -> int:
        return sum(1 for outcome in self.lines if outcome.negotiated)

    @property
    def transfers(self) -> int:
        return sum(1 for outcome in self.lines if outcome.transferred)

    def to_json(self) -> dict[str, Any]:
        flagged = [
            o
            for o in self.lines
            if o.status in (LineStatus.STALE, LineStatus.DEFAULT, LineStatus.CYCLE)
        ]
        return {
            "productId": self.product_id,
            "error": self.error,
            "result": self.result,
            "breakdown": self.breakdown,
            "publishedVersion": self.published_version,
            "negotiations": self.negotiations,
            "transfers": self.transfers,
            "lines": [outcome.to_json() for outcome in self.lines],
            "flagged": [
                {
                    "supplier": o.line.supplier_did,
                    "supplierProductId": o.line.supplier_product_id,
                    "status": o.status.value,
                    "reasonCode": o.reason_code,
                    "reason": o.reason,
                }
                for o in flagged
            ],
        }
