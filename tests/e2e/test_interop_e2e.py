"""`carbonspace interop` run as a real process against a real provider node (asset, policy and
contract definition set up through its management API): every check passes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.nodes import (
    NodeFactory,
    RunningNode,
    carbonspace_command,
)

pytestmark = pytest.mark.e2e

EDC = "https://w3id.org/edc/v0.0.1/ns/"


def _publish(provider: RunningNode) -> None:
    policy = {
        "@context": {"@vocab": EDC},
        "@id": "use",
        "policy": {"@type": "Set", "permission": [{"action": "use"}]},
    }
    asset = {
        "@context": {"@vocab": EDC, "dct": "http://purl.org/dc/terms/"},
        "@id": "urn:asset:interop",
        "properties": {"dct:type": {"@id": "https://w3id.org/catenax/taxonomy#PcfExchange"}},
        "dataAddress": {"type": "AasSubmodel", "submodelId": "urn:submodel:interop"},
    }
    definition = {
        "@context": {"@vocab": EDC},
        "@id": "all",
        "accessPolicyId": "use",
        "contractPolicyId": "use",
        "assetsSelector": [],
    }
    with provider.management() as client:
        for path, body in (
            ("/v3/policydefinitions", policy),
            ("/v3/assets", asset),
            ("/v3/contractdefinitions", definition),
        ):
            response = client.post("/api/management" + path, json=body)
            assert response.status_code == 200, response.text


def test_every_check_passes_when_peer_is_our_node(
    nodes: NodeFactory,
    tmp_path: Path,
) -> None:
    provider, consumer = nodes("provider"), nodes("consumer")
    _publish(provider)
    report_path = tmp_path / "report.json"
    completed = subprocess.run(
        carbonspace_command(
            "interop",
            provider.url + "/api/dsp",
            "--node",
            str(consumer.node_dir),
            "--format",
            "json",
            "-o",
            str(report_path),
        ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(report_path.read_text(encoding="utf-8"))
    failed = [c for c in report["checks"] if c["outcome"] == "fail"]
    assert failed == [], json.dumps(failed, indent=1) + completed.stderr
    assert completed.returncode == 0
    assert report["summary"] == {"pass": 15, "fail": 0, "skip": 0}
