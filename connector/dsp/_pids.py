"""providerPid / consumerPid checks shared by negotiations and transfers (DSP 2025-1 HTTPS
binding; shared/reference/dsp.md section 8): every message after the first carries both pids,
and they must be the ones the process stored."""

from __future__ import annotations

from typing import Any, Protocol

from connector.outcome import Failure, bad_request


class HasPids(Protocol):
    consumer_pid: str
    provider_pid: str | None


def check_pids(row: HasPids, message: dict[str, Any]) -> Failure | None:
    """None when the message's pids match the stored process, else a 400 naming the pid."""
    if message.get("consumerPid") != row.consumer_pid:
        return bad_request(f"consumerPid: {message.get('consumerPid')} does not match the process")
    if row.provider_pid is not None and message.get("providerPid") != row.provider_pid:
        return bad_request(f"providerPid: {message.get('providerPid')} does not match the process")
    return None
