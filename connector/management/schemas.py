"""Wire shapes of the EDC Management API v3 requests (edc-mgmt-api.md §4), parsed into the
inputs of the use cases. Every function returns `Ok(value)` or a 400 `Failure` naming the field;
nothing is stored on bad input."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from catalog import Criterion, CriterionError, parse_criterion
from connector.assets import AssetInput
from connector.contracts import ContractDefinitionInput
from connector.management._jsonld import (
    data_address_fields,
    edc_fields,
    expand_keys,
    node_id,
    prefixes_of,
)
from connector.management._query import QuerySpec, parse_query_spec
from connector.outcome import Failure, Ok, bad_request
from policies import Policy, PolicyParseError, parse_policy_definition

PROTOCOL = "dataspace-protocol-http:2025-1"


def _object(document: Any) -> Ok[dict[str, Any]] | Failure:
    if not isinstance(document, Mapping):
        return bad_request("request body: must be a JSON object")
    return Ok(edc_fields(document))


def _text(fields: Mapping[str, Any], name: str, *, required: bool = True) -> Ok[str] | Failure:
    value = node_id(fields.get(name))
    if value is None and not required:
        return Ok("")
    if not isinstance(value, str) or not value.strip():
        return bad_request(f"{name}: is required and must be a non-empty string")
    return Ok(value)


def _new_id(fields: Mapping[str, Any]) -> Ok[str] | Failure:
    value = fields.get("@id")
    if value is None:
        return Ok(str(uuid.uuid4()))
    if not isinstance(value, str) or not value.strip():
        return bad_request("@id: must be a non-empty string")
    return Ok(value)


def parse_asset(document: Any) -> Ok[AssetInput] | Failure:
    """`Asset` (§4.2): `@id`, `properties`, `privateProperties`, `dataAddress` (with `type`)."""
    fields = _object(document)
    if isinstance(fields, Failure):
        return fields
    context = document.get("@context") if isinstance(document, Mapping) else None
    prefixes = prefixes_of(context)
    asset_id = _new_id(fields.value)
    properties = expand_keys(fields.value.get("properties"), prefixes, "properties")
    private = expand_keys(fields.value.get("privateProperties"), prefixes, "privateProperties")
    address = data_address_fields(fields.value.get("dataAddress"), "dataAddress")
    for outcome in (asset_id, properties, private, address):
        if isinstance(outcome, Failure):
            return outcome
    assert isinstance(asset_id, Ok) and isinstance(properties, Ok)
    assert isinstance(private, Ok) and isinstance(address, Ok)
    return Ok(AssetInput(asset_id.value, properties.value, address.value, private.value))


def parse_policy_definition_document(
    document: Any, path_id: str | None = None
) -> Ok[tuple[str, Policy, dict[str, Any]]] | Failure:
    """`PolicyDefinition` (§4.1): `@id` (optional), `policy` (any ODRL form)."""
    fields = _object(document)
    if isinstance(fields, Failure):
        return fields
    if "policy" not in fields.value:
        return bad_request("policy: is required")
    try:
        parsed = parse_policy_definition(document)
    except PolicyParseError as exc:
        return bad_request(f"policy.{exc.path}: {exc.detail}" if exc.path else str(exc))
    definition_id = path_id or parsed.id or str(uuid.uuid4())
    if path_id and parsed.id and parsed.id != path_id:
        return bad_request(f"@id: {parsed.id!r} does not match the path id {path_id!r}")
    private = fields.value.get("privateProperties") or {}
    if not isinstance(private, Mapping):
        return bad_request("privateProperties: must be a JSON object")
    return Ok((definition_id, parsed.policy, dict(private)))


def _criteria(value: Any, name: str) -> Ok[tuple[Criterion, ...]] | Failure:
    items = [] if value is None else value if isinstance(value, list) else [value]
    try:
        return Ok(tuple(parse_criterion(item) for item in items))
    except CriterionError as exc:
        return bad_request(f"{name}: {exc}")


def parse_contract_definition(document: Any) -> Ok[ContractDefinitionInput] | Failure:
    """`ContractDefinition` (§4.3): `accessPolicyId`, `contractPolicyId`, `assetsSelector`."""
    fields = _object(document)
    if isinstance(fields, Failure):
        return fields
    definition_id = _new_id(fields.value)
    access = _text(fields.value, "accessPolicyId")
    contract = _text(fields.value, "contractPolicyId")
    selector = _criteria(fields.value.get("assetsSelector"), "assetsSelector")
    for outcome in (definition_id, access, contract, selector):
        if isinstance(outcome, Failure):
            return outcome
    assert isinstance(definition_id, Ok) and isinstance(access, Ok)
    assert isinstance(contract, Ok) and isinstance(selector, Ok)
    private = fields.value.get("privateProperties") or {}
    return Ok(
        ContractDefinitionInput(
            definition_id.value, access.value, contract.value, selector.value, dict(private)
        )
    )


@dataclass(frozen=True)
class CounterpartyCall:
    """Where a consumer-side call goes: the counterparty's DSP address and participant id."""

    address: str
    counterparty_id: str


