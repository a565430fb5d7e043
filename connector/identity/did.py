"""did:web identifiers and documents (did:web method spec §3.2 "Read"; DID Core §5).

- `did_from_url("http://127.0.0.1:8080")` is `did:web:127.0.0.1%3A8080`; a path becomes `:`
  segments. The document lives at `<url>/.well-known/did.json` (no path) or `<url>/did.json`.
- The node's document lists one `JsonWebKey2020` verification method (referenced from
  `authentication`, `assertionMethod` and `capabilityInvocation`, as DCP v1.0 §"Validating
  Self-Issued ID Tokens" requires), a `CredentialService` (DCP) and a `DataService` (DSP) entry.
- `DidResolver` fetches documents over HTTPS (plain HTTP only with
  `[trust] allow_insecure_did_web`) through the node's pooled client and caches them with a TTL.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import httpx
from jwt import PyJWK
from jwt.exceptions import InvalidKeyError, PyJWKError

from connector.clock import Clock
from connector.outcome import Failure, Ok, unauthorized

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
JWS_2020_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1"
DCP_CONTEXT = "https://w3id.org/dspace-dcp/v1.0/dcp.jsonld"
CREDENTIAL_SERVICE_PATH = "/api/identity"
DSP_PATH = "/api/dsp"
MAX_DOCUMENT_BYTES = 256 * 1024


class DidError(ValueError):
    """A DID or URL that cannot be mapped; the message names the value."""


def did_from_url(url: str) -> str:
    """The did:web identifier for a base URL (host, `%3A`-encoded port, path as `:` segments)."""
    parts = urlsplit(url.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DidError(f"url: {url!r} is not an http(s) URL with a host")
    if parts.query or parts.fragment:
        raise DidError(f"url: {url!r} must not have a query or fragment")
    host = parts.hostname.lower()
    if ":" in host:
        raise DidError(f"url: IPv6 hosts are not supported by did:web ({url!r})")
    authority = f"{host}%3A{parts.port}" if parts.port else host
    segments = [quote(unquote(s), safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", authority, *segments])


def did_document_url(did: str, allow_insecure: bool) -> str:
    """Where a did:web document is published; `http` only when insecure resolution is allowed."""
    if not did.startswith("did:web:"):
        raise DidError(f"{did!r} is not a did:web identifier")
    method_specific = did.removeprefix("did:web:").split("#", 1)[0]
    host, *segments = method_specific.split(":")
    host = unquote(host)
    if not host or "/" in host or any(not s for s in segments):
        raise DidError(f"{did!r} is not a valid did:web identifier")
    scheme = "http" if allow_insecure else "https"
    path = (
        "/" + "/".join(unquote(s) for s in segments) + "/did.json"
        if segments
        else ("/.well-known/did.json")
    )
    return f"{scheme}://{host}{path}"


def build_did_document(
    did: str, public_jwk: Mapping[str, Any], key_id: str, services: list[dict[str, Any]]
) -> dict[str, Any]:
    """A DID document with one JsonWebKey2020 verification method and the given services."""
    method_id = f"{did}#{key_id}"
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, JWS_2020_CONTEXT, DCP_CONTEXT],
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "JsonWebKey2020",
                "controller": did,
                "publicKeyJwk": dict(public_jwk),
            }
        ],
        "authentication": [method_id],
        "assertionMethod": [method_id],
        "capabilityInvocation": [method_id],
    }
    if services:
        document["service"] = services
    return document


def node_services(did: str, base_url: str) -> list[dict[str, Any]]:
    """The DCP credential service and the DSP endpoint of a node, as DID service entries."""
    base = base_url.rstrip("/")
    return [
        {
            "id": f"{did}#credential-service",
            "type": "CredentialService",
            "serviceEndpoint": f"{base}{CREDENTIAL_SERVICE_PATH}",
        },
        {"id": f"{did}#dsp", "type": "DataService", "serviceEndpoint": f"{base}{DSP_PATH}"},
    ]


def service_endpoint(document: Mapping[str, Any], service_type: str) -> str | None:
    """The `serviceEndpoint` of the first service of `service_type`, if any."""
    for service in document.get("service") or []:
        if not isinstance(service, dict):
            continue
        types = service.get("type")
        matches = service_type in types if isinstance(types, list) else types == service_type
        endpoint = service.get("serviceEndpoint")
        if matches and isinstance(endpoint, str):
            return endpoint
    return None


def verification_key(
    document: Mapping[str, Any], kid: str | None, relationship: str
) -> Ok[PyJWK] | Failure:
    """The public key a signature must verify with (DCP v1.0 validation step 3): the method
    named by `kid`, or the only one when there is no `kid`; it must be in `relationship`."""
    did = document.get("id", "")
    methods = [m for m in document.get("verificationMethod") or [] if isinstance(m, dict)]
    if kid is None:
        if len(methods) != 1:
            return unauthorized(f"token has no kid and {did} has {len(methods)} keys")
        method = methods[0]
    else:
        wanted = kid if kid.startswith("did:") else f"{did}#{kid.removeprefix('#')}"
        found = [m for m in methods if _absolute(did, m.get("id", "")) == wanted]
        if not found:
            return unauthorized(f"unknown key {kid} for {did}")
        method = found[0]
    method_id = _absolute(did, method.get("id", ""))
    allowed = {
        _absolute(did, ref) for ref in document.get(relationship) or [] if isinstance(ref, str)
    }
    if method_id not in allowed:
        return unauthorized(f"key {method_id} is not listed under {relationship}")
    jwk = method.get("publicKeyJwk")
    if not isinstance(jwk, dict):
        return unauthorized(f"key {method_id} has no usable publicKeyJwk")
    try:
        return Ok(PyJWK(jwk))
    except (PyJWKError, InvalidKeyError, KeyError, ValueError, TypeError):
        return unauthorized(f"key {method_id} has no usable publicKeyJwk")


def _absolute(did: str, method_id: str) -> str:
    return f"{did}{method_id}" if method_id.startswith("#") else method_id


class DidResolver:
    """Resolves did:web documents with a TTL cache; own/seeded documents never expire."""

    def __init__(
        self, http: httpx.AsyncClient, clock: Clock, ttl_s: int, allow_insecure: bool
    ) -> None:
        self._http = http
        self._clock = clock
        self._ttl = timedelta(seconds=ttl_s)
        self._allow_insecure = allow_insecure
        self._cache: dict[str, tuple[datetime | None, dict[str, Any]]] = {}

    def seed(self, document: dict[str, Any]) -> None:
        """Know a document without fetching it (the node's own)."""
        self._cache[document["id"]] = (None, document)

    async def resolve(self, did: str) -> Ok[dict[str, Any]] | Failure:
        """The DID document, from the cache or over HTTP; failures are not cached."""
        cached = self._cache.get(did)
        if cached is not None and (cached[0] is None or cached[0] > self._clock.now()):
            return Ok(cached[1])
        try:
            url = did_document_url(did, self._allow_insecure)
        except DidError as exc:
            return unauthorized(str(exc))
        fetched = await self._fetch(did, url)
        if isinstance(fetched, Ok) and self._ttl.total_seconds() > 0:
            self._cache[did] = (self._clock.now() + self._ttl, fetched.value)
        return fetched

    async def _fetch(self, did: str, url: str) -> Ok[dict[str, Any]] | Failure:
        try:
            response = await self._http.get(url, timeout=5.0)
        except httpx.HTTPError as exc:
            return unauthorized(f"cannot resolve {did}: {type(exc).__name__} at {url}")
        if response.status_code != 200:
            return unauthorized(f"cannot resolve {did}: HTTP {response.status_code} at {url}")
        if len(response.content) > MAX_DOCUMENT_BYTES:
            return unauthorized(f"cannot resolve {did}: document larger than 256 KiB")
        try:
            document = response.json()
        except ValueError:
            return unauthorized(f"cannot resolve {did}: {url} is not JSON")
        if not isinstance(document, dict) or document.get("id") != did:
            return unauthorized(f"cannot resolve {did}: document id does not match the DID")
        return Ok(document)
