"""Contract negotiation states and the moves each role may make (DSP 2025-1 "Contract
Negotiation Protocol", state machine; shared/reference/dsp.md §5). The tables are data: a
message is accepted only when (role, current state, message) is listed, and a terminal state
never changes."""

from __future__ import annotations

from enum import StrEnum


class NegotiationState(StrEnum):
    REQUESTED = "REQUESTED"
    OFFERED = "OFFERED"
    ACCEPTED = "ACCEPTED"
    AGREED = "AGREED"
    VERIFIED = "VERIFIED"
    FINALIZED = "FINALIZED"
    TERMINATED = "TERMINATED"


class Role(StrEnum):
    PROVIDER = "PROVIDER"
    CONSUMER = "CONSUMER"


class NegotiationMessage(StrEnum):
    """What moves a negotiation: the message type (events split by `eventType`)."""

    REQUEST = "ContractRequestMessage"
    OFFER = "ContractOfferMessage"
    AGREEMENT = "ContractAgreementMessage"
    VERIFICATION = "ContractAgreementVerificationMessage"
    ACCEPTED_EVENT = "ContractNegotiationEventMessage:ACCEPTED"
    FINALIZED_EVENT = "ContractNegotiationEventMessage:FINALIZED"
    TERMINATION = "ContractNegotiationTerminationMessage"


TERMINAL: frozenset[NegotiationState] = frozenset(
    {NegotiationState.FINALIZED, NegotiationState.TERMINATED}
)

_S = NegotiationState
_M = NegotiationMessage
_NON_TERMINAL = tuple(state for state in NegotiationState if state not in TERMINAL)

# Messages a PROVIDER receives from the consumer: (state, message) -> new state.
PROVIDER_RECEIVES: dict[tuple[NegotiationState, NegotiationMessage], NegotiationState] = {
    (_S.OFFERED, _M.REQUEST): _S.REQUESTED,
    (_S.OFFERED, _M.ACCEPTED_EVENT): _S.ACCEPTED,
    (_S.AGREED, _M.VERIFICATION): _S.VERIFIED,
    **{(state, _M.TERMINATION): _S.TERMINATED for state in _NON_TERMINAL},
}

# Messages a CONSUMER receives from the provider.
CONSUMER_RECEIVES: dict[tuple[NegotiationState, NegotiationMessage], NegotiationState] = {
    (_S.REQUESTED, _M.OFFER): _S.OFFERED,
    (_S.REQUESTED, _M.AGREEMENT): _S.AGREED,
    (_S.ACCEPTED, _M.AGREEMENT): _S.AGREED,
    (_S.VERIFIED, _M.FINALIZED_EVENT): _S.FINALIZED,
    **{(state, _M.TERMINATION): _S.TERMINATED for state in _NON_TERMINAL},
}

# Messages a role sends: the state it must be in -> the state it records.
PROVIDER_SENDS: dict[tuple[NegotiationState, NegotiationMessage], NegotiationState] = {
    (_S.REQUESTED, _M.OFFER): _S.OFFERED,
    (_S.REQUESTED, _M.AGREEMENT): _S.AGREED,
    (_S.ACCEPTED, _M.AGREEMENT): _S.AGREED,
    (_S.VERIFIED, _M.FINALIZED_EVENT): _S.FINALIZED,
    **{(state, _M.TERMINATION): _S.TERMINATED for state in _NON_TERMINAL},
}

CONSUMER_SENDS: dict[tuple[NegotiationState, NegotiationMessage], NegotiationState] = {
    (_S.OFFERED, _M.REQUEST): _S.REQUESTED,
    (_S.OFFERED, _M.ACCEPTED_EVENT): _S.ACCEPTED,
    (_S.AGREED, _M.VERIFICATION): _S.VERIFIED,
    **{(state, _M.TERMINATION): _S.TERMINATED for state in _NON_TERMINAL},
}


def received_move(
    role: Role, state: NegotiationState, message: NegotiationMessage
) -> NegotiationState | None:
    """The state a received message moves to, or None when the spec does not allow it."""
    table = PROVIDER_RECEIVES if role is Role.PROVIDER else CONSUMER_RECEIVES
    return table.get((state, message))


def sent_move(
    role: Role, state: NegotiationState, message: NegotiationMessage
) -> NegotiationState | None:
    """The state recorded when this role sends a message, or None when not allowed."""
    table = PROVIDER_SENDS if role is Role.PROVIDER else CONSUMER_SENDS
    return table.get((state, message))
