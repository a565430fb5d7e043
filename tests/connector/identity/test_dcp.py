"""DCP v1.0 between in-process nodes: the presentation flow end to end, and every rejection
(Base §"Validating Self-Issued ID Tokens"; VP Protocol §"Resolution API")."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import jwt
import pytest

from connector.identity import MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL, dcp
from connector.identity._jose import sign
from connector.identity.keys import generate_key, signing_key
from connector.outcome import Failure, Ok, Reason
from tests.connector.identity.conftest import BOTH, Space


def _tamper(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def _payload(token: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def _refused(outcome: object) -> str:
    assert isinstance(outcome, Failure)
    assert outcome.reason is Reason.UNAUTHORIZED
    return outcome.detail


async def test_caller_is_verified_with_credentials_when_token_valid(
    space: Space, database_url: str
) -> None:
    alpha = await space.node("alpha", credentials=BOTH)
    beta = await space.node("beta", database_url)
    headers = await alpha.identity.outbound_headers(beta.did)
    outcome = await beta.identity.authenticate(headers["Authorization"])
    assert isinstance(outcome, Ok)
    assert outcome.value.did == "did:web:alpha.test"
    by_type = {next(iter(c.types - {"VerifiableCredential"})): c for c in outcome.value.credentials}
    assert sorted(by_type) == [MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL]
    pcf = by_type[PCF_FRAMEWORK_CREDENTIAL]
    assert pcf.issuer == space.authority_did
    assert pcf.subject_id == "did:web:alpha.test"
    assert dict(pcf.claims) == {
        "holderIdentifier": "did:web:alpha.test",
        "contractTemplate": "https://w3id.org/carbonspace/frameworks/pcf",
        "contractVersion": "1.0",
    }
    assert pcf.expires_at == space.clock.now() + timedelta(days=365)


async def test_both_directions_authenticate_when_each_calls_the_other(space: Space) -> None:
    alpha = await space.node("alpha", credentials=BOTH)
    beta = await space.node("beta", credentials=(MEMBERSHIP_CREDENTIAL,))
    to_beta = await alpha.identity.outbound_headers(beta.did)
    to_alpha = await beta.identity.outbound_headers(alpha.did)
    seen_by_beta = await beta.identity.authenticate(to_beta["Authorization"])
    seen_by_alpha = await alpha.identity.authenticate(to_alpha["Authorization"])
    assert isinstance(seen_by_beta, Ok) and isinstance(seen_by_alpha, Ok)
    assert len(seen_by_beta.value.credentials) == 2
    assert [sorted(c.types) for c in seen_by_alpha.value.credentials] == [
        [MEMBERSHIP_CREDENTIAL, "VerifiableCredential"]
    ]


async def test_token_is_rejected_when_replayed(space: Space, database_url: str) -> None:
    alpha = await space.node("alpha", credentials=BOTH)
    beta = await space.node("beta", database_url)
    headers = await alpha.identity.outbound_headers(beta.did)
    assert isinstance(await beta.identity.authenticate(headers["Authorization"]), Ok)
    detail = _refused(await beta.identity.authenticate(headers["Authorization"]))
    assert detail.startswith("replayed token: jti ")
    assert detail.endswith(" from did:web:alpha.test was already used")


async def test_token_is_rejected_when_expired(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    headers = await alpha.identity.outbound_headers(beta.did)
    space.clock.advance(timedelta(minutes=6))
    detail = _refused(await beta.identity.authenticate(headers["Authorization"]))
    assert detail.startswith("expired token: exp ")


async def test_token_is_rejected_when_tampered(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    token = alpha.identity.id_token(beta.did)
    forged = _tamper(token, exp=int(space.clock.now().timestamp()) + 200)
    detail = _refused(await beta.identity.authenticate(f"Bearer {forged}"))
    assert detail == "invalid signature: token is not signed by did:web:alpha.test"


async def test_token_is_rejected_when_audience_is_another_node(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    token = alpha.identity.id_token("did:web:gamma.test")
    detail = _refused(await beta.identity.authenticate(f"Bearer {token}"))
    assert detail == "wrong audience: token is for did:web:gamma.test, not did:web:beta.test"


async def test_token_is_rejected_when_signed_with_unknown_key(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    claims = dcp.id_token_claims(alpha.did, beta.did, space.clock.now())
    stranger = signing_key(generate_key("Ed25519"))
    token = sign(stranger, alpha.did, claims)
    detail = _refused(await beta.identity.authenticate(f"Bearer {token}"))
    assert detail == f"unknown key {alpha.did}#{stranger.key_id} for {alpha.did}"


async def test_token_is_rejected_when_issuer_differs_from_subject(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    claims = dcp.id_token_claims(alpha.did, beta.did, space.clock.now())
    claims["sub"] = "did:web:gamma.test"
    token = sign(alpha.identity._key, alpha.did, claims)
    detail = _refused(await beta.identity.authenticate(f"Bearer {token}"))
    assert detail == "malformed token: iss and sub must be the same DID"


async def test_token_is_rejected_when_lifetime_exceeds_five_minutes(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    claims = dcp.id_token_claims(alpha.did, beta.did, space.clock.now())
    claims["exp"] = claims["iat"] + 3600
    token = sign(alpha.identity._key, alpha.did, claims)
    detail = _refused(await beta.identity.authenticate(f"Bearer {token}"))
    assert detail == "token lifetime exceeds 5 minutes"


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [
        (None, "missing Authorization header"),
        ("Bearer not-a-jwt", "malformed token: not a compact JWS with a JSON payload"),
        ("Bearer a b", "malformed Authorization header: expected 'Bearer <token>'"),
    ],
)
async def test_request_is_rejected_when_authorization_malformed(
    space: Space, authorization: str | None, detail: str
) -> None:
    beta = await space.node("beta")
    assert _refused(await beta.identity.authenticate(authorization)) == detail


async def test_caller_is_rejected_when_its_did_cannot_be_resolved(space: Space) -> None:
    beta = await space.node("beta")
    claims = dcp.id_token_claims("did:web:ghost.test", beta.did, space.clock.now())
    token = sign(signing_key(generate_key("Ed25519")), "did:web:ghost.test", claims)
    detail = _refused(await beta.identity.authenticate(f"Bearer {token}"))
    assert detail == (
        "cannot resolve did:web:ghost.test: ConnectError at http://ghost.test/.well-known/did.json"
    )


async def test_credentials_are_rejected_when_issuer_untrusted(space: Space) -> None:
    alpha = await space.node("alpha", credentials=BOTH)
    beta = await space.node("beta", trusted=False)
    headers = await alpha.identity.outbound_headers(beta.did)
    detail = _refused(await beta.identity.authenticate(headers["Authorization"]))
    assert detail.startswith(f"untrusted issuer {space.authority_did} of credential urn:uuid:")


async def test_credential_service_answers_401_with_reason_when_token_missing(
    space: Space,
) -> None:
    alpha = await space.node("alpha", credentials=BOTH)
    message = dcp.query_message(dcp.type_scopes([MEMBERSHIP_CREDENTIAL]))
    response = await alpha.client.post("/api/identity/presentations/query", json=message)
    assert response.status_code == 401
    assert response.json() == {
        "error": "unauthorized",
        "detail": "missing Authorization header",
        "details": [],
    }


async def _holder_and_two_verifiers(space: Space) -> tuple[Any, Any, Any]:
    """alpha (holding both credentials), beta and gamma."""
    return (
        await space.node("alpha", credentials=BOTH),
        await space.node("beta"),
        await space.node("gamma"),
    )


async def _query_credentials(space: Space, holder: Any, verifier: Any, access: str) -> Any:
    """`verifier` queries `holder`'s credential service with `access`, in its own ID token."""
    wrapped = sign(
        verifier.identity._key,
        verifier.did,
        dcp.id_token_claims(verifier.did, holder.did, space.clock.now(), access),
    )
    return await holder.client.post(
        "/api/identity/presentations/query",
        json=dcp.query_message(dcp.type_scopes([MEMBERSHIP_CREDENTIAL])),
        headers={"Authorization": f"Bearer {wrapped}"},
    )


