"""Transfer processes (DSP 2025-1), both roles, HTTP pull: the state machine as data, the use
cases the management API calls, the inbound handlers the DSP router calls, the outbound steps
the work loop runs, and the consumer's EDR cache with refresh."""

from connector.transfer._inbound import (
    agreement_problem,
    on_message,
    on_transfer_request,
    transfer_for_peer,
)
from connector.transfer.models import EdrRow, TransferRow
from connector.transfer.processors import TransferProcessor
from connector.transfer.service import (
    complete_transfer,
    edr_data_address,
    get_edr_data_address,
    get_transfer,
    query_edrs,
    query_transfers,
    request_transfer,
    resume_transfer,
    suspend_transfer,
    terminate_transfer,
    wait_for_transfer,
)
from connector.transfer.states import TransferMessage, TransferState

__all__ = [
    "EdrRow",
    "TransferMessage",
    "TransferProcessor",
    "TransferRow",
    "TransferState",
    "agreement_problem",
    "complete_transfer",
    "edr_data_address",
    "get_edr_data_address",
    "get_transfer",
    "on_message",
    "on_transfer_request",
    "query_edrs",
    "query_transfers",
    "request_transfer",
    "resume_transfer",
    "suspend_transfer",
    "terminate_transfer",
    "transfer_for_peer",
    "wait_for_transfer",
]
