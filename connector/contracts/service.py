"""Policy definitions and contract definitions (EDC Management API v3), and the provider side of
the catalog and of offers that the DSP stream calls (docs/dev/interfaces.md "MGMT -> DSP"):
`provider_catalog`, `provider_dataset`, `resolve_offer`.

Policies are stored in expanded JSON-LD (`policies.to_expanded`), so no context is needed to read
them back. Access policies are evaluated in scope `catalog` (fail-closed); a contract definition
whose policies are missing or unreadable offers nothing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import col, select

from catalog import (
    CatalogQuery,
    CriterionError,
    DataService,
    OfferDefinition,
    admitted,
    build_catalog,
    canonical_name,
    catalog_to_dsp,
    dataset_to_dsp,
    make_dataset,
    parse_criterion,
    parse_offer_id,
    policy_digest,
)
from connector.assets import all_assets, asset_entry
from connector.assets.models import AssetRow
from connector.context import NodeContext
from connector.contracts.models import ContractDefinitionRow, PolicyDefinitionRow
from connector.outcome import Failure, Ok, bad_request, not_found
from policies import Policy, PolicyContext, PolicyParseError, PolicyType, parse_policy_document

DSP_PATH = "/api/dsp"


@dataclass(frozen=True)
class ResolvedOffer:
    """An offer we issued, resolved: what a ContractRequestMessage asks for."""

    asset_id: str
    contract_definition_id: str
    policy: Policy


def dsp_endpoint(context: NodeContext) -> str:
    """This node's DSP 2025-1 base URL (DESIGN.md: `/api/dsp`)."""
    return context.settings.node.url + DSP_PATH


def data_service(context: NodeContext) -> DataService:
    """The DataService entry of this node's catalogs."""
    return DataService(context.settings.node.did + "#dsp", dsp_endpoint(context))


def read_policy(row: PolicyDefinitionRow) -> Policy | None:
    """The stored policy, or None if it cannot be read (then it admits nothing)."""
    return _parsed_policy(json.dumps(row.policy, sort_keys=True))


@lru_cache(maxsize=1024)
def _parsed_policy(document: str) -> Policy | None:
    # Every catalog and negotiation request reads the same few policies; parsing one costs ten
    # times its serialisation, and a parsed `Policy` is immutable, so it is cached by content.
    try:
        return parse_policy_document(json.loads(document))
    except PolicyParseError:
        return None


def participant_context(context: NodeContext, participant: Any) -> PolicyContext:
    """What the policy engine may look at: the verified DID and credentials, the clock."""
    return PolicyContext(
        participant_id=participant.did,
        now=context.clock.now(),
        credentials=tuple(getattr(participant, "credentials", ())),
    )


def _offer_definition(
    row: ContractDefinitionRow, policies: Mapping[str, PolicyDefinitionRow]
) -> OfferDefinition | None:
    access = policies.get(row.access_policy_id)
    contract = policies.get(row.contract_policy_id)
    access_policy = read_policy(access) if access else None
    contract_policy = read_policy(contract) if contract else None
    if access_policy is None or contract_policy is None:
        return None
    try:
        selector = tuple(parse_criterion(c) for c in row.assets_selector)
    except CriterionError:
        return None
    return OfferDefinition(row.id, access_policy, contract_policy, selector)


# Built once: every contract request resolves its offer through these (bound per call).
_ALL_DEFINITIONS = select(ContractDefinitionRow)
_DEFINITION_BY_ID = select(ContractDefinitionRow).where(
    col(ContractDefinitionRow.id) == bindparam("definition_id")
)
_POLICIES_BY_ID = select(PolicyDefinitionRow).where(
    col(PolicyDefinitionRow.id).in_(bindparam("ids", expanding=True))
)


async def offer_definitions(
    context: NodeContext, definition_id: str | None = None
) -> list[OfferDefinition]:
    """Every contract definition (or the one named) with both policies readable."""
    async with context.database.unit() as unit:
        if definition_id is None:
            definitions = await unit.all(ContractDefinitionRow, _ALL_DEFINITIONS)
        else:
            named = {"definition_id": definition_id}
            definitions = await unit.all(ContractDefinitionRow, _DEFINITION_BY_ID, named)
        policy_ids = {d.access_policy_id for d in definitions} | {
            d.contract_policy_id for d in definitions
        }
        ids = {"ids": sorted(policy_ids)}
        policies = {p.id: p for p in await unit.all(PolicyDefinitionRow, _POLICIES_BY_ID, ids)}
    out = [_offer_definition(row, policies) for row in sorted(definitions, key=lambda d: d.id)]
    return [d for d in out if d is not None]


