"""Participant directory: find a participant's DSP endpoint from its DID (config, directory file,
DID document)."""

from connector.directory.service import (
    Participant,
    configured_participants,
    dsp_base_from_version_document,
    resolve_participant,
)

__all__ = [
    "Participant",
    "configured_participants",
    "dsp_base_from_version_document",
    "resolve_participant",
]
