"""Usage errors of `carbonspace interop`: exit code 2, a message naming the option, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from connector.cli import app
from connector.identity import init_node


@pytest.fixture
def node_dir(tmp_path: Path) -> Path:
    # port 9 (discard) on loopback: nothing serves there
    init_node(tmp_path / "me", name="me", url="http://127.0.0.1:9", authorities=[])
    return tmp_path / "me"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://peer"], "TARGET: expected an http(s) URL or a DID"),
        (["http://peer/api/dsp", "--only", "nothing.*"], "--only: no check matches 'nothing.*'"),
        (["http://peer/api/dsp", "--timeout", "0"], "--timeout: must be > 0"),
        (["http://peer/api/dsp", "--counterparty-id", "did:web:peer"], "--node: our node at"),
    ],
)
def test_interop_exits_2_naming_option_when_usage_is_wrong(
    node_dir: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["interop", *args, "--node", str(node_dir)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_interop_exits_2_naming_node_when_node_dir_missing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["interop", "http://peer/api/dsp", "--node", str(tmp_path / "absent")]
    )
    assert result.exit_code == 2
    assert "--node:" in result.output
