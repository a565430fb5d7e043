"""Offer ids: opaque to peers, self-describing for us. An id names the contract definition, the
asset and a digest of the offered policy, so a later contract request can be resolved without
storing every catalog we served (the same idea as EDC's `base64(def):base64(asset):base64(uuid)`)
and an offer from a stale catalog (policy changed since) is refused."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from policies import Policy, to_expanded


@dataclass(frozen=True)
class OfferId:
    """The parts of an offer id we minted."""

    definition_id: str
    asset_id: str
    digest: str


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _unb64(text: str) -> str:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode()).decode()


def policy_digest(policy: Policy) -> str:
    """A short, stable digest of a policy's content (ids and assignment stripped)."""
    content = Policy(
        type=policy.type,
        permissions=policy.permissions,
        prohibitions=policy.prohibitions,
        obligations=policy.obligations,
        profiles=policy.profiles,
    )
    canonical = json.dumps(to_expanded(content), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def mint_offer_id(definition_id: str, asset_id: str, policy: Policy) -> str:
    """`b64(definition):b64(asset):digest`."""
    return f"{_b64(definition_id)}:{_b64(asset_id)}:{policy_digest(policy)}"


def parse_offer_id(offer_id: str) -> OfferId | None:
    """The parts of an id we minted, or None for anything else."""
    parts = offer_id.split(":")
    if len(parts) != 3:
        return None
    try:
        return OfferId(_unb64(parts[0]), _unb64(parts[1]), parts[2])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
