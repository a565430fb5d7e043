"""Dataspace Protocol 2025-1, HTTPS binding: JSON-LD reading with local contexts, validation of
messages against the spec's JSON schemas, the outbound client, DCP authentication of inbound
requests, and the `/api/dsp` routers (in `api.py`)."""

from connector.dsp._auth import authenticate_request
from connector.dsp._client import PeerReply, join_url, send_message
from connector.dsp._jsonld import (
    CATENAX_POLICY_CONTEXT,
    DSP_CONTEXT,
    EDC_DSPACE_CONTEXT,
    local_loader,
    normalise,
)
from connector.dsp._pids import check_pids
from connector.dsp._validation import SCHEMA_BY_TYPE, schema_problems, validate_message

DSP_PATH = "/api/dsp"
PROTOCOL_VERSION = "2025-1"

__all__ = [
    "CATENAX_POLICY_CONTEXT",
    "DSP_CONTEXT",
    "DSP_PATH",
    "EDC_DSPACE_CONTEXT",
    "PROTOCOL_VERSION",
    "SCHEMA_BY_TYPE",
    "PeerReply",
    "authenticate_request",
    "check_pids",
    "join_url",
    "local_loader",
    "normalise",
    "schema_problems",
    "send_message",
    "validate_message",
]
