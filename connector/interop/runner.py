"""Runs the checks against one peer, each with its own timeout, and collects the results."""

from __future__ import annotations

import asyncio
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from connector.interop import checks_errors, checks_negotiation  # noqa: F401  (registration)
from connector.interop.checks import CHECKS, Check
from connector.interop.model import CheckFailed, CheckResult, CheckSkipped, Outcome
from connector.interop.session import Authorizer, PeerSession


@dataclass(frozen=True)
class RunOptions:
    target: str
    authorize: Authorizer
    peer_did: str = ""
    offer_id: str = ""
    callback_url: str = ""
    only: str = ""
    timeout_s: float = 20.0


def selected(only: str) -> list[Check]:
    if not only:
        return list(CHECKS)
    patterns = [p.strip() for p in only.split(",") if p.strip()]
    return [c for c in CHECKS if any(fnmatch.fnmatch(c.check_id, p) for p in patterns)]


async def run_checks(
    options: RunOptions, transport: httpx.AsyncBaseTransport | None = None
) -> list[CheckResult]:
    async with httpx.AsyncClient(transport=transport, timeout=options.timeout_s) as client:
        session = PeerSession(
            base_url=options.target.rstrip("/"),
            client=client,
            authorize=options.authorize,
            peer_did=options.peer_did,
            offer_id=options.offer_id,
        )
        session.shared["callback_url"] = options.callback_url
        await _discover_root(session)
        return [await run_one(check, session, options.timeout_s) for check in _ordered(options)]


def _ordered(options: RunOptions) -> Sequence[Check]:
    return selected(options.only)


async def _discover_root(session: PeerSession) -> None:
    """TARGET's origin serves /.well-known/dspace-version (DSP 2025-1 Exposure of Versions)."""
    parts = urlsplit(session.base_url)
    session.shared["root_url"] = f"{parts.scheme}://{parts.netloc}"


async def run_one(check: Check, session: PeerSession, timeout_s: float) -> CheckResult:
    session.evidence = []
    try:
        note = await asyncio.wait_for(check.run(session), timeout_s)
        outcome, reason = Outcome.PASS, note
    except CheckFailed as exc:
        outcome, reason = Outcome.FAIL, exc.reason
    except CheckSkipped as exc:
        outcome, reason = Outcome.SKIP, exc.reason
    except TimeoutError:
        outcome, reason = Outcome.FAIL, f"no result within {timeout_s:g} s"
    except httpx.HTTPError as exc:
        outcome, reason = Outcome.FAIL, f"HTTP error: {type(exc).__name__}: {exc}"
    except Exception as exc:  # a peer's odd answer must never crash the harness
        outcome, reason = Outcome.FAIL, f"unexpected answer: {type(exc).__name__}: {exc}"
    if check.check_id == "metadata.version" and outcome is Outcome.PASS:
        session.shared["advertised_path"] = reason.split(" at ", 1)[1]
    return CheckResult(
        check.check_id, check.clause, check.title, outcome, reason, tuple(session.evidence)
    )


def exit_code(results: Sequence[CheckResult]) -> int:
    return 1 if any(r.outcome is Outcome.FAIL for r in results) else 0
