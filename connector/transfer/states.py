"""Transfer process states and allowed moves per role (DSP 2025-1 "Transfer Process Protocol";
shared/reference/dsp.md §6). Completion/suspension in REQUESTED, completion in SUSPENDED and
anything after COMPLETED/TERMINATED are refused."""

from __future__ import annotations

from enum import StrEnum

from connector.negotiation.states import Role


class TransferState(StrEnum):
    REQUESTED = "REQUESTED"
    STARTED = "STARTED"
    SUSPENDED = "SUSPENDED"
    COMPLETED = "COMPLETED"
    TERMINATED = "TERMINATED"


class TransferMessage(StrEnum):
    REQUEST = "TransferRequestMessage"
    START = "TransferStartMessage"
    COMPLETION = "TransferCompletionMessage"
    SUSPENSION = "TransferSuspensionMessage"
    TERMINATION = "TransferTerminationMessage"


TERMINAL: frozenset[TransferState] = frozenset({TransferState.COMPLETED, TransferState.TERMINATED})

_S = TransferState
_M = TransferMessage

_COMMON: dict[tuple[TransferState, TransferMessage], TransferState] = {
    (_S.REQUESTED, _M.TERMINATION): _S.TERMINATED,
    (_S.STARTED, _M.COMPLETION): _S.COMPLETED,
    (_S.STARTED, _M.SUSPENSION): _S.SUSPENDED,
    (_S.STARTED, _M.TERMINATION): _S.TERMINATED,
    (_S.SUSPENDED, _M.TERMINATION): _S.TERMINATED,
}

# The provider receives a consumer Start only to resume a suspended transfer.
PROVIDER_RECEIVES: dict[tuple[TransferState, TransferMessage], TransferState] = {
    **_COMMON,
    (_S.SUSPENDED, _M.START): _S.STARTED,
}

CONSUMER_RECEIVES: dict[tuple[TransferState, TransferMessage], TransferState] = {
    **_COMMON,
    (_S.REQUESTED, _M.START): _S.STARTED,
    (_S.SUSPENDED, _M.START): _S.STARTED,
}

PROVIDER_SENDS: dict[tuple[TransferState, TransferMessage], TransferState] = {
    **_COMMON,
    (_S.REQUESTED, _M.START): _S.STARTED,
    (_S.SUSPENDED, _M.START): _S.STARTED,
}

# The consumer resumes through the provider's /start; the provider answers with its own Start.
CONSUMER_SENDS: dict[tuple[TransferState, TransferMessage], TransferState] = {
    **_COMMON,
    (_S.SUSPENDED, _M.START): _S.SUSPENDED,
}


def received_move(
    role: Role, state: TransferState, message: TransferMessage
) -> TransferState | None:
    """The state a received message moves to, or None when the spec does not allow it."""
    table = PROVIDER_RECEIVES if role is Role.PROVIDER else CONSUMER_RECEIVES
    return table.get((state, message))


def sent_move(role: Role, state: TransferState, message: TransferMessage) -> TransferState | None:
    """The state recorded when this role sends a message, or None when not allowed."""
    table = PROVIDER_SENDS if role is Role.PROVIDER else CONSUMER_SENDS
    return table.get((state, message))
