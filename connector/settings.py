"""Node settings: `carbonspace.toml` in the node directory, every key overridable by
`CARBONSPACE_<SECTION>_<KEY>` (DESIGN.md "Configuration").

Settings are checked when a node starts; an error names the offending key, e.g.
`server.port: must be an integer between 1 and 65535`. No import-time globals: the app factory
builds one `Settings` per node, so many nodes can run in one process (tests, the demo).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CONFIG_FILE_NAME = "carbonspace.toml"
ENV_PREFIX = "CARBONSPACE_"


class SettingsError(ValueError):
    """A configuration value is missing or wrong; the message names the key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NodeSection(_Section):
    name: str = Field(min_length=1)
    url: str = Field(description="Public base URL of the node, e.g. https://mill.example.com")
    did: str = Field(min_length=8, description="The node's did:web identifier")

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("did")
    @classmethod
    def _did_is_web(cls, value: str) -> str:
        if not value.startswith("did:web:"):
            raise ValueError("must be a did:web identifier")
        return value


class ServerSection(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    management_port: int | None = Field(default=None, ge=0, le=65535)
    public_port: int | None = Field(default=None, ge=0, le=65535)
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    # How long an idle inbound connection stays open. Longer than the idle expiry of the
    # clients that call us (httpx and our own node: 5 s and less), so a client never sends on
    # a connection the server is closing at that moment (the request would be lost unanswered).
    keep_alive_s: int = Field(default=20, ge=1, le=600)


class DatabaseSection(_Section):
    url: str = ""
    # PostgreSQL connection pool: `pool_size` kept open, up to `max_overflow` more in a burst.
    # Every replica of a node opens up to the sum (the server's default max_connections: 100).
    pool_size: int = Field(default=20, ge=1, le=1000)
    max_overflow: int = Field(default=10, ge=0, le=1000)

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:// or postgresql+psycopg:// URL")
        return value


class ManagementSection(_Section):
    api_key: str = Field(min_length=16)


class TrustSection(_Section):
    authorities: tuple[str, ...] = ()
    allow_insecure_did_web: bool = False
    did_cache_ttl_s: int = Field(default=300, ge=0)


class KeysSection(_Section):
    algorithm: str = "Ed25519"
    private_key_file: str = "keys/node-key.pem"
    passphrase_file: str = "keys/passphrase"
    passphrase_env: str = "CARBONSPACE_KEY_PASSPHRASE"

    @field_validator("algorithm")
    @classmethod
    def _supported(cls, value: str) -> str:
        if value not in ("Ed25519", "P-256"):
            raise ValueError("must be Ed25519 or P-256")
        return value


class LogSection(_Section):
    level: str = "INFO"
    json_format: bool = True


class ParticipantEntry(_Section):
    did: str
    dsp_url: str
    name: str = ""


class DirectorySection(_Section):
    participants: tuple[ParticipantEntry, ...] = ()
    file: str = ""


class WorkSection(_Section):
    """The work loop that sends protocol messages (connector/work): leases, sweep, backoff."""

    lease_s: float = Field(default=15.0, gt=0)
    sweep_s: float = Field(default=2.0, gt=0)
    concurrency: int = Field(default=64, ge=1)
    per_peer_concurrency: int = Field(default=16, ge=1)
    max_attempts: int = Field(default=12, ge=1)
    backoff_base_s: float = Field(default=0.2, gt=0)
    backoff_max_s: float = Field(default=10.0, gt=0)


class NegotiationSection(_Section):
    """Contract negotiation (connector/negotiation)."""

    # An offer we made (provider-initiated, or our terms offered back to a counter-offer) that
    # the consumer leaves unanswered this long is withdrawn: the negotiation is TERMINATED and
    # the consumer told. 0: offers stay open until the consumer answers or someone terminates.
    offer_ttl_s: float = Field(default=7 * 24 * 3600.0, ge=0)


class Settings(BaseModel):
    """Everything a node needs to start. `node_dir` is where relative paths resolve."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    node_dir: Path
    node: NodeSection
    server: ServerSection = ServerSection()
    database: DatabaseSection = DatabaseSection()
    management: ManagementSection
    trust: TrustSection = TrustSection()
    keys: KeysSection = KeysSection()
    log: LogSection = LogSection()
    directory: DirectorySection = DirectorySection()
    work: WorkSection = WorkSection()
    negotiation: NegotiationSection = NegotiationSection()

    @property
    def database_url(self) -> str:
        """The configured database, or SQLite in the node directory."""
        if self.database.url:
            return self.database.url
        return f"sqlite+aiosqlite:///{(self.node_dir / 'node.db').resolve()}"

    def path(self, relative: str) -> Path:
        """Resolve a path from the config relative to the node directory."""
        candidate = Path(relative)
        return candidate if candidate.is_absolute() else self.node_dir / candidate


def load_settings(node_dir: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read `carbonspace.toml` from `node_dir`, apply environment overrides, validate."""
    config_path = node_dir / CONFIG_FILE_NAME
    try:
        raw: dict[str, Any] = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{config_path}: not found (run `carbonspace init` first)") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{config_path}: not valid TOML: {exc}") from None
    _apply_env_overrides(raw, os.environ if environ is None else environ)
    return settings_from_mapping(node_dir, raw)


def settings_from_mapping(node_dir: Path, raw: Mapping[str, Any]) -> Settings:
    """Validate a settings mapping; the error names every wrong key as `section.key`."""
    try:
        return Settings.model_validate({**raw, "node_dir": node_dir})
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{key}: {message}")
    return "; ".join(problems)


def _apply_env_overrides(raw: dict[str, Any], environ: Mapping[str, str]) -> None:
    """`CARBONSPACE_SERVER_PORT=9000` sets `[server] port`. Values are parsed as TOML values
    when they parse (numbers, booleans, arrays), else taken as strings."""
    sections = {name for name, field in Settings.model_fields.items() if name != "node_dir"}
    for variable, value in environ.items():
        if not variable.startswith(ENV_PREFIX):
            continue
        rest = variable[len(ENV_PREFIX) :].lower()
        section = next((s for s in sections if rest.startswith(s + "_")), None)
        if section is None:
            continue
        key = rest[len(section) + 1 :]
        raw.setdefault(section, {})[key] = _parse_env_value(value)


def _parse_env_value(value: str) -> Any:
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return value


def render_config(values: Mapping[str, Mapping[str, Any]]) -> str:
    """Render a settings mapping as TOML: sections of scalars and arrays, and arrays of tables
    (e.g. `[[directory.participants]]`) for lists of mappings."""
    lines: list[str] = []
    for section, entries in values.items():
        lines.append(f"[{section}]")
        tables = {k: v for k, v in entries.items() if _is_table_list(v)}
        for key, value in entries.items():
            if key not in tables:
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
        for key, rows in tables.items():
            for row in rows:
                lines.append(f"[[{section}.{key}]]")
                lines.extend(f"{k} = {_toml_value(v)}" for k, v in row.items())
                lines.append("")
    return "\n".join(lines)


def _is_table_list(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
