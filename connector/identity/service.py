"""`NodeIdentity`: the node's identity as a service (docs/dev/interfaces.md "IDENTITY").

Outbound, it mints DCP self-issued ID tokens for a callee; inbound, `authenticate` runs the DCP
v1.0 presentation flow: verify the caller's ID token, query the caller's credential service with
our own ID token carrying the caller's access token, verify the presentation and every credential,
and hand the verified claims over as `policies.CredentialClaim`s. As a holder it answers
presentation queries with its stored credentials.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from connector.context import NodeContext
from connector.identity import _jose, dcp, store
from connector.identity._claims import CredentialClaim, to_claim
from connector.identity.credentials import CREDENTIAL_TYPES, VerifiedCredential, verify_vc_jwt
from connector.identity.did import DidResolver, build_did_document, node_services, service_endpoint
from connector.identity.keys import SigningKey
from connector.outcome import Failure, Ok, forbidden, unauthorized

log = logging.getLogger("carbonspace.identity")

PRESENTATION_CACHE_S = 60
# An access token lives 5 minutes (dcp.ID_TOKEN_LIFETIME); reused for the first minute, so a
# peer always gets one with at least 4 minutes left to query our credentials.
ACCESS_TOKEN_REUSE = timedelta(minutes=1)
_MAX_HELD_ACCESS_TOKENS = 1024
MAX_RESPONSE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class VerifiedParticipant:
    """A caller whose ID token and credentials were verified."""

    did: str
    credentials: tuple[CredentialClaim, ...]


class NodeIdentity:
    """The node's keys, DID document, token minting and verification (one per node)."""

    def __init__(self, context: NodeContext, key: SigningKey) -> None:
        settings = context.settings
        self.did: str = settings.node.did
        self._context = context
        self._key = key
        self._trusted = settings.trust.authorities
        self.resolver = DidResolver(
            context.http,
            context.clock,
            settings.trust.did_cache_ttl_s,
            settings.trust.allow_insecure_did_web,
        )
        self.document: dict[str, Any] = build_did_document(
            self.did, key.public_jwk, key.key_id, node_services(self.did, settings.node.url)
        )
        self.resolver.seed(self.document)
        self.replay = store.ReplayGuard(context.database)
        self._presentations: dict[str, tuple[datetime, tuple[CredentialClaim, ...]]] = {}
        self._access_tokens: dict[str, tuple[datetime, str]] = {}

    def _now(self) -> datetime:
        return self._context.clock.now()

    # -- outbound -------------------------------------------------------------------------
    async def outbound_headers(self, audience_did: str) -> dict[str, str]:
        """`Authorization: Bearer <self-issued ID token>` for a call to `audience_did`."""
        return {"Authorization": f"Bearer {self.id_token(audience_did)}"}

    def id_token(self, audience_did: str) -> str:
        """A self-issued ID token whose `token` lets `audience_did` query our credentials."""
        now = self._now()
        access = self._access_token(audience_did, now)
        return _jose.sign(
            self._key, self.did, dcp.id_token_claims(self.did, audience_did, now, access)
        )

    def _access_token(self, audience_did: str, now: datetime) -> str:
        """The access token for `audience_did`, reused for `ACCESS_TOKEN_REUSE`: it is a
        bearer grant to query our credential service until it expires (no replay check
        applies to it), and signing a fresh one doubled the cost of every ID token.
        The ID token around it stays single-use."""
        held = self._access_tokens.get(audience_did)
        if held is not None and now < held[0]:
            return held[1]
        if len(self._access_tokens) >= _MAX_HELD_ACCESS_TOKENS:
            self._access_tokens = {a: h for a, h in self._access_tokens.items() if now < h[0]}
        scopes = dcp.type_scopes(CREDENTIAL_TYPES)
        claims = dcp.access_token_claims(self.did, audience_did, scopes, now)
        token = _jose.sign(self._key, self.did, claims)
        self._access_tokens[audience_did] = (now + ACCESS_TOKEN_REUSE, token)
        return token

    def sign_jwt(self, claims: Mapping[str, Any]) -> str:
        """A JWT signed with the node key (`iss` defaults to the node's DID)."""
        return _jose.sign(self._key, self.did, {"iss": self.did, **claims})

    def sign_jws_detached(self, payload: bytes) -> str:
        """A detached JWS over `payload` (RFC 7515 Appendix F)."""
        return _jose.sign_detached(self._key, self.did, payload)

    async def dsp_endpoint(self, did: str) -> Ok[str] | Failure:
        """A peer's DSP endpoint, from the `DataService` entry of its DID document."""
        document = await self.resolver.resolve(did)
        if isinstance(document, Failure):
            return document
        endpoint = service_endpoint(document.value, "DataService")
        if endpoint is None:
            return unauthorized(f"{did} publishes no DataService in its DID document")
        return Ok(endpoint)

    # -- inbound --------------------------------------------------------------------------
    async def verify_jwt(
        self, token: str, issuer_did: str, audience: str | None = None
    ) -> Ok[dict[str, Any]] | Failure:
        """Signature by `issuer_did`'s assertion key, `iss`, `aud` (when given), exp/nbf."""
        verified = await _jose.verify_signature(self.resolver, token, issuer_did, "assertionMethod")
        if isinstance(verified, Failure):
            return verified
        claims = verified.value
        if claims.get("iss") != issuer_did:
            return unauthorized(f"token issuer is {claims.get('iss')}, expected {issuer_did}")
        if audience is not None and not _jose.audience_matches(claims, audience):
            return unauthorized(f"wrong audience: token is for {claims.get('aud')}")
        problem = _jose.check_times(claims, self._now(), "token")
        return problem if problem is not None else Ok(claims)

    async def verify_jws_detached(
        self, jws: str, payload: bytes, signer_did: str
    ) -> Ok[dict[str, Any]] | Failure:
        """Check a detached JWS over `payload` by `signer_did`; the protected header."""
        return await _jose.verify_detached(self.resolver, jws, payload, signer_did)

    async def authenticate(self, authorization: str | None) -> Ok[VerifiedParticipant] | Failure:
        """DCP v1.0 presentation flow for an incoming request's `Authorization` header."""
        token = dcp.bearer(authorization)
        if isinstance(token, Failure):
            return token
        now = self._now()
        verified = await dcp.verify_id_token(self.resolver, self.replay, token.value, self.did, now)
        if isinstance(verified, Failure):
            return verified
        caller = verified.value["iss"]
        cached = self._presentations.get(caller)
        if cached is not None and cached[0] > now:
            return Ok(VerifiedParticipant(caller, cached[1]))
        access_token = verified.value.get("token")
        if access_token is None:
            return Ok(VerifiedParticipant(caller, ()))
        credentials = await self._fetch_credentials(caller, access_token)
        if isinstance(credentials, Failure):
            return credentials
        claims = tuple(to_claim(c) for c in credentials.value)
        self._presentations[caller] = (_cache_until(now, credentials.value), claims)
        return Ok(VerifiedParticipant(caller, claims))

    async def own_credentials(self) -> tuple[CredentialClaim, ...] | None:
        """Our credentials as a provider sees them: the DCP presentation flow run against our
        own credential service (signatures, trusted issuers, validity), for choosing an offer
        we can satisfy before negotiating; None when that fails (offers are then tried in the
        provider's order)."""
        verified = await self.authenticate(f"Bearer {self.id_token(self.did)}")
        if isinstance(verified, Failure):
            log.warning("own credentials unavailable for offer selection: %s", verified.detail)
            return None
        return verified.value.credentials

    async def _fetch_credentials(
        self, holder: str, access_token: object
    ) -> Ok[list[VerifiedCredential]] | Failure:
        response = await self._query_presentations(holder, access_token)
        if isinstance(response, Failure):
            return response
        now = self._now()
        result: list[VerifiedCredential] = []
        for vp_jwt in response.value:
            vcs = await dcp.verify_presentation(self.resolver, vp_jwt, holder, self.did, now)
            if isinstance(vcs, Failure):
                return vcs
            for vc_jwt in vcs.value:
                checked = await verify_vc_jwt(self.resolver, vc_jwt, self._trusted, holder, now)
                if isinstance(checked, Failure):
                    return checked
                result.append(checked.value)
        return Ok(result)

    async def _query_presentations(
        self, holder: str, access_token: object
    ) -> Ok[list[object]] | Failure:
        document = await self.resolver.resolve(holder)
        if isinstance(document, Failure):
            return document
        endpoint = service_endpoint(document.value, "CredentialService")
        if endpoint is None:
            return unauthorized(f"{holder} publishes no CredentialService in its DID document")
        now = self._now()
        our_token = _jose.sign(
            self._key, self.did, dcp.id_token_claims(self.did, holder, now, str(access_token))
        )
        message = dcp.query_message(dcp.type_scopes(CREDENTIAL_TYPES))
        url = endpoint.rstrip("/") + "/presentations/query"
        headers = {"Authorization": f"Bearer {our_token}"}
        try:
            reply = await self._context.http.post(url, json=message, headers=headers, timeout=10.0)
        except httpx.HTTPError as exc:
            return unauthorized(f"credential service of {holder} unreachable: {type(exc).__name__}")
        if reply.status_code != 200 or len(reply.content) > MAX_RESPONSE_BYTES:
            return unauthorized(
                f"credential service of {holder} refused the query: HTTP {reply.status_code}"
            )
        return _presentations_of(reply)

    # -- credential service (holder side) ---------------------------------------------------
    async def answer_presentation_query(
        self, authorization: str | None, body: object
    ) -> Ok[dict[str, Any]] | Failure:
        """DCP Resolution API: a VP-JWT of our credentials for an authorised verifier."""
        token = dcp.bearer(authorization)
        if isinstance(token, Failure):
            return token
        now = self._now()
        verified = await dcp.verify_id_token(self.resolver, self.replay, token.value, self.did, now)
        if isinstance(verified, Failure):
            return verified
        verifier = verified.value["iss"]
        granted = await dcp.verify_access_token(
            self.resolver, verified.value.get("token"), self.did, verifier, now
        )
        if isinstance(granted, Failure):
            return granted
        query = dcp.parse_query(body)
        if isinstance(query, Failure):
            return query
        denied = [s for s in query.value.scopes if s not in granted.value]
        if denied:
            return forbidden(f"scope not granted by the access token: {', '.join(denied)}")
        rows = await store.valid_credentials(
            self._context.database, self.did, now, query.value.types, query.value.ids
        )
        vp = dcp.presentation_claims(self.did, verifier, [r.vc_jwt for r in rows], now)
        return Ok(dcp.response_message([_jose.sign(self._key, self.did, vp)]))


def _presentations_of(reply: httpx.Response) -> Ok[list[object]] | Failure:
    try:
        body = reply.json()
    except ValueError:
        return unauthorized("malformed PresentationResponseMessage: not JSON")
    if not isinstance(body, dict) or body.get("type") != "PresentationResponseMessage":
        return unauthorized("malformed PresentationResponseMessage: wrong type")
    presentations = body.get("presentation")
    if not isinstance(presentations, list):
        return unauthorized("malformed PresentationResponseMessage: presentation is not a list")
    return Ok(list(presentations))


def _cache_until(now: datetime, credentials: list[VerifiedCredential]) -> datetime:
    limit = now + timedelta(seconds=PRESENTATION_CACHE_S)
    return min([limit, *(c.expires_at for c in credentials)])
