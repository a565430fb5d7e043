"""Runs inside a Python 3.12 venv with tractusx-sdk 0.8.x (never imported by pytest): drives two
carbonspace nodes the way a Tractus-X application does, unmodified SDK calls only.

argv[1] is a JSON object: provider/consumer management base URLs and keys, the provider's DID
and DSP address, the asset to fetch. Prints one JSON object with what each step returned."""

from __future__ import annotations

import json
import sys

from tractusx_sdk.dataspace.services.connector import ServiceFactory

EDC = "https://w3id.org/edc/v0.0.1/ns/"


def service(kind: str, base_url: str, key: str):
    headers = {"X-Api-Key": key, "Content-Type": "application/json"}
    factory = (
        ServiceFactory.get_connector_provider_service
        if kind == "provider"
        else ServiceFactory.get_connector_consumer_service
    )
    return factory(
        dataspace_version="saturn",
        base_url=base_url,
        dma_path="/api/management",
        headers=headers,
        verbose=False,
    )


def main() -> None:
    args = json.loads(sys.argv[1])
    out: dict = {}
    provider = service("provider", args["provider_url"], args["provider_key"])
    access = provider.create_policy(policy_id="access-sdk", permissions=[{"action": "access"}])
    usage = provider.create_policy(policy_id="usage-sdk", permissions=[{"action": "use"}])
    proxied = provider.create_asset(
        asset_id="sdk-http-asset",
        base_url="http://127.0.0.1:9/x",
        dct_type="https://w3id.org/catenax/taxonomy#PcfExchange",
    )
    contract = provider.create_contract(
        contract_id="cd-sdk",
        usage_policy_id="usage-sdk",
        access_policy_id="access-sdk",
        asset_id=args["asset_id"],
    )
    out["provider"] = [access.get("@id"), usage.get("@id"), proxied.get("@id"), contract.get("@id")]
    consumer = service("consumer", args["consumer_url"], args["consumer_key"])
    response = consumer.do_get(
        counter_party_id=args["provider_did"],
        counter_party_address=args["provider_dsp"],
        filter_expression=[
            {"operandLeft": EDC + "id", "operator": "=", "operandRight": args["asset_id"]}
        ],
        path="/",
        policies=None,
        max_wait=30,
        poll_interval=1,
    )
    out["status"] = response.status_code
    out["content_type"] = response.headers.get("content-type", "")
    out["body"] = response.text
    allowed = [{"permission": [{"action": "use"}], "prohibition": [], "obligation": []}]
    second = consumer.do_get(
        counter_party_id=args["provider_did"],
        counter_party_address=args["provider_dsp"],
        filter_expression=[
            {"operandLeft": EDC + "id", "operator": "=", "operandRight": args["asset_id"]}
        ],
        path="/",
        policies=allowed,
        max_wait=30,
        poll_interval=1,
    )
    out["second_status"] = second.status_code
    by_bpnl = consumer.do_get_with_bpnl(
        bpnl="BPNL000000000001",
        counter_party_address=args["provider_dsp"],
        filter_expression=[
            {"operandLeft": EDC + "id", "operator": "=", "operandRight": args["asset_id"]}
        ],
        path="/",
        policies=allowed,
        max_wait=30,
        poll_interval=1,
    )
    out["bpnl_status"] = by_bpnl.status_code
    print(json.dumps(out))


if __name__ == "__main__":
    main()
