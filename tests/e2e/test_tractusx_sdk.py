"""tractusx-sdk 0.8.3 ("saturn", DSP 2025-1), unmodified, drives two carbonspace nodes: provider
set-up (policies, asset, contract definition), then the consumer's high-level `do_get` (test
mode, then with a policy allow-list, then addressed by BPNL through connector discovery): catalog,
`POST /v3/edrs` negotiation, automatic HttpData-PULL transfer, EDR, data-plane GET
(edc-mgmt-api.md §3). The SDK needs Python >= 3.12: it runs in its own venv, created once under
the cache directory; the test is skipped only when that venv cannot be created."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e._footprints import publish_sample_footprint
from tests.support.nodes import (
    RunningNode,
    create_node,
    start_node,
)

pytestmark = pytest.mark.e2e

SDK_VERSION = "0.8.3"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "carbonspace"
VENV = CACHE / f"tractusx-sdk-{SDK_VERSION}"
DRIVER = Path(__file__).with_name("_tractusx_sdk_driver.py")


def _python312() -> str | None:
    """A working Python >= 3.12 (pyenv installs first: a pyenv shim may be inactive)."""
    candidates = sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.1[2-9]*/bin/python3")))
    candidates += [c for c in (shutil.which("python3.13"), shutil.which("python3.12")) if c]
    for candidate in candidates:
        check = subprocess.run(
            [candidate, "-c", "import sys; assert sys.version_info >= (3, 12)"],
            capture_output=True,
            timeout=30,
        )
        if check.returncode == 0:
            return candidate
    return None


def sdk_python() -> Path:
    """The venv's interpreter with tractusx-sdk installed (created on first use)."""
    python = VENV / "bin" / "python"
    marker = VENV / ".installed"
    if marker.exists():
        return python
    interpreter = _python312()
    if interpreter is None:
        pytest.skip("tractusx-sdk needs Python >= 3.12 and no python3.12 is installed")
    try:
        subprocess.run(
            [interpreter, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=120
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"tractusx-sdk=={SDK_VERSION}"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(VENV, ignore_errors=True)
        pytest.skip(f"cannot create the tractusx-sdk venv: {exc}")
    marker.write_text(SDK_VERSION)
    return python


def test_sdk_fetches_footprint_when_driving_two_nodes(tmp_path: Path, authority) -> None:
    python = sdk_python()
    provider_settings = create_node(tmp_path, "mill", [authority.did])
    asset_id = publish_sample_footprint(provider_settings)
    provider: RunningNode = start_node(provider_settings.node_dir)
    consumer: RunningNode = start_node(create_node(tmp_path, "bolts", [authority.did]).node_dir)
    try:
        args = {
            "provider_url": provider.url,
            "provider_key": provider.api_key,
            "consumer_url": consumer.url,
            "consumer_key": consumer.api_key,
            "provider_did": provider.did,
            "provider_dsp": provider.url + "/api/dsp",
            "asset_id": asset_id,
        }
        run = subprocess.run(
            [str(python), str(DRIVER), json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        consumer.stop()
        provider.stop()
    assert run.returncode == 0, run.stderr[-3000:] + consumer.log_tail() + provider.log_tail()
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["provider"] == ["access-sdk", "usage-sdk", "sdk-http-asset", "cd-sdk"]
    assert result["status"] == 200, result["body"][:2000]
    submodel = json.loads(result["body"])
    assert submodel["modelType"] == "Submodel"
    assert result["second_status"] == 200
    assert result["bpnl_status"] == 200
