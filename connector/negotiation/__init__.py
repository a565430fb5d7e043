"""Contract negotiation (DSP 2025-1), both roles: the state machine as data, the use cases the
management API calls, the inbound message handlers the DSP router calls, the outbound steps the
work loop runs. Agreements are stored with their policy."""

from connector.negotiation._inbound import (
    Reply,
    negotiation_for_peer,
    on_initial_offer,
    on_initial_request,
    on_message,
)
from connector.negotiation._policy import (
    DATA_ACCESS,
    TRANSFER,
    Verdict,
    agreement_policy,
    evaluate_for,
    read_policy,
)
from connector.negotiation._store import (
    by_consumer_pid,
    commit_and_dispatch,
    finish_with_provider_pid,
    load_for_update,
    new_pid,
    prepared,
    prepared_send,
    query_rows,
    retry_stale,
    row_for_peer,
)
from connector.negotiation.models import AgreementRow, NegotiationRow
from connector.negotiation.offers import accept_offer, counter_offer, offer_contract
from connector.negotiation.processors import NegotiationProcessor
from connector.negotiation.service import (
    callback_address,
    get_agreement,
    get_negotiation,
    query_agreements,
    query_negotiations,
    reinstate_agreement,
    request_contract,
    revoke_agreement,
    terminate_negotiation,
    wait_for_negotiation,
)
from connector.negotiation.states import NegotiationMessage, NegotiationState, Role

__all__ = [
    "DATA_ACCESS",
    "TRANSFER",
    "AgreementRow",
    "NegotiationMessage",
    "NegotiationProcessor",
    "NegotiationRow",
    "NegotiationState",
    "Reply",
    "Role",
    "Verdict",
    "accept_offer",
    "agreement_policy",
    "by_consumer_pid",
    "callback_address",
    "commit_and_dispatch",
    "counter_offer",
    "evaluate_for",
    "finish_with_provider_pid",
    "get_agreement",
    "get_negotiation",
    "load_for_update",
    "negotiation_for_peer",
    "new_pid",
    "offer_contract",
    "on_initial_offer",
    "on_initial_request",
    "on_message",
    "prepared",
    "prepared_send",
    "query_agreements",
    "query_negotiations",
    "query_rows",
    "read_policy",
    "reinstate_agreement",
    "request_contract",
    "retry_stale",
    "revoke_agreement",
    "row_for_peer",
    "terminate_negotiation",
    "wait_for_negotiation",
]
