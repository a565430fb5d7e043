"""Wire shapes of the contract negotiation protocol, built directly in the compact DSP 2025-1
form the schemas validate (shared/reference/dsp.md §7, pitfall 4): `@type` on every node, arrays
as arrays, never an empty array."""

from __future__ import annotations

from typing import Any

from connector.dsp import DSP_CONTEXT


def _message(message_type: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"@context": [DSP_CONTEXT], "@type": message_type}
    body.update({key: value for key, value in fields.items() if value is not None})
    return body


def contract_negotiation(provider_pid: str, consumer_pid: str, state: str) -> dict[str, Any]:
    """The `ContractNegotiation` ACK."""
    return _message(
        "ContractNegotiation", providerPid=provider_pid, consumerPid=consumer_pid, state=state
    )


def contract_request(
    consumer_pid: str, offer: dict[str, Any], callback_address: str
) -> dict[str, Any]:
    """The initial `ContractRequestMessage` (callbackAddress, no providerPid)."""
    return _message(
        "ContractRequestMessage",
        consumerPid=consumer_pid,
        offer=offer,
        callbackAddress=callback_address,
    )


def contract_counter_request(
    consumer_pid: str, provider_pid: str, offer: dict[str, Any]
) -> dict[str, Any]:
    """A counter-offer `ContractRequestMessage` in a running negotiation (providerPid, no
    callbackAddress: the schema's `oneOf`)."""
    return _message(
        "ContractRequestMessage", providerPid=provider_pid, consumerPid=consumer_pid, offer=offer
    )


def contract_offer(
    provider_pid: str,
    offer: dict[str, Any],
    consumer_pid: str | None = None,
    callback_address: str | None = None,
) -> dict[str, Any]:
    """A `ContractOfferMessage`: initial (callbackAddress, no consumerPid) or in a running
    negotiation (consumerPid, no callbackAddress)."""
    return _message(
        "ContractOfferMessage",
        providerPid=provider_pid,
        consumerPid=consumer_pid,
        offer=offer,
        callbackAddress=callback_address,
    )


def contract_agreement(
    provider_pid: str, consumer_pid: str, agreement: dict[str, Any]
) -> dict[str, Any]:
    return _message(
        "ContractAgreementMessage",
        providerPid=provider_pid,
        consumerPid=consumer_pid,
        agreement=agreement,
    )


def agreement_verification(provider_pid: str, consumer_pid: str) -> dict[str, Any]:
    return _message(
        "ContractAgreementVerificationMessage", providerPid=provider_pid, consumerPid=consumer_pid
    )


def negotiation_event(provider_pid: str, consumer_pid: str, event_type: str) -> dict[str, Any]:
    return _message(
        "ContractNegotiationEventMessage",
        providerPid=provider_pid,
        consumerPid=consumer_pid,
        eventType=event_type,
    )


def negotiation_termination(
    provider_pid: str, consumer_pid: str, code: str | None, reason: str | None
) -> dict[str, Any]:
    return _message(
        "ContractNegotiationTerminationMessage",
        providerPid=provider_pid,
        consumerPid=consumer_pid,
        code=code,
        reason=[reason] if reason else None,
    )
