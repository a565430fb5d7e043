"""Settings: TOML file, environment overrides, errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector.settings import CONFIG_FILE_NAME, SettingsError, load_settings, render_config

VALID = {
    "node": {"name": "mill", "url": "http://127.0.0.1:9000/", "did": "did:web:127.0.0.1%3A9000"},
    "management": {"api_key": "k" * 24},
    "trust": {"authorities": ["did:web:authority.example"]},
}


def write_config(node_dir: Path, values: dict) -> Path:
    node_dir.mkdir(parents=True, exist_ok=True)
    (node_dir / CONFIG_FILE_NAME).write_text(render_config(values), encoding="utf-8")
    return node_dir


def test_settings_load_from_toml_when_valid(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, VALID), environ={})
    assert settings.node.url == "http://127.0.0.1:9000"
    assert settings.trust.authorities == ("did:web:authority.example",)
    assert settings.server.port == 8080
    assert settings.database_url == f"sqlite+aiosqlite:///{(tmp_path / 'node.db').resolve()}"


def test_env_overrides_config_value_when_variable_set(tmp_path: Path) -> None:
    environ = {
        "CARBONSPACE_SERVER_PORT": "9100",
        "CARBONSPACE_TRUST_ALLOW_INSECURE_DID_WEB": "true",
        "CARBONSPACE_DATABASE_URL": "postgresql+psycopg://u@h/db",
        "CARBONSPACE_MANAGEMENT_API_KEY": "x" * 30,
        "CARBONSPACE_NEGOTIATION_OFFER_TTL_S": "3600",
    }
    settings = load_settings(write_config(tmp_path, VALID), environ=environ)
    assert settings.negotiation.offer_ttl_s == 3600
    assert settings.server.port == 9100
    assert settings.trust.allow_insecure_did_web is True
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.management.api_key == "x" * 30


def test_error_names_key_when_value_wrong(tmp_path: Path) -> None:
    node_dir = write_config(tmp_path, VALID)
    with pytest.raises(SettingsError, match=r"^server\.port: "):
        load_settings(node_dir, environ={"CARBONSPACE_SERVER_PORT": "70000"})


def test_offers_expire_after_a_week_unless_configured(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, VALID), environ={})
    assert settings.negotiation.offer_ttl_s == 7 * 24 * 3600
    with pytest.raises(SettingsError, match=r"^negotiation\.offer_ttl_s: "):
        load_settings(
            write_config(tmp_path, VALID), environ={"CARBONSPACE_NEGOTIATION_OFFER_TTL_S": "-1"}
        )


def test_error_names_key_when_required_value_missing(tmp_path: Path) -> None:
    values = {"node": VALID["node"]}
    with pytest.raises(SettingsError, match=r"^management: Field required"):
        load_settings(write_config(tmp_path, values), environ={})


def test_error_names_key_when_unknown_key_present(tmp_path: Path) -> None:
    values = {**VALID, "server": {"prot": 1}}
    with pytest.raises(SettingsError, match=r"server\.prot: Extra inputs are not permitted"):
        load_settings(write_config(tmp_path, values), environ={})


def test_error_names_file_when_config_missing(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not found"):
        load_settings(tmp_path, environ={})


def test_error_names_key_when_database_scheme_unknown(tmp_path: Path) -> None:
    node_dir = write_config(tmp_path, VALID)
    with pytest.raises(SettingsError, match=r"^database\.url: must be"):
        load_settings(node_dir, environ={"CARBONSPACE_DATABASE_URL": "mysql://x"})


def test_database_pool_is_20_plus_10_unless_configured(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, VALID), environ={})
    assert (settings.database.pool_size, settings.database.max_overflow) == (20, 10)
    values = {**VALID, "database": {"pool_size": 40, "max_overflow": 0}}
    settings = load_settings(write_config(tmp_path, values), environ={})
    assert (settings.database.pool_size, settings.database.max_overflow) == (40, 0)
    with pytest.raises(SettingsError, match=r"^database\.pool_size: "):
        load_settings(
            write_config(tmp_path, VALID), environ={"CARBONSPACE_DATABASE_POOL_SIZE": "0"}
        )


def test_directory_participants_round_trip_when_rendered_as_tables(tmp_path: Path) -> None:
    participants = [
        {"did": "did:web:mill.example", "dsp_url": "https://mill.example/api/dsp", "name": "Mill"},
        {"did": "did:web:bolts.example", "dsp_url": "https://bolts.example/api/dsp"},
    ]
    values = {**VALID, "directory": {"file": "", "participants": participants}}
    settings = load_settings(write_config(tmp_path, values), environ={})
    assert [(p.did, p.dsp_url, p.name) for p in settings.directory.participants] == [
        ("did:web:mill.example", "https://mill.example/api/dsp", "Mill"),
        ("did:web:bolts.example", "https://bolts.example/api/dsp", ""),
    ]
