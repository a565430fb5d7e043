"""Signing keys: generated per algorithm, encrypted at rest, passphrase file 0600 or env."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from connector.identity.keys import (
    KeyFileError,
    KeyLocation,
    generate_key,
    load_key,
    public_jwk,
    store_key,
)


def _location(tmp_path: Path) -> KeyLocation:
    return KeyLocation(tmp_path / "keys" / "k.pem", tmp_path / "keys" / "pass", "TEST_PASSPHRASE")


@pytest.mark.parametrize(("algorithm", "alg"), [("Ed25519", "EdDSA"), ("P-256", "ES256")])
def test_key_round_trips_when_stored_encrypted(tmp_path: Path, algorithm: str, alg: str) -> None:
    location = _location(tmp_path)
    key = generate_key(algorithm)
    store_key(key, location, {})
    loaded = load_key(location, {})
    assert loaded.alg == alg
    assert loaded.public_jwk == public_jwk(key)
    assert b"ENCRYPTED PRIVATE KEY" in location.private_key_file.read_bytes()


def test_key_files_are_owner_only_when_stored(tmp_path: Path) -> None:
    location = _location(tmp_path)
    store_key(generate_key("Ed25519"), location, {})
    assert stat.S_IMODE(location.private_key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(location.passphrase_file.stat().st_mode) == 0o600


def test_passphrase_comes_from_env_when_variable_set(tmp_path: Path) -> None:
    location = _location(tmp_path)
    env = {"TEST_PASSPHRASE": "correct horse battery staple"}
    store_key(generate_key("Ed25519"), location, env)
    assert not location.passphrase_file.exists()
    assert load_key(location, env).alg == "EdDSA"


def test_load_fails_naming_file_when_passphrase_wrong(tmp_path: Path) -> None:
    location = _location(tmp_path)
    store_key(generate_key("Ed25519"), location, {"TEST_PASSPHRASE": "right"})
    with pytest.raises(KeyFileError, match=r"keys.private_key_file: cannot decrypt"):
        load_key(location, {"TEST_PASSPHRASE": "wrong"})


def test_load_fails_naming_key_when_passphrase_missing(tmp_path: Path) -> None:
    location = _location(tmp_path)
    store_key(generate_key("Ed25519"), location, {"TEST_PASSPHRASE": "x"})
    with pytest.raises(KeyFileError, match=r"keys.passphrase_file: .* not found"):
        load_key(location, {})


def test_unknown_algorithm_is_refused_when_generating() -> None:
    with pytest.raises(KeyFileError, match=r"keys\.algorithm"):
        generate_key("RSA")