def parse_catalog_query(query: Mapping[str, Any] | None) -> Ok[CatalogQuery] | Failure:
    """`filter` (EDC criteria), `offset`, `limit` of a CatalogRequestMessage; 400 otherwise."""
    if not query:
        return Ok(CatalogQuery())
    raw_filter = query.get("filter") or []
    if not isinstance(raw_filter, list):
        return bad_request("filter: must be an array of criteria")
    try:
        criteria = tuple(parse_criterion(c) for c in raw_filter)
    except CriterionError as exc:
        return bad_request(f"filter: unsupported filter: {exc}")
    offset, limit = query.get("offset", 0), query.get("limit")
    if (
        not isinstance(offset, int)
        or offset < 0
        or (limit is not None and (not isinstance(limit, int) or limit < 1))
    ):
        return bad_request("offset/limit: must be non-negative integers")
    return Ok(CatalogQuery(criteria, offset, limit))


async def provider_catalog(
    context: NodeContext, participant: Any, query: Mapping[str, Any] | None = None
) -> Ok[dict[str, Any]] | Failure:
    """The DSP 2025-1 `Catalog` `participant` may see (DSP Catalog Protocol §5.2)."""
    parsed = parse_catalog_query(query)
    if isinstance(parsed, Failure):
        return parsed
    assets = [asset_entry(row) for row in await _candidate_assets(context, parsed.value)]
    catalog = build_catalog(
        catalog_id=f"urn:catalog:{context.settings.node.did}",
        participant_id=context.settings.node.did,
        service=data_service(context),
        assets=assets,
        definitions=await offer_definitions(context),
        context=participant_context(context, participant),
        query=parsed.value,
    )
    return Ok(catalog_to_dsp(catalog))


async def _candidate_assets(context: NodeContext, query: CatalogQuery) -> list[Any]:
    """Only the asset an `id = X` criterion names, when the query has one (a consumer after
    one asset, as fetch and the upstream resolver are); every asset otherwise. The catalog
    still applies all criteria to what this returns."""
    for criterion in query.criteria:
        named = criterion.operator == "=" and canonical_name(criterion.operand_left) == "id"
        if named and isinstance(criterion.operand_right, str):
            row = await context.database.get(AssetRow, criterion.operand_right)
            return [] if row is None else [row]
    return list(await all_assets(context))


async def provider_dataset(
    context: NodeContext, participant: Any, dataset_id: str
) -> Ok[dict[str, Any]] | Failure:
    """One `Dataset` (DSP Catalog Protocol §5.3); 404 when absent or not visible."""
    row = await context.database.get(AssetRow, dataset_id)
    if row is None:
        return not_found(f"dataset {dataset_id!r} not found")
    visible = admitted(await offer_definitions(context), participant_context(context, participant))
    dataset = make_dataset(asset_entry(row), visible, data_service(context))
    if dataset is None:
        return not_found(f"dataset {dataset_id!r} not found")
    return Ok(dataset_to_dsp(dataset, root=True))


def _offer_target(offer: Mapping[str, Any]) -> str | None:
    target = offer.get("target", offer.get("odrl:target"))
    if isinstance(target, Mapping):
        target = target.get("@id")
    return target if isinstance(target, str) else None


async def resolve_offer(
    context: NodeContext, participant: Any, offer: Mapping[str, Any]
) -> Ok[ResolvedOffer] | Failure:
    """The offer behind `offer["@id"]` if we issued it to this participant and it is still
    valid (definition, asset, access policy, unchanged contract policy); 400 otherwise."""
    offer_id = offer.get("@id")
    minted = parse_offer_id(offer_id) if isinstance(offer_id, str) else None
    if minted is None:
        return bad_request(f"offer {offer_id!r} is not an offer of this provider")
    target = _offer_target(offer)
    if target is not None and target != minted.asset_id:
        return bad_request(f"offer target {target!r} does not match offer {offer_id!r}")
    found = await offer_definitions(context, minted.definition_id)
    definition = found[0] if found else None
    if definition is None:
        return bad_request(f"offer {offer_id!r} is no longer offered")
    visible = admitted([definition], participant_context(context, participant))
    async with context.database.unit() as unit:
        row = await unit.get(AssetRow, minted.asset_id)
    dataset = make_dataset(asset_entry(row), visible, data_service(context)) if row else None
    if dataset is None or policy_digest(definition.contract_policy) != minted.digest:
        return bad_request(f"offer {offer_id!r} is not available to {participant.did}")
    policy = definition.contract_policy
    offered = Policy(
        type=PolicyType.OFFER,
        uid=offer_id,
        assigner=context.settings.node.did,
        target=minted.asset_id,
        permissions=policy.permissions,
        prohibitions=policy.prohibitions,
        obligations=policy.obligations,
        profiles=policy.profiles,
    )
    return Ok(ResolvedOffer(minted.asset_id, definition.id, offered))
