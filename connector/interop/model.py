"""The check model: one conformance check, its outcome and the evidence behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Evidence:
    """What was sent and what came back (body cut to an excerpt)."""

    request: str
    status: int | None = None
    body: str = ""


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    clause: str
    title: str
    outcome: Outcome
    reason: str = ""
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.check_id,
            "clause": self.clause,
            "title": self.title,
            "outcome": str(self.outcome),
            "reason": self.reason,
            "evidence": [
                {"request": e.request, "status": e.status, "body": e.body} for e in self.evidence
            ],
        }


class CheckFailed(Exception):
    """Raised inside a check to fail it with a reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CheckSkipped(Exception):
    """Raised inside a check to skip it with a reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