async def test_credential_service_refuses_when_access_token_is_for_someone_else(
    space: Space,
) -> None:
    alpha, beta, gamma = await _holder_and_two_verifiers(space)
    access = _payload(alpha.identity.id_token(beta.did))["token"]
    response = await _query_credentials(space, alpha, gamma, access)
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "access token was issued to did:web:beta.test, not did:web:gamma.test"
    )


async def test_access_token_is_reused_for_a_minute_when_calling_the_same_peer(
    space: Space,
) -> None:
    alpha, beta, gamma = await _holder_and_two_verifiers(space)
    first, second = (_payload(alpha.identity.id_token(beta.did)) for _ in range(2))
    assert first["jti"] != second["jti"]
    assert first["token"] == second["token"]
    assert _payload(alpha.identity.id_token(gamma.did))["token"] != first["token"]
    for _ in range(2):  # the verifier may query with it more than once, each in a fresh ID token
        response = await _query_credentials(space, alpha, beta, first["token"])
        assert response.status_code == 200
    space.clock.advance(timedelta(seconds=61))
    assert _payload(alpha.identity.id_token(beta.did))["token"] != first["token"]


async def test_credential_service_answers_501_when_presentation_definition_sent(
    space: Space,
) -> None:
    alpha = await space.node("alpha")
    body = {
        "@context": [dcp.DCP_CONTEXT],
        "type": "PresentationQueryMessage",
        "presentationDefinition": {"id": "x"},
    }
    response = await alpha.client.post("/api/identity/presentations/query", json=body)
    assert response.status_code == 501


