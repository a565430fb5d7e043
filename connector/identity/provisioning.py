"""Creating nodes and authorities, issuing and storing credentials (what `carbonspace init`,
`carbonspace authority ...` and `carbonspace credentials add` do, callable from tests and the
demo). Errors raise `ProvisioningError` naming the option at fault; nothing is written then."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connector.db import create_database, upgrade_to_head
from connector.identity.credentials import (
    CREDENTIAL_TYPES,
    VerifiedCredential,
    issue_vc_jwt,
    parse_vc_jwt,
    subject_fields,
)
from connector.identity.did import DidError, did_from_url
from connector.identity.keys import ALGORITHMS, KeyLocation, generate_key, load_key, store_key
from connector.identity.models import CredentialRow
from connector.identity.store import save_credential
from connector.outcome import Failure, Ok, bad_request, conflict
from connector.settings import (
    CONFIG_FILE_NAME,
    KeysSection,
    Settings,
    SettingsError,
    load_settings,
    render_config,
    settings_from_mapping,
)

AUTHORITY_FILE_NAME = "authority.toml"
DEFAULT_PORT = 8080


class ProvisioningError(ValueError):
    """Bad input for init/issue/add; the message starts with the option name."""


def init_node(
    node_dir: Path,
    *,
    name: str,
    url: str,
    authorities: Sequence[str] = (),
    algorithm: str = "Ed25519",
    database_url: str = "",
    allow_insecure_did_web: bool | None = None,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
) -> Settings:
    """Write `node_dir/carbonspace.toml` and an encrypted signing key; refuse an existing node.
    `allow_insecure_did_web` defaults to true for an `http://` node URL (loopback, demos)."""
    _refuse_existing(node_dir, CONFIG_FILE_NAME, "DIR")
    if not name.strip():
        raise ProvisioningError("--name: must not be empty")
    did = _did_for(url)
    _check_authorities(authorities)
    if algorithm not in ALGORITHMS:
        raise ProvisioningError(f"--algorithm: must be Ed25519 or P-256, not {algorithm!r}")
    insecure = (
        url.startswith("http://") if allow_insecure_did_web is None else allow_insecure_did_web
    )
    raw: dict[str, dict[str, Any]] = {
        "node": {"name": name.strip(), "url": url.rstrip("/"), "did": did},
        "server": {"host": "127.0.0.1", "port": urlsplit(url).port or DEFAULT_PORT},
        "management": {"api_key": secrets.token_urlsafe(32)},
        "trust": {"authorities": list(authorities), "allow_insecure_did_web": insecure},
        "keys": _keys_mapping(KeysSection(algorithm=algorithm)),
    }
    if database_url:
        raw["database"] = {"url": database_url}
    for section, values in (extra or {}).items():
        raw.setdefault(section, {}).update(values)
    try:
        settings = settings_from_mapping(node_dir, raw)
    except SettingsError as exc:
        raise ProvisioningError(str(exc)) from None
    node_dir.mkdir(parents=True, exist_ok=True)
    _write_key(algorithm, key_location(node_dir, settings.keys))
    (node_dir / CONFIG_FILE_NAME).write_text(render_config(raw), encoding="utf-8")
    return settings


class AuthoritySection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    url: str
    did: str
    host: str = "127.0.0.1"
    port: int = Field(default=DEFAULT_PORT, ge=0, le=65535)


class AuthoritySettings(BaseModel):
    """`authority.toml`: the authority's URL, DID, listening address and key location."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    authority_dir: Path
    authority: AuthoritySection
    keys: KeysSection = KeysSection(
        private_key_file="keys/authority-key.pem",
        passphrase_env="CARBONSPACE_AUTHORITY_KEY_PASSPHRASE",
    )


def init_authority(authority_dir: Path, url: str, algorithm: str = "Ed25519") -> str:
    """Create a data-space authority (own did:web and key) in `authority_dir`; its DID."""
    _refuse_existing(authority_dir, AUTHORITY_FILE_NAME, "DIR")
    did = _did_for(url)
    if algorithm not in ALGORITHMS:
        raise ProvisioningError(f"--algorithm: must be Ed25519 or P-256, not {algorithm!r}")
    keys = AuthoritySettings.model_fields["keys"].default.model_copy(
        update={"algorithm": algorithm}
    )
    port = urlsplit(url).port or DEFAULT_PORT
    raw = {
        "authority": {"url": url.rstrip("/"), "did": did, "host": "127.0.0.1", "port": port},
        "keys": _keys_mapping(keys),
    }
    authority_dir.mkdir(parents=True, exist_ok=True)
    _write_key(algorithm, key_location(authority_dir, keys))
    (authority_dir / AUTHORITY_FILE_NAME).write_text(render_config(raw), encoding="utf-8")
    return did


