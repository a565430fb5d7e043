"""Signing and verifying published CarbonFootprint submodels (issue 7, item 3).

The node signs the canonical submodel (provenance extension included, signature extension
excluded; see `_canonical`) with a detached JWS from its DID key (`NodeIdentity.
sign_jws_detached`); a customer verifies it against the publisher's DID document
(`NodeIdentity.verify_jws_detached`) before it uses any figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from connector.outcome import Failure, Ok, bad_request, unauthorized
from connector.upstream._canonical import (
    PROVENANCE_EXTENSION,
    SIGNATURE_EXTENSION,
    CanonicalError,
    extension_value,
    sha256_hex,
    signing_payload,
    with_extension,
)
from connector.upstream._provenance import Provenance, ProvenanceError, parse_provenance


class Signer(Protocol):
    """The part of `NodeIdentity` this module needs."""

    def sign_jws_detached(self, payload: bytes) -> str: ...

    async def verify_jws_detached(
        self, jws: str, payload: bytes, signer_did: str
    ) -> Ok[Any] | Failure: ...


@dataclass(frozen=True)
class VerifiedSubmodel:
    """A received submodel whose signature checked out against its publisher's DID."""

    submodel: dict[str, Any]
    signature: str
    provenance: Provenance
    submodel_hash: str


def sign_submodel(
    signer: Signer, submodel: dict[str, Any], provenance: Provenance
) -> dict[str, Any]:
    """The submodel with its provenance and signature extensions set."""
    with_provenance = with_extension(submodel, PROVENANCE_EXTENSION, provenance.to_json())
    jws = signer.sign_jws_detached(signing_payload(with_provenance))
    return with_extension(with_provenance, SIGNATURE_EXTENSION, jws)


async def verify_submodel(
    signer: Signer, submodel: Any, publisher_did: str
) -> Ok[VerifiedSubmodel] | Failure:
    """Check the signature (against `publisher_did`) and read the provenance; fail closed."""
    if not isinstance(submodel, dict) or submodel.get("modelType") != "Submodel":
        return bad_request("received data is not an AAS Submodel")
    jws = extension_value(submodel, SIGNATURE_EXTENSION)
    if jws is None:
        return unauthorized(f"submodel carries no {SIGNATURE_EXTENSION} extension")
    try:
        payload = signing_payload(submodel)
        digest = sha256_hex(submodel)
    except CanonicalError as exc:
        return bad_request(f"submodel is not canonicalisable: {exc}")
    verified = await signer.verify_jws_detached(jws, payload, publisher_did)
    if isinstance(verified, Failure):
        return verified
    text = extension_value(submodel, PROVENANCE_EXTENSION)
    if text is None:
        return bad_request(f"submodel carries no {PROVENANCE_EXTENSION} extension")
    try:
        provenance = parse_provenance(text)
    except ProvenanceError as exc:
        return bad_request(str(exc))
    if provenance.did != publisher_did:
        return unauthorized(
            f"provenance.publisher {provenance.did} is not the signer {publisher_did}"
        )
    return Ok(VerifiedSubmodel(submodel, jws, provenance, digest))
