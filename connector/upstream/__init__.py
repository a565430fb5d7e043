"""Tier-n upstream resolution (issue 7): fetch suppliers' signed footprints under contract,
feed them to the calc engine, publish signed results with provenance, propagate changes."""

from connector.upstream._provenance import PrecursorSource, Provenance, lineage_hash
from connector.upstream.signing import VerifiedSubmodel, sign_submodel, verify_submodel

__all__ = [
    "PrecursorSource",
    "Provenance",
    "VerifiedSubmodel",
    "lineage_hash",
    "sign_submodel",
    "verify_submodel",
]
