"""Wire shapes of the transfer process protocol in the compact DSP 2025-1 form (shared/reference/
dsp.md §7): TransferProcess ACK, request/start/completion/suspension/termination messages and
the pull `DataAddress` with its `EndpointProperty` entries."""

from __future__ import annotations

from typing import Any

from connector.dsp import DSP_CONTEXT

HTTP_ENDPOINT_TYPE = "https://w3id.org/idsa/v4.1/HTTP"
PULL_FORMAT = "HttpData-PULL"


def _message(message_type: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"@context": [DSP_CONTEXT], "@type": message_type}
    body.update({key: value for key, value in fields.items() if value is not None})
    return body


def transfer_process(provider_pid: str, consumer_pid: str, state: str) -> dict[str, Any]:
    return _message(
        "TransferProcess", providerPid=provider_pid, consumerPid=consumer_pid, state=state
    )


def transfer_request(
    consumer_pid: str, agreement_id: str, transfer_format: str, callback_address: str
) -> dict[str, Any]:
    return _message(
        "TransferRequestMessage",
        consumerPid=consumer_pid,
        agreementId=agreement_id,
        format=transfer_format,
        callbackAddress=callback_address,
    )


def data_address(endpoint: str, properties: dict[str, str]) -> dict[str, Any]:
    """A pull DataAddress; `properties` become `EndpointProperty` entries (string values)."""
    address: dict[str, Any] = {
        "@type": "DataAddress",
        "endpointType": HTTP_ENDPOINT_TYPE,
        "endpoint": endpoint,
    }
    if properties:
        address["endpointProperties"] = [
            {"@type": "EndpointProperty", "name": name, "value": value}
            for name, value in properties.items()
        ]
    return address


def transfer_start(
    provider_pid: str, consumer_pid: str, address: dict[str, Any] | None
) -> dict[str, Any]:
    return _message(
        "TransferStartMessage",
        providerPid=provider_pid,
        consumerPid=consumer_pid,
        dataAddress=address,
    )


def transfer_completion(provider_pid: str, consumer_pid: str) -> dict[str, Any]:
    return _message("TransferCompletionMessage", providerPid=provider_pid, consumerPid=consumer_pid)


def transfer_suspension(
    provider_pid: str, consumer_pid: str, code: str | None, reason: str | None
) -> dict[str, Any]:
    return _message(
        "TransferSuspensionMessage",
        providerPid=provider_pid,
        consumerPid=consumer_pid,
        code=code,
        reason=[reason] if reason else None,
    )


def transfer_termination(
    provider_pid: str, consumer_pid: str, code: str | None, reason: str | None
) -> dict[str, Any]:
    return _message(
        "TransferTerminationMessage",
        providerPid=provider_pid,
        consumerPid=consumer_pid,
        code=code,
        reason=[reason] if reason else None,
    )


def endpoint_properties(address: dict[str, Any]) -> dict[str, str]:
    """`{name: value}` of a DataAddress (object-or-array tolerant on reading)."""
    entries = address.get("endpointProperties") or []
    if isinstance(entries, dict):
        entries = [entries]
    return {
        entry["name"]: entry["value"]
        for entry in entries
        if isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and isinstance(entry.get("value"), str)
    }
