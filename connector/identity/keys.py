"""Signing keys of a node or an authority: generation, encrypted storage (PKCS#8 with the best
available encryption), loading, and the public key as a JWK (RFC 7517; OKP per RFC 8037, EC per
RFC 7518 §6.2).

The passphrase comes from the environment variable named in `[keys] passphrase_env` when it is
set, else from a generated passphrase file readable only by its owner (mode 0600).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

from connector.settings import SettingsError

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey

ALGORITHMS: dict[str, str] = {"Ed25519": "EdDSA", "P-256": "ES256"}
"""Key algorithm (config value) -> JWS `alg`."""


class KeyFileError(SettingsError):
    """The key or its passphrase is missing or wrong; the message says which file or variable."""


@dataclass(frozen=True)
class KeyLocation:
    """Where a key and its passphrase live (the `[keys]` section, paths resolved)."""

    private_key_file: Path
    passphrase_file: Path
    passphrase_env: str


@dataclass(frozen=True)
class SigningKey:
    """A loaded private key with its JWS algorithm and key id (a JWK thumbprint, RFC 7638)."""

    private_key: PrivateKey
    alg: str
    key_id: str

    @property
    def public_jwk(self) -> dict[str, Any]:
        return public_jwk(self.private_key)


def generate_key(algorithm: str) -> PrivateKey:
    """A fresh private key for `Ed25519` or `P-256`."""
    if algorithm == "Ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if algorithm == "P-256":
        return ec.generate_private_key(ec.SECP256R1())
    raise KeyFileError(f"keys.algorithm: must be Ed25519 or P-256, not {algorithm!r}")


def public_jwk(private_key: PrivateKey) -> dict[str, Any]:
    """The public half as a JWK dict (no `d`)."""
    public = private_key.public_key()
    if isinstance(public, ed25519.Ed25519PublicKey):
        jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(public))
    else:
        jwk = json.loads(ECAlgorithm.to_jwk(public))
    return {key: jwk[key] for key in ("kty", "crv", "x", "y") if key in jwk}


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url) of a public JWK."""
    members = ("crv", "kty", "x") if jwk["kty"] == "OKP" else ("crv", "kty", "x", "y")
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signing_key(private_key: PrivateKey) -> SigningKey:
    alg = "EdDSA" if isinstance(private_key, ed25519.Ed25519PrivateKey) else "ES256"
    return SigningKey(private_key, alg, jwk_thumbprint(public_jwk(private_key)))


def store_key(private_key: PrivateKey, location: KeyLocation, environ: Mapping[str, str]) -> None:
    """Write the key encrypted; create a 0600 passphrase file unless the env var is set."""
    passphrase = environ.get(location.passphrase_env, "")
    if not passphrase:
        passphrase = secrets.token_urlsafe(32)
        _write_private(location.passphrase_file, passphrase.encode())
    pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    _write_private(location.private_key_file, pem)


def load_key(location: KeyLocation, environ: Mapping[str, str] | None = None) -> SigningKey:
    """Decrypt and load the key; errors name the file or variable at fault."""
    env = os.environ if environ is None else environ
    passphrase = _passphrase(location, env)
    try:
        pem = location.private_key_file.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(
            f"keys.private_key_file: {location.private_key_file} not found"
        ) from None
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase)
    except (ValueError, TypeError):
        raise KeyFileError(
            f"keys.private_key_file: cannot decrypt {location.private_key_file} "
            f"(wrong passphrase in {location.passphrase_env} or keys.passphrase_file?)"
        ) from None
    if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyFileError(f"keys.private_key_file: {type(key).__name__} keys are not supported")
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name != "secp256r1":
        raise KeyFileError("keys.private_key_file: only the P-256 curve is supported")
    return signing_key(key)


def _passphrase(location: KeyLocation, environ: Mapping[str, str]) -> bytes:
    from_env = environ.get(location.passphrase_env, "")
    if from_env:
        return from_env.encode()
    try:
        return location.passphrase_file.read_bytes().strip()
    except FileNotFoundError:
        raise KeyFileError(
            f"keys.passphrase_file: {location.passphrase_file} not found and "
            f"{location.passphrase_env} is not set"
        ) from None


def _write_private(path: Path, content: bytes) -> None:
    """Create `path` with mode 0600 from the start (never world-readable, not even briefly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