def load_authority(authority_dir: Path) -> AuthoritySettings:
    """Read `authority.toml`; errors name the file or key."""
    import tomllib

    path = authority_dir / AUTHORITY_FILE_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProvisioningError(
            f"DIR: {path} not found (run `carbonspace authority init`)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProvisioningError(f"{path}: not valid TOML: {exc}") from None
    try:
        return AuthoritySettings.model_validate({**raw, "authority_dir": authority_dir})
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ProvisioningError(f"{path}: {key}: {first['msg']}") from None


def issue_credential(
    authority_dir: Path,
    subject_did: str,
    credential_type: str,
    valid_for: timedelta = timedelta(days=365),
    *,
    holder_identifier: str | None = None,
    contract_version: str = "1.0",
    now: datetime | None = None,
) -> str:
    """A VC-JWT of `credential_type` about `subject_did`, signed by the authority."""
    if not subject_did.startswith("did:"):
        raise ProvisioningError(f"--subject: {subject_did!r} is not a DID")
    if credential_type not in CREDENTIAL_TYPES:
        raise ProvisioningError(f"--type: must be one of {', '.join(CREDENTIAL_TYPES)}")
    if valid_for <= timedelta(0):
        raise ProvisioningError("--valid-days: must be positive")
    settings = load_authority(authority_dir)
    key = load_key(key_location(authority_dir, settings.keys))
    fields = subject_fields(credential_type, subject_did, holder_identifier, contract_version)
    issued_at = (now or datetime.now(UTC)).replace(microsecond=0)
    return issue_vc_jwt(
        key, settings.authority.did, subject_did, credential_type, fields, issued_at, valid_for
    )


async def add_credential(
    node: Path | Settings, vc_jwt: str, now: datetime | None = None
) -> VerifiedCredential:
    """Store a VC-JWT in a node's database (shape, subject = node, not expired, not held)."""
    settings = node if isinstance(node, Settings) else _load_node(node)
    database = create_database(settings.database_url)
    try:
        await upgrade_to_head(database)
        stored = await store_credential(
            database, settings.node.did, vc_jwt, now or datetime.now(UTC)
        )
    finally:
        await database.dispose()
    if isinstance(stored, Failure):
        raise ProvisioningError(f"FILE: {stored.detail}")
    return stored.value


async def store_credential(
    database: Any, node_did: str, vc_jwt: str, now: datetime
) -> Ok[VerifiedCredential] | Failure:
    """Check a credential for this node and store it (the signature is checked by verifiers,
    who resolve the issuer; the holder may not be able to reach it)."""
    parsed = parse_vc_jwt(vc_jwt.strip())
    if isinstance(parsed, Failure):
        return bad_request(parsed.detail)
    credential = parsed.value
    if credential.subject != node_did:
        return bad_request(f"credential is about {credential.subject}, not this node {node_did}")
    if credential.expires_at <= now:
        return bad_request(
            f"credential {credential.id} expired at {credential.expires_at:%Y-%m-%dT%H:%M:%SZ}"
        )
    row = CredentialRow(
        id=credential.id,
        credential_type=credential.credential_type,
        types=list(credential.types),
        issuer=credential.issuer,
        subject=credential.subject,
        issued_at=credential.issued_at,
        expires_at=credential.expires_at,
        subject_fields=dict(credential.subject_fields),
        vc_jwt=vc_jwt.strip(),
        added_at=now,
    )
    if not await save_credential(database, row):
        return conflict(f"credential {credential.id} is already held")
    return Ok(credential)


def node_key_location(settings: Settings) -> KeyLocation:
    return key_location(settings.node_dir, settings.keys)


def check_node_key(settings: Settings) -> None:
    """Fail before serving when the node key cannot be loaded (`KeyFileError` names the key)."""
    load_key(node_key_location(settings))


def _load_node(node_dir: Path) -> Settings:
    try:
        return load_settings(node_dir)
    except SettingsError as exc:
        raise ProvisioningError(f"NODE_DIR: {exc}") from None


def key_location(base: Path, keys: KeysSection) -> KeyLocation:
    def resolve(relative: str) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else base / path

    return KeyLocation(
        resolve(keys.private_key_file), resolve(keys.passphrase_file), keys.passphrase_env
    )


def _keys_mapping(keys: KeysSection) -> dict[str, Any]:
    return keys.model_dump()


def _write_key(algorithm: str, location: KeyLocation) -> None:
    if location.private_key_file.exists():
        raise ProvisioningError(f"DIR: a key already exists at {location.private_key_file}")
    store_key(generate_key(algorithm), location, os.environ)


def _refuse_existing(directory: Path, file_name: str, option: str) -> None:
    if (directory / file_name).exists():
        raise ProvisioningError(f"{option}: {directory} already holds {file_name}; not overwriting")


def _did_for(url: str) -> str:
    try:
        return did_from_url(url)
    except DidError as exc:
        raise ProvisioningError(f"--{exc}") from None


def _check_authorities(authorities: Sequence[str]) -> None:
    for authority in authorities:
        if not authority.startswith("did:web:") or len(authority) <= len("did:web:"):
            raise ProvisioningError(f"--authority: {authority!r} is not a did:web identifier")
