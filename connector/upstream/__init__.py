"""Tier-n upstream resolution (issue 7): fetch suppliers' signed footprints under contract,
feed them to the calc engine, publish signed results with provenance, propagate changes.

Entry points: `connector.upstream.service.resolve_product(context, product_id)` (also
`POST /api/management/upstream/resolve/{product}` and `carbonspace resolve`),
`connector.upstream.propagation.notify_consumers` (called after each publication), and the
signing helpers below for anyone who publishes or reads a carbonspace-signed submodel
(docs/supply-chain.md)."""

from connector.upstream._canonical import PROVENANCE_EXTENSION, SIGNATURE_EXTENSION
from connector.upstream._outcomes import FailureCode, LineStatus, ResolutionReport
from connector.upstream._provenance import PrecursorSource, Provenance, lineage_hash
from connector.upstream.signing import VerifiedSubmodel, sign_submodel, verify_submodel

__all__ = [
    "PROVENANCE_EXTENSION",
    "SIGNATURE_EXTENSION",
    "FailureCode",
    "LineStatus",
    "PrecursorSource",
    "Provenance",
    "ResolutionReport",
    "VerifiedSubmodel",
    "lineage_hash",
    "sign_submodel",
    "verify_submodel",
]