def _protocol(fields: Mapping[str, Any]) -> Failure | None:
    protocol = node_id(fields.get("protocol", PROTOCOL))
    if not isinstance(protocol, str) or not protocol.startswith("dataspace-protocol-http"):
        return bad_request(f"protocol: {protocol!r} is not supported; use {PROTOCOL!r}")
    return None


def _counterparty(
    fields: Mapping[str, Any], fallback_id: str = ""
) -> Ok[CounterpartyCall] | Failure:
    failure = _protocol(fields)
    if failure is not None:
        return failure
    address = _text(fields, "counterPartyAddress")
    if isinstance(address, Failure):
        return address
    if not address.value.startswith(("http://", "https://")):
        return bad_request("counterPartyAddress: must be an http(s) URL")
    party = _text(fields, "counterPartyId", required=not fallback_id)
    if isinstance(party, Failure):
        return party
    return Ok(CounterpartyCall(address.value, party.value or fallback_id))


@dataclass(frozen=True)
class CatalogRequest:
    counterparty: CounterpartyCall
    query: QuerySpec = field(default_factory=QuerySpec)


def parse_catalog_request(document: Any) -> Ok[CatalogRequest] | Failure:
    """`CatalogRequest` (§4.4)."""
    fields = _object(document)
    if isinstance(fields, Failure):
        return fields
    call = _counterparty(fields.value)
    if isinstance(call, Failure):
        return call
    spec = parse_query_spec(fields.value.get("querySpec") or {})
    if isinstance(spec, Failure):
        return spec
    return Ok(CatalogRequest(call.value, spec.value))


@dataclass(frozen=True)
class DatasetRequest:
    counterparty: CounterpartyCall
    dataset_id: str


def parse_dataset_request(document: Any) -> Ok[DatasetRequest] | Failure:
    """`DatasetRequest`: `@id` of the dataset plus the counterparty."""
    fields = _object(document)
    if isinstance(fields, Failure):
        return fields
    call = _counterparty(fields.value)
    dataset_id = _text(fields.value, "@id")
    if isinstance(call, Failure):
        return call
    if isinstance(dataset_id, Failure):
        return dataset_id
    return Ok(DatasetRequest(call.value, dataset_id.value))


@dataclass(frozen=True)
class ContractRequest:
    counterparty: CounterpartyCall
    offer: dict[str, Any]


def parse_contract_request(document: Any) -> Ok[ContractRequest] | Failure:
    """`ContractRequest` (§4.6): the offer as read from the catalog, plus `assigner`/`target`."""
    fields = _object(document)
    if isinstance(fields, Failure):
        return fields
    offer = fields.value.get("policy")
    if not isinstance(offer, Mapping):
        return bad_request("policy: is required (the offer from the catalog)")
    offer = {k: v for k, v in offer.items() if k != "@context"}
    if not isinstance(offer.get("@id"), str):
        return bad_request("policy.@id: the offer id is required")
    target = node_id(offer.get("target", offer.get("odrl:target")))
    if not isinstance(target, str) or not target:
        return bad_request("policy.target: the dataset id is required")
    assigner = node_id(offer.get("assigner", offer.get("odrl:assigner")))
    call = _counterparty(fields.value, assigner if isinstance(assigner, str) else "")
    if isinstance(call, Failure):
        return call
    context = document.get("@context") if isinstance(document, Mapping) else None
    if context is not None:
        offer = {"@context": context, **offer}
    return Ok(ContractRequest(call.value, offer))


@dataclass(frozen=True)
class TransferRequest:
    address: str
    counterparty_id: str
    agreement_id: str
    transfer_type: str


def parse_transfer_request(document: Any) -> Ok[TransferRequest] | Failure:
    """`TransferRequest` (§4.7): `contractId`, `transferType`, `counterPartyAddress`."""
    fields = _object(document)
    if isinstance(fields, Failure):
        return fields
    failure = _protocol(fields.value)
    address = _text(fields.value, "counterPartyAddress")
    agreement = _text(fields.value, "contractId")
    transfer_type = _text(fields.value, "transferType")
    party = _text(fields.value, "counterPartyId", required=False)
    for outcome in (failure, address, agreement, transfer_type, party):
        if isinstance(outcome, Failure):
            return outcome
    assert isinstance(address, Ok) and isinstance(agreement, Ok)
    assert isinstance(transfer_type, Ok) and isinstance(party, Ok)
    return Ok(TransferRequest(address.value, party.value, agreement.value, transfer_type.value))
