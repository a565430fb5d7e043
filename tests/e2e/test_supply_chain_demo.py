"""`carbonspace demo` runs the whole story and exits 0; its data files are the documented ones."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.support.nodes import carbonspace_command

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _base_port() -> int:
    for base in range(21000, 40000, 11):
        if all(_free(p) for p in range(base, base + 5)):
            return base
    raise AssertionError("no five consecutive free ports")


def test_demo_when_run_exits_zero_after_change_reaches_the_oem(tmp_path: Path) -> None:
    result = subprocess.run(
        carbonspace_command(
            "demo", "--base-port", str(_base_port()), "--dir", str(tmp_path / "space")
        ),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = " ".join(result.stdout.split())
    assert "26.03664 -> 26.36824" in out
    assert out.count("own raw data only ok") == 4
    assert "DSP contract negotiations: 4, transfers: 4" in out


def test_demo_data_when_packaged_equals_the_documented_examples() -> None:
    packaged = sorted((ROOT / "connector" / "demo" / "data").glob("*.json"))
    documented = sorted((ROOT / "docs" / "examples" / "demo").glob("*.json"))
    assert [p.name for p in packaged] == [p.name for p in documented]
    for mine, doc in zip(packaged, documented, strict=True):
        assert mine.read_bytes() == doc.read_bytes(), mine.name
