"""A test signer with the `NodeIdentity` signing methods, keyed per DID (no DID resolution)."""

from __future__ import annotations

from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from connector.outcome import Ok, unauthorized


class KeyRing:
    """Ed25519 keys by DID; `signer(did)` signs as that DID, and verifies any DID it knows."""

    def __init__(self) -> None:
        self.keys: dict[str, Ed25519PrivateKey] = {}

    def signer(self, did: str) -> TestSigner:
        self.keys.setdefault(did, Ed25519PrivateKey.generate())
        return TestSigner(self, did)


class TestSigner:
    __test__ = False

    def __init__(self, ring: KeyRing, did: str) -> None:
        self.ring = ring
        self.did = did

    def sign_jws_detached(self, payload: bytes) -> str:
        return jwt.api_jws.encode(
            payload,
            self.ring.keys[self.did],
            algorithm="EdDSA",
            headers={"kid": f"{self.did}#key-1"},
            is_payload_detached=True,
        )

    async def verify_jws_detached(self, jws: str, payload: bytes, signer_did: str) -> Any:
        key = self.ring.keys.get(signer_did)
        if key is None:
            return unauthorized(f"unknown DID {signer_did}")
        try:
            header = jwt.api_jws.decode_complete(
                jws, key.public_key(), algorithms=["EdDSA"], detached_payload=payload
            )["header"]
        except jwt.InvalidTokenError:
            return unauthorized(f"invalid signature: payload is not signed by {signer_did}")
        return Ok(header)
