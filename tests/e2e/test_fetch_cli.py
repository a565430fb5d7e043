"""`carbonspace fetch NODE_DIR --from DID --asset ID` between two real nodes: the first call runs
catalog -> negotiation -> transfer -> data; the second reuses the agreement and its EDR. The
provider's DSP endpoint comes from the consumer's directory file (`[directory] file`)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from connector.settings import load_settings
from tests.e2e._footprints import publish_sample_footprint
from tests.support.nodes import (
    RunningNode,
    carbonspace_command,
    create_node,
    start_node,
)

pytestmark = pytest.mark.e2e
EDC = "https://w3id.org/edc/v0.0.1/ns/"


def offer_everything(provider: RunningNode) -> None:
    open_policy = {
        "@context": {"@vocab": EDC},
        "@id": "open",
        "policy": {"@type": "Set", "permission": [{"action": "use"}]},
    }
    definition = {
        "@context": {"@vocab": EDC},
        "@id": "all",
        "accessPolicyId": "open",
        "contractPolicyId": "open",
        "assetsSelector": [],
    }
    with provider.management() as client:
        for path, body in (
            ("/v3/policydefinitions", open_policy),
            ("/v3/contractdefinitions", definition),
        ):
            assert client.post("/api/management" + path, json=body).status_code == 200


def fetch(consumer: RunningNode, provider_did: str, asset_id: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        carbonspace_command(
            "fetch", str(consumer.node_dir), "--from", provider_did, "--asset", asset_id
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_fetch_gets_submodel_then_reuses_agreement_when_run_twice(
    tmp_path: Path,
    authority,
) -> None:
    provider_settings = create_node(tmp_path, "mill", [authority.did])
    asset_id = publish_sample_footprint(provider_settings)
    consumer_settings = create_node(
        tmp_path, "bolts", [authority.did], extra={"directory": {"file": "participants.json"}}
    )
    (consumer_settings.node_dir / "participants.json").write_text(
        json.dumps(
            [
                {
                    "did": provider_settings.node.did,
                    "dsp_url": provider_settings.node.url + "/api/dsp",
                }
            ]
        )
    )
    provider = start_node(provider_settings.node_dir)
    try:
        consumer = start_node(consumer_settings.node_dir)
    except BaseException:
        provider.stop()
        raise
    try:
        offer_everything(provider)
        first = fetch(consumer, provider.did, asset_id)
        second = fetch(consumer, provider.did, asset_id)
        unknown = fetch(consumer, provider.did, "no-such-asset")
    finally:
        consumer.stop()
        provider.stop()
    assert first.returncode == 0, first.stderr + consumer.log_tail()
    assert json.loads(first.stdout)["modelType"] == "Submodel"
    assert "(reused)" not in first.stderr
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert "(reused)" in second.stderr
    assert unknown.returncode == 1
    assert "offers no dataset 'no-such-asset'" in unknown.stderr


def test_offer_cli_shares_footprint_with_framework_members_only(nodes) -> None:
    """`carbonspace offer --template members-with-pcf-framework`: a member holding the PCF
    framework credential fetches the footprint; a node without credentials sees no dataset."""
    provider = nodes("mill")
    asset_id = publish_sample_footprint(load_settings(provider.node_dir))
    offered = subprocess.run(
        carbonspace_command(
            "offer",
            str(provider.node_dir),
            "--template",
            "members-with-pcf-framework",
            "--asset",
            asset_id,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert offered.returncode == 0, offered.stderr
    entry = [{"did": provider.did, "dsp_url": provider.url + "/api/dsp"}]
    member = nodes("bolts", extra={"directory": {"file": "participants.json"}})
    outsider = nodes("outsider", credentials=(), extra={"directory": {"file": "participants.json"}})
    for node in (member, outsider):
        (node.node_dir / "participants.json").write_text(json.dumps(entry))
    fetched = fetch(member, provider.did, asset_id)
    refused = fetch(outsider, provider.did, asset_id)
    assert fetched.returncode == 0, fetched.stderr + member.log_tail()
    assert json.loads(fetched.stdout)["modelType"] == "Submodel"
    assert refused.returncode == 1
    assert f"offers no dataset '{asset_id}'" in refused.stderr


def test_agreements_revoke_cli_cuts_off_the_consumers_edr(tmp_path: Path, authority) -> None:
    """`carbonspace agreements revoke` on the provider: the EDR the consumer holds gets 403."""
    provider_settings = create_node(tmp_path, "mill", [authority.did])
    asset_id = publish_sample_footprint(provider_settings)
    consumer_settings = create_node(
        tmp_path, "bolts", [authority.did], extra={"directory": {"file": "participants.json"}}
    )
    (consumer_settings.node_dir / "participants.json").write_text(
        json.dumps(
            [
                {
                    "did": provider_settings.node.did,
                    "dsp_url": provider_settings.node.url + "/api/dsp",
                }
            ]
        )
    )
    provider = start_node(provider_settings.node_dir)
    consumer = start_node(consumer_settings.node_dir)
    try:
        offer_everything(provider)
        assert fetch(consumer, provider.did, asset_id).returncode == 0
        with provider.management() as client:
            agreements = client.post("/api/management/v3/contractagreements/request", json={})
        [agreement] = agreements.json()
        with consumer.management() as client:
            [edr] = client.post("/api/management/v3/edrs/request", json={}).json()
            address = client.get(
                f"/api/management/v3/edrs/{edr['transferProcessId']}/dataaddress"
            ).json()

        def data_status() -> int:
            with consumer.client() as client:
                return client.get(
                    address["endpoint"], headers={"Authorization": address["authorization"]}
                ).status_code

        before = data_status()
        revoked = subprocess.run(
            carbonspace_command(
                "agreements",
                "revoke",
                str(provider.node_dir),
                agreement["@id"],
                "--reason",
                "part recalled",
            ),
            capture_output=True,
            text=True,
            timeout=60,
        )
        after = data_status()
        with provider.management() as client:
            retired = client.post(
                "/api/management/v3/contractagreements/retirements/request", json={}
            ).json()
    finally:
        consumer.stop()
        provider.stop()
    assert before == 200
    assert revoked.returncode == 0, revoked.stderr
    assert after == 403
    assert [entry["edc:agreementId"] for entry in retired] == [agreement["@id"]]
