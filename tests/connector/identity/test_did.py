"""did:web mapping (did:web method §3.2), DID documents and key selection (DCP v1.0)."""

from __future__ import annotations

import pytest

from connector.identity.did import (
    DidError,
    build_did_document,
    did_document_url,
    did_from_url,
    node_services,
    service_endpoint,
    verification_key,
)
from connector.identity.keys import generate_key, public_jwk
from connector.outcome import Failure, Ok


@pytest.mark.parametrize(
    ("url", "did"),
    [
        ("http://127.0.0.1:8080", "did:web:127.0.0.1%3A8080"),
        ("https://mill.example.com", "did:web:mill.example.com"),
        ("https://Example.COM/nodes/mill/", "did:web:example.com:nodes:mill"),
    ],
)
def test_did_is_derived_when_url_given(url: str, did: str) -> None:
    assert did_from_url(url) == did


@pytest.mark.parametrize("url", ["ftp://x.example", "https://", "https://x.example/?a=1"])
def test_did_derivation_fails_naming_url_when_url_bad(url: str) -> None:
    with pytest.raises(DidError, match=r"^url: "):
        did_from_url(url)


@pytest.mark.parametrize(
    ("did", "insecure", "url"),
    [
        ("did:web:mill.example.com", False, "https://mill.example.com/.well-known/did.json"),
        ("did:web:127.0.0.1%3A8080", True, "http://127.0.0.1:8080/.well-known/did.json"),
        ("did:web:example.com:nodes:mill", False, "https://example.com/nodes/mill/did.json"),
    ],
)
def test_document_url_follows_method_when_resolving(did: str, insecure: bool, url: str) -> None:
    assert did_document_url(did, insecure) == url


@pytest.mark.parametrize("did", ["did:key:z6Mk", "did:web:", "did:web:a.example::x"])
def test_document_url_is_refused_when_did_invalid(did: str) -> None:
    with pytest.raises(DidError):
        did_document_url(did, False)


def _document() -> dict:
    did = "did:web:a.example"
    return build_did_document(
        did, public_jwk(generate_key("Ed25519")), "k1", node_services(did, "https://a.example")
    )


def test_document_lists_jwk_method_and_services_when_built() -> None:
    document = _document()
    method = document["verificationMethod"][0]
    assert method["id"] == "did:web:a.example#k1"
    assert method["type"] == "JsonWebKey2020"
    assert method["publicKeyJwk"]["kty"] == "OKP"
    assert document["authentication"] == ["did:web:a.example#k1"]
    assert document["assertionMethod"] == ["did:web:a.example#k1"]
    assert document["capabilityInvocation"] == ["did:web:a.example#k1"]
    assert service_endpoint(document, "CredentialService") == "https://a.example/api/identity"
    assert service_endpoint(document, "DataService") == "https://a.example/api/dsp"


@pytest.mark.parametrize("kid", [None, "did:web:a.example#k1", "#k1", "k1"])
def test_key_is_found_when_kid_names_it_or_is_absent(kid: str | None) -> None:
    assert isinstance(verification_key(_document(), kid, "capabilityInvocation"), Ok)


def test_key_lookup_fails_when_kid_unknown() -> None:
    found = verification_key(_document(), "did:web:a.example#other", "authentication")
    assert isinstance(found, Failure)
    assert found.detail == "unknown key did:web:a.example#other for did:web:a.example"


def test_key_lookup_fails_when_relationship_missing() -> None:
    document = _document()
    document["capabilityInvocation"] = []
    found = verification_key(document, None, "capabilityInvocation")
    assert isinstance(found, Failure)
    assert "capabilityInvocation" in found.detail


@pytest.mark.parametrize("jwk", [None, "a JWK", ["OKP"], {"kty": "OKP"}, {"kty": "nope"}])
def test_key_lookup_fails_when_peer_publishes_unusable_jwk(jwk: object) -> None:
    document = _document()
    document["verificationMethod"][0]["publicKeyJwk"] = jwk
    found = verification_key(document, None, "capabilityInvocation")
    assert isinstance(found, Failure)
    assert found.detail == "key did:web:a.example#k1 has no usable publicKeyJwk"
