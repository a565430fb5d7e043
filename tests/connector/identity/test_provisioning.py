"""`carbonspace init` / `authority` / `credentials`: config written, keys encrypted, inputs
validated with messages naming the option, nothing overwritten."""

from __future__ import annotations

import stat
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from connector.cli import app
from connector.identity import (
    MEMBERSHIP_CREDENTIAL,
    PCF_FRAMEWORK_CREDENTIAL,
    ProvisioningError,
    add_credential,
    init_authority,
    init_node,
    issue_credential,
)
from connector.identity.credentials import parse_vc_jwt
from connector.outcome import Ok
from connector.settings import load_settings

runner = CliRunner()
AUTHORITY = "did:web:authority.example"


def test_init_writes_config_and_encrypted_key_when_inputs_valid(tmp_path: Path) -> None:
    node_dir = tmp_path / "mill"
    result = runner.invoke(
        app,
        [
            "init",
            str(node_dir),
            "--name",
            "Mill",
            "--url",
            "http://127.0.0.1:8080",
            "--authority",
            AUTHORITY,
            "--algorithm",
            "P-256",
        ],
    )
    assert result.exit_code == 0, result.output
    raw = tomllib.loads((node_dir / "carbonspace.toml").read_text())
    assert raw["node"] == {
        "name": "Mill",
        "url": "http://127.0.0.1:8080",
        "did": "did:web:127.0.0.1%3A8080",
    }
    assert raw["server"] == {"host": "127.0.0.1", "port": 8080}
    assert raw["trust"] == {"authorities": [AUTHORITY], "allow_insecure_did_web": True}
    assert raw["keys"]["algorithm"] == "P-256"
    assert len(raw["management"]["api_key"]) >= 40
    assert "database" not in raw
    key_file = node_dir / "keys" / "node-key.pem"
    assert key_file.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((node_dir / "keys" / "passphrase").stat().st_mode) == 0o600
    assert load_settings(node_dir).node.did == "did:web:127.0.0.1%3A8080"


def test_init_derives_did_with_path_and_secure_default_when_https(tmp_path: Path) -> None:
    settings = init_node(
        tmp_path / "n",
        name="N",
        url="https://example.com/nodes/bolt",
        database_url="postgresql+psycopg://db/x",
    )
    assert settings.node.did == "did:web:example.com:nodes:bolt"
    assert settings.trust.allow_insecure_did_web is False
    assert settings.server.port == 8080
    assert settings.database.url == "postgresql+psycopg://db/x"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "M", "--url", "ftp://x"], "--url: 'ftp://x' is not an http(s) URL"),
        (["--name", " ", "--url", "http://x.test"], "--name: must not be empty"),
        (
            ["--name", "M", "--url", "http://x.test", "--authority", "bob"],
            "--authority: 'bob' is not a did:web identifier",
        ),
        (
            ["--name", "M", "--url", "http://x.test", "--algorithm", "RSA"],
            "--algorithm: must be Ed25519 or P-256, not 'RSA'",
        ),
        (
            ["--name", "M", "--url", "http://x.test", "--database-url", "mysql://x"],
            "database.url: must be a sqlite:// or postgresql+psycopg:// URL",
        ),
    ],
)
def test_init_fails_naming_option_when_input_invalid(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "n"), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "n").exists()


def test_init_refuses_when_node_exists(tmp_path: Path) -> None:
    init_node(tmp_path, name="A", url="http://a.test")
    before = (tmp_path / "carbonspace.toml").read_text()
    result = runner.invoke(app, ["init", str(tmp_path), "--name", "B", "--url", "http://b.test"])
    assert result.exit_code == 2
    assert "already holds carbonspace.toml; not overwriting" in " ".join(result.output.split())
    assert (tmp_path / "carbonspace.toml").read_text() == before


def test_init_uses_env_passphrase_when_variable_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARBONSPACE_KEY_PASSPHRASE", "from-the-vault")
    init_node(tmp_path, name="A", url="http://a.test")
    assert not (tmp_path / "keys" / "passphrase").exists()