async def test_whoami_echoes_verified_caller_when_called_over_http(space: Space) -> None:
    alpha = await space.node("alpha", credentials=BOTH)
    beta = await space.node("beta")
    headers = await alpha.identity.outbound_headers(beta.did)
    response = await beta.client.get("/api/identity/whoami", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["did"] == "did:web:alpha.test"
    assert sorted(c["types"][0] for c in body["credentials"]) == [
        MEMBERSHIP_CREDENTIAL,
        PCF_FRAMEWORK_CREDENTIAL,
    ]


async def test_whoami_answers_401_with_reason_when_replayed(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    headers = await alpha.identity.outbound_headers(beta.did)
    assert (await beta.client.get("/api/identity/whoami", headers=headers)).status_code == 200
    response = await beta.client.get("/api/identity/whoami", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("replayed token: jti ")


async def test_replay_register_survives_restart_when_jti_seen(tmp_path, database_url: str) -> None:
    from datetime import UTC, datetime

    from connector.db import create_database, upgrade_to_head
    from connector.identity.store import ReplayGuard

    now = datetime.now(UTC)
    database = create_database(database_url)
    await upgrade_to_head(database)
    assert await ReplayGuard(database).first_use(
        "did:web:a.test", "j1", now + timedelta(minutes=5), now
    )
    restarted = ReplayGuard(database)
    assert not await restarted.first_use("did:web:a.test", "j1", now + timedelta(minutes=5), now)
    assert await restarted.first_use("did:web:b.test", "j1", now + timedelta(minutes=5), now)
    await database.dispose()


async def test_replay_register_fails_every_waiting_call_when_database_fails(
    database_url: str,
) -> None:
    """A failed batch answers each of its callers with the error (none hangs), and the next
    batch is written normally."""
    import asyncio
    from datetime import UTC, datetime

    from sqlalchemy.exc import DBAPIError

    from connector.db import create_database, upgrade_to_head
    from connector.identity.store import ReplayGuard

    now = datetime.now(UTC)
    expires = now + timedelta(minutes=5)
    database = create_database(database_url)  # no migrations yet: the table is missing
    guard = ReplayGuard(database)
    guard._last_purge = now  # the purge would meet the missing table first
    answers = await asyncio.wait_for(
        asyncio.gather(
            *(guard.first_use("did:web:a.test", f"j{i}", expires, now) for i in range(5)),
            return_exceptions=True,
        ),
        timeout=10,
    )
    assert all(isinstance(answer, DBAPIError) for answer in answers)
    await upgrade_to_head(database)
    assert await guard.first_use("did:web:a.test", "j0", expires, now)
    await database.dispose()


async def test_replay_register_accepts_one_of_concurrent_uses_when_jti_repeats(
    database_url: str,
) -> None:
    """Concurrent calls are recorded together: a token id presented twice at the same moment
    (in one batch, or through two registers on one database) is accepted exactly once."""
    import asyncio
    from datetime import UTC, datetime

    from connector.db import create_database, upgrade_to_head
    from connector.identity.store import ReplayGuard

    now = datetime.now(UTC)
    expires = now + timedelta(minutes=5)
    database = create_database(database_url)
    await upgrade_to_head(database)
    first, second = ReplayGuard(database), ReplayGuard(database)
    uses = [(guard, f"j{i % 10}") for i in range(60) for guard in (first, second)]
    answers = await asyncio.gather(
        *(guard.first_use("did:web:a.test", jti, expires, now) for guard, jti in uses)
    )
    accepted = sorted(jti for (_, jti), new in zip(uses, answers, strict=True) if new)
    assert accepted == [f"j{i}" for i in range(10)]
    fresh = await asyncio.gather(
        *(first.first_use("did:web:b.test", f"k{i}", expires, now) for i in range(50))
    )
    assert all(fresh)
    restarted = ReplayGuard(database)
    assert not any(
        await asyncio.gather(
            *(restarted.first_use("did:web:b.test", f"k{i}", expires, now) for i in range(50))
        )
    )
    await database.dispose()


async def test_p256_nodes_authenticate_when_keys_are_ec(space: Space) -> None:
    alpha = await space.node("alpha", credentials=BOTH, algorithm="P-256")
    beta = await space.node("beta", algorithm="P-256")
    assert alpha.identity.document["verificationMethod"][0]["publicKeyJwk"]["crv"] == "P-256"
    headers = await alpha.identity.outbound_headers(beta.did)
    outcome = await beta.identity.authenticate(headers["Authorization"])
    assert isinstance(outcome, Ok)
    assert len(outcome.value.credentials) == 2


async def test_token_is_rejected_when_it_names_a_critical_header_extension(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    claims = dcp.id_token_claims(alpha.did, beta.did, space.clock.now())
    key = alpha.identity._key
    headers = {"kid": f"{alpha.did}#{key.key_id}", "crit": ["exp"], "exp": 1}
    token = jwt.encode(claims, key.private_key, algorithm=key.alg, headers=headers)
    detail = _refused(await beta.identity.authenticate(f"Bearer {token}"))
    assert detail == "unsupported token: critical header extensions are not understood"
