"""VC-JWT verification (VC Data Model 1.1 §6.3.1) and the node's JWT / detached JWS helpers."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from connector.identity import MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL, issue_credential
from connector.identity.credentials import verify_vc_jwt
from connector.outcome import Failure, Ok, Reason
from tests.connector.identity.conftest import Space


def _swap_payload(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def _detail(outcome: object) -> str:
    assert isinstance(outcome, Failure)
    assert outcome.reason is Reason.UNAUTHORIZED
    return outcome.detail


async def _setup(space: Space):
    node = await space.node("beta")
    vc = issue_credential(
        space.authority_dir,
        "did:web:alpha.test",
        PCF_FRAMEWORK_CREDENTIAL,
        timedelta(days=10),
        now=space.clock.now(),
    )
    return node, vc


async def test_credential_verifies_when_signed_by_trusted_authority(space: Space) -> None:
    node, vc = await _setup(space)
    outcome = await verify_vc_jwt(
        node.identity.resolver, vc, (space.authority_did,), "did:web:alpha.test", space.clock.now()
    )
    assert isinstance(outcome, Ok)
    assert outcome.value.credential_type == PCF_FRAMEWORK_CREDENTIAL
    assert outcome.value.expires_at == space.clock.now() + timedelta(days=10)


async def test_credential_is_rejected_when_expired(space: Space) -> None:
    node, vc = await _setup(space)
    later = space.clock.now() + timedelta(days=11)
    detail = _detail(
        await verify_vc_jwt(
            node.identity.resolver, vc, (space.authority_did,), "did:web:alpha.test", later
        )
    )
    assert detail.startswith("expired credential urn:uuid:")


async def test_credential_is_rejected_when_not_yet_valid(space: Space) -> None:
    node, vc = await _setup(space)
    earlier = space.clock.now() - timedelta(hours=1)
    detail = _detail(
        await verify_vc_jwt(
            node.identity.resolver, vc, (space.authority_did,), "did:web:alpha.test", earlier
        )
    )
    assert "not yet valid: nbf" in detail


async def test_credential_is_rejected_when_tampered(space: Space) -> None:
    node, vc = await _setup(space)
    forged = _swap_payload(vc, exp=4_102_444_800)
    detail = _detail(
        await verify_vc_jwt(
            node.identity.resolver,
            forged,
            (space.authority_did,),
            "did:web:alpha.test",
            space.clock.now(),
        )
    )
    assert detail.endswith(f"invalid signature: token is not signed by {space.authority_did}")


async def test_credential_is_rejected_when_issuer_untrusted(space: Space) -> None:
    node, vc = await _setup(space)
    detail = _detail(
        await verify_vc_jwt(
            node.identity.resolver,
            vc,
            ("did:web:other.test",),
            "did:web:alpha.test",
            space.clock.now(),
        )
    )
    assert detail.startswith(f"untrusted issuer {space.authority_did} of credential")


async def test_credential_is_rejected_when_presented_by_another_holder(space: Space) -> None:
    node, vc = await _setup(space)
    detail = _detail(
        await verify_vc_jwt(
            node.identity.resolver,
            vc,
            (space.authority_did,),
            "did:web:mallory.test",
            space.clock.now(),
        )
    )
    assert detail.endswith("is about did:web:alpha.test, not did:web:mallory.test")


async def test_credential_is_rejected_when_malformed(space: Space) -> None:
    node, vc = await _setup(space)
    no_vc = _swap_payload(vc, vc="nope")
    detail = _detail(
        await verify_vc_jwt(
            node.identity.resolver,
            no_vc,
            (space.authority_did,),
            "did:web:alpha.test",
            space.clock.now(),
        )
    )
    assert detail == "malformed credential: no vc claim"


async def test_credential_is_rejected_when_issuer_key_unknown(space: Space) -> None:
    node, vc = await _setup(space)
    header = (
        base64.urlsafe_b64encode(
            json.dumps({"alg": "EdDSA", "kid": f"{space.authority_did}#gone"}).encode()
        )
        .rstrip(b"=")
        .decode()
    )
    relabelled = ".".join([header, *vc.split(".")[1:]])
    detail = _detail(
        await verify_vc_jwt(
            node.identity.resolver,
            relabelled,
            (space.authority_did,),
            "did:web:alpha.test",
            space.clock.now(),
        )
    )
    assert detail.endswith(f"unknown key {space.authority_did}#gone for {space.authority_did}")


async def test_signed_jwt_verifies_when_checked_by_peer(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    exp = int(space.clock.now().timestamp()) + 60
    token = alpha.identity.sign_jwt({"aud": beta.did, "exp": exp, "edr": "x"})
    outcome = await beta.identity.verify_jwt(token, alpha.did, beta.did)
    assert isinstance(outcome, Ok)
    assert outcome.value["edr"] == "x"
    wrong = await beta.identity.verify_jwt(token, alpha.did, "did:web:gamma.test")
    assert _detail(wrong) == f"wrong audience: token is for {beta.did}"
    space.clock.advance(timedelta(seconds=120))
    assert _detail(await beta.identity.verify_jwt(token, alpha.did, beta.did)).startswith(
        "expired token"
    )


async def test_detached_jws_verifies_only_when_payload_unchanged(space: Space) -> None:
    alpha = await space.node("alpha")
    beta = await space.node("beta")
    jws = alpha.identity.sign_jws_detached(b'{"pcf": 1.5}')
    assert jws.split(".")[1] == ""
    assert isinstance(await beta.identity.verify_jws_detached(jws, b'{"pcf": 1.5}', alpha.did), Ok)
    changed = await beta.identity.verify_jws_detached(jws, b'{"pcf": 0.5}', alpha.did)
    assert _detail(changed) == f"invalid signature: payload is not signed by {alpha.did}"


async def test_membership_credential_carries_holder_identifier_when_issued(space: Space) -> None:
    alpha = await space.node("alpha", credentials=(MEMBERSHIP_CREDENTIAL,))
    beta = await space.node("beta")
    outcome = await beta.identity.authenticate(
        (await alpha.identity.outbound_headers(beta.did))["Authorization"]
    )
    assert isinstance(outcome, Ok)
    (claim,) = outcome.value.credentials
    assert dict(claim.claims) == {
        "holderIdentifier": "did:web:alpha.test",
        "memberOf": "carbonspace",
        "status": "active",
    }