def test_authority_issues_credential_to_file_when_asked(tmp_path: Path) -> None:
    authority_dir = tmp_path / "authority"
    result = runner.invoke(
        app, ["authority", "init", str(authority_dir), "--url", "http://127.0.0.1:9000"]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "vc.jwt"
    result = runner.invoke(
        app,
        [
            "authority",
            "issue",
            str(authority_dir),
            "--subject",
            "did:web:mill.test",
            "--type",
            PCF_FRAMEWORK_CREDENTIAL,
            "--valid-days",
            "30",
            "--holder-identifier",
            "BPNL000000000001",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    parsed = parse_vc_jwt(out.read_text().strip())
    assert isinstance(parsed, Ok)
    credential = parsed.value
    assert credential.issuer == "did:web:127.0.0.1%3A9000"
    assert credential.subject == "did:web:mill.test"
    assert credential.types == ("VerifiableCredential", PCF_FRAMEWORK_CREDENTIAL)
    assert credential.expires_at - credential.issued_at == timedelta(days=30)
    assert credential.subject_fields["contractVersion"] == "1.0"
    assert credential.subject_fields["holderIdentifier"] == "BPNL000000000001"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--subject", "mill", "--type", MEMBERSHIP_CREDENTIAL], "--subject: 'mill' is not a DID"),
        (["--subject", "did:web:m.test", "--type", "Gold"], "--type: must be one of"),
        (
            ["--subject", "did:web:m.test", "--type", MEMBERSHIP_CREDENTIAL, "--valid-days", "0"],
            "--valid-days: must be positive",
        ),
    ],
)
def test_authority_issue_fails_naming_option_when_input_invalid(
    tmp_path: Path, args: list[str], message: str
) -> None:
    init_authority(tmp_path, "http://a.test")
    result = runner.invoke(app, ["authority", "issue", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


async def test_credential_is_stored_once_when_added(tmp_path: Path, database_url: str) -> None:
    settings = init_node(tmp_path / "n", name="N", url="http://n.test", database_url=database_url)
    init_authority(tmp_path / "a", "http://a.test")
    vc = issue_credential(tmp_path / "a", settings.node.did, MEMBERSHIP_CREDENTIAL)
    stored = await add_credential(settings, vc)
    assert stored.credential_type == MEMBERSHIP_CREDENTIAL
    with pytest.raises(ProvisioningError, match=r"is already held"):
        await add_credential(settings, vc)


async def test_credential_is_refused_when_issued_to_another_node(tmp_path: Path) -> None:
    settings = init_node(tmp_path / "n", name="N", url="http://n.test")
    init_authority(tmp_path / "a", "http://a.test")
    vc = issue_credential(tmp_path / "a", "did:web:other.test", MEMBERSHIP_CREDENTIAL)
    with pytest.raises(ProvisioningError, match=r"is about did:web:other.test, not this node"):
        await add_credential(settings, vc)


async def test_credential_is_refused_when_expired(tmp_path: Path) -> None:
    settings = init_node(tmp_path / "n", name="N", url="http://n.test")
    init_authority(tmp_path / "a", "http://a.test")
    past = datetime(2020, 1, 1, tzinfo=UTC)
    vc = issue_credential(tmp_path / "a", settings.node.did, MEMBERSHIP_CREDENTIAL, now=past)
    with pytest.raises(ProvisioningError, match=r"expired at 2020-12-31T00:00:00Z"):
        await add_credential(settings, vc)


def test_credentials_cli_adds_and_lists_when_file_given(tmp_path: Path) -> None:
    settings = init_node(tmp_path / "n", name="N", url="http://n.test")
    init_authority(tmp_path / "a", "http://a.test")
    vc_file = tmp_path / "vc.jwt"
    vc_file.write_text(issue_credential(tmp_path / "a", settings.node.did, MEMBERSHIP_CREDENTIAL))
    added = runner.invoke(app, ["credentials", "add", str(tmp_path / "n"), str(vc_file)])
    assert added.exit_code == 0, added.output
    assert "stored MembershipCredential urn:uuid:" in added.output
    listed = runner.invoke(app, ["credentials", "list", str(tmp_path / "n")])
    assert listed.exit_code == 0, listed.output
    assert "MembershipCredential" in listed.output
    assert "did:web:a.test" in listed.output
